// What the segment switch sees of a leg: where a frame can go.

import type { Drops } from '../stats/counters.js';

/** A remote endpoint behind a tunnel leg (a VTEP). Identity is leg-defined. */
export interface PeerRef {
  /** `IP:PORT` for display and snapshots. */
  readonly label: string;
  /** Unique among the peers of this process (the fast path's name for it). */
  readonly key: number;
  /** Configured, or authenticated: when the MAC table is full, the MACs of
   *  unverified peers are evicted first, and never to make room for them. */
  readonly verified: boolean;
  /** MAC entries behind this peer, kept by its segment's MacTable (per-peer limit). */
  macCount: number;
}

export interface SwitchPort {
  readonly id: number;
  /**
   * A local adapter (W leg): its MACs are held against tunnel frames claiming
   * them (MAC_LOCAL_HOLD_MS) and never evicted for an unverified peer's.
   * Optional only because RunningLeg declares no such member; NicLeg sets
   * true, TunnelLeg false.
   */
  readonly local?: boolean;
  /**
   * Hub behaviour (provider legs): a frame from one peer may leave again on this
   * same port towards other peers. Mesh legs (HER, multicast) and point-to-point
   * legs never send a frame back out of the port it came in on (split horizon).
   */
  readonly relays: boolean;
  readonly drops: Drops;
  /** Send to one known destination: `peer` on tunnel legs with peers, null otherwise. */
  sendTo(frame: Buffer, offset: number, length: number, peer: PeerRef | null): void;
  /** Broadcast, unknown unicast, multicast: to every destination of the port but `except`. */
  flood(frame: Buffer, offset: number, length: number, except: PeerRef | null): void;
  /** What the fast path forwarded for this leg (and its peers) since the last sweep. */
  fastTraffic?(rxPackets: number, rxBytes: number, txPackets: number, txBytes: number): void;
  fastPeerTraffic?(peer: number, rxPackets: number, rxBytes: number, txPackets: number, txBytes: number, seen: boolean): void;
}
