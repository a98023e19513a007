// Frozen, JSON-safe views of the running bridge, sampled about once a second
// (CLI --json, UI). Never one message per packet.

export const DROP_REASONS = [
  /** Malformed/short packet, wrong VXLAN flags. */
  'malformed',
  /** VXLAN VNI that this leg does not carry. */
  'wrong-vni',
  /** Frame came back from where it would go (split horizon, same port). */
  'split-horizon',
  /** A frame this engine injected, handed back by the capture layer (Npcap echo). */
  'echo',
  /** Frame larger than the tunnel can carry (usually GSO/TSO/GRO offload on the NIC). */
  'oversize',
  /** Datagram from an address that is not a configured peer. */
  'unknown-peer',
  /** Failed authentication / decryption (encrypted legs). */
  'auth',
  /** From a source that has not proved itself yet: an unconfirmed session
   *  (encrypted legs) or an address without a valid cookie (plain provider). */
  'unverified',
  /** Replayed packet (encrypted legs). */
  'replay',
  /** The OS refused to send or inject. */
  'send-error',
  /** Too many learned peers or MACs. */
  'table-full',
  /** Waited too long in a socket's queue (the bridge was behind): dropped so that
   *  the senders slow down instead of everyone's latency growing (native data plane). */
  'queue-delay',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type DropCounts = Record<DropReason, number>;

export type LegState = 'starting' | 'running' | 'error' | 'stopped';

export interface TrafficCounters {
  readonly rxPackets: number;
  readonly rxBytes: number;
  readonly txPackets: number;
  readonly txBytes: number;
}

export interface LegSnapshot extends TrafficCounters {
  /** Stable id within the bridge: index in the leg list. */
  readonly id: number;
  /** Leg string with any key masked. */
  readonly leg: string;
  readonly kind: 'W' | 'U' | 'V';
  readonly segment: number;
  readonly state: LegState;
  /** Present when state is 'error': what went wrong and how to fix it. */
  readonly error?: string;
  /** Things the user should know (e.g. NIC offloads that break bridging, with the fix). */
  readonly warnings: readonly string[];
  readonly drops: DropCounts;
  /** Local endpoint for tunnel legs, NIC name for W legs. */
  readonly local?: string;
  readonly encrypted: boolean;
}

export interface PeerSnapshot extends TrafficCounters {
  readonly leg: number;
  /** `IP:PORT`. */
  readonly address: string;
  readonly origin: 'configured' | 'learned';
  /** Configured, or proved itself: authenticated and confirmed (keyed legs) or
   *  answered a cookie (plain provider legs). */
  readonly verified: boolean;
  /** Keyed legs: the peer's confirmed session id, 16 hex digits (not secret). */
  readonly session?: string;
  /** ms since epoch; 0 = never. */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface MacSnapshot {
  readonly segment: number;
  /** aa:bb:cc:dd:ee:ff */
  readonly mac: string;
  readonly leg: number;
  /** Remote VTEP `IP:PORT` behind which the MAC sits, if learned on a tunnel leg. */
  readonly peer?: string;
  readonly ageSeconds: number;
}

export interface BridgeSnapshot {
  /** ms since epoch when sampled. */
  readonly time: number;
  readonly running: boolean;
  readonly legs: readonly LegSnapshot[];
  /** Configured peers first, then the most recently seen; at most SNAPSHOT_LIST_MAX. */
  readonly peers: readonly PeerSnapshot[];
  /** The most recently seen MACs; at most SNAPSHOT_LIST_MAX. */
  readonly macs: readonly MacSnapshot[];
  /** How many there are in all (the lists above may be cut, see SNAPSHOT_LIST_MAX). */
  readonly peerCount: number;
  readonly macCount: number;
}

export function zeroDrops(): DropCounts {
  const d = {} as Record<DropReason, number>;
  for (const r of DROP_REASONS) d[r] = 0;
  return d;
}
