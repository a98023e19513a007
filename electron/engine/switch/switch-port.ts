// What the segment switch sees of a leg: where a frame can go.

import type { Drops } from '../stats/counters.js';

/** A remote endpoint behind a tunnel leg (a VTEP). Identity is leg-defined. */
export interface PeerRef {
  /** `IP:PORT` for display and snapshots. */
  readonly label: string;
}

export interface SwitchPort {
  readonly id: number;
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
}
