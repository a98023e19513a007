// What a leg is, as parsed from a leg string (see DESIGN.md section 2).
// Plain data: the grammar (leg-grammar.ts) turns strings into these and back,
// profiles store them, the engine builds running legs from them.

import { VXLAN_PORT_IANA } from './defaults.js';

/** `W`: a local network adapter, captured and injected through pcap. */
export interface NicLegSpec {
  readonly kind: 'W';
  readonly segment: number;
  /** Name, friendly description or index as the user typed it; undefined = ask / fail. */
  readonly nic?: string;
}

/** `U`: Ethernet-over-UDP, the raw frame is the whole datagram (GNS3/Dynamips UDP NIO). */
export interface UdpLegSpec {
  readonly kind: 'U';
  readonly segment: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export type VxlanRemote =
  /** Head-end replication to a fixed list of VTEPs. */
  | { readonly mode: 'unicast'; readonly peers: readonly string[] }
  /** BUM to a multicast group, IGMP join on the interface of the local address. */
  | { readonly mode: 'multicast'; readonly group: string }
  /** Remote `0`: peers are learned as (IP, port), relayed between (hub). */
  | { readonly mode: 'provider' }
  /** Local `*`: any local address, ephemeral port, keepalives to one provider. */
  | { readonly mode: 'access'; readonly provider: string };

/** `V`: VXLAN (RFC 7348); the segment is the VNI. */
export interface VxlanLegSpec {
  readonly kind: 'V';
  readonly segment: number;
  /** Local IPv4 address; '*' in access mode. */
  readonly local: string;
  readonly remote: VxlanRemote;
  /** Pre-shared key; present = encrypted leg. Never logged. */
  readonly key?: string;
  /**
   * Name of an environment variable that holds the pre-shared key (leg string
   * `*env:NAME`), read when the leg starts so that `ps` never shows the key.
   * Present = encrypted leg. Formatting writes `env:NAME` even once `key` is filled in.
   */
  readonly keyEnv?: string;
  /**
   * Path of a file that holds the pre-shared key (leg string `*file:PATH`),
   * read when the leg starts (trailing line breaks dropped). Present = encrypted leg.
   */
  readonly keyFile?: string;
  /** Explicit UDP port; undefined = VXLAN_PORT_IANA (and not written back on format). */
  readonly port?: number;
}

export type LegSpec = NicLegSpec | UdpLegSpec | VxlanLegSpec;
export type LegKind = LegSpec['kind'];
export type VxlanMode = VxlanRemote['mode'];

/** Whether the leg encrypts: a key, or where to read one, is given. */
export function isEncrypted(spec: LegSpec): boolean {
  return spec.kind === 'V' && (spec.key !== undefined || spec.keyEnv !== undefined || spec.keyFile !== undefined);
}

export function vxlanPort(spec: VxlanLegSpec): number {
  return spec.port ?? VXLAN_PORT_IANA;
}
