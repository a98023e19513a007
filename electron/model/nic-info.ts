// A network adapter as the adapter list shows it (ubdg --list-nics, the UI's dropdown).

export interface NicAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  readonly netmask?: string;
}

export interface NicInfo {
  /** Name pcap opens: `eth0` on Linux, `\Device\NPF_{GUID}` on Windows. */
  readonly name: string;
  /** Human name: Windows friendly name / description, or the Linux name. */
  readonly description: string;
  readonly index: number;
  readonly addresses: readonly NicAddress[];
  readonly mac?: string;
  readonly mtu?: number;
  readonly flags: {
    readonly up: boolean;
    readonly running?: boolean;
    readonly loopback: boolean;
    readonly wireless: boolean;
    /** e.g. Npcap's own loopback adapter, which cannot be a bridge port. */
    readonly unsuitable?: string;
  };
}
