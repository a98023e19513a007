// The slice of npm `cap` 0.2.1 that native/ uses (it ships no typings).
// Source: node_modules/cap/src/binding.cc and lib/Cap.js.

/** One entry of `Cap.deviceList()` (pcap_findalldevs). */
export interface CapDevice {
  readonly name: string;
  readonly description?: string;
  /** IPv4/IPv6 only; each field is absent or undefined when pcap has none. */
  readonly addresses: readonly {
    readonly addr?: string;
    readonly netmask?: string;
    readonly broadaddr?: string;
    readonly dstaddr?: string;
  }[];
  /** Only ever 'PCAP_IF_LOOPBACK' (cap drops every other pcap flag). */
  readonly flags?: string;
}

export interface CapHandle {
  /** Returns the link type: 'ETHERNET', 'NULL', 'RAW', 'LINKTYPE_LINUX_SLL',
   *  'IEEE802_11_RADIO' or 'Unknown linktype N'. Throws libpcap's text. */
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  /** pcap_sendpacket from offset 0; throws libpcap's text on failure. */
  send(buffer: Buffer, size?: number): void;
  close(): boolean;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): unknown;
  removeAllListeners(event?: string): unknown;
  /** Windows only: Npcap's min-to-copy (default 16 KB, i.e. latency). */
  setMinBytes?(bytes: number): void;
}

export interface CapModule {
  readonly Cap: {
    new (): CapHandle;
    deviceList(): CapDevice[];
  };
}

/** Returns the loaded module; throws CaptureError('driver-missing') if it cannot load. */
export type CapLoader = () => CapModule;
