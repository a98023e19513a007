// A remote VTEP / UDP endpoint of a tunnel leg, with its counters.

import { Traffic } from '../stats/counters.js';
import type { PeerSnapshot } from '../../model/snapshot.js';
import type { PeerRef } from '../switch/switch-port.js';

let nextKey = 1;

export class Peer implements PeerRef {
  label: string;
  readonly key = nextKey++;
  readonly traffic = new Traffic();
  firstSeen = 0;
  lastSeen = 0;
  /** Keyed legs: the confirmed session of this VTEP (its sender's random per-run id). */
  sessionId: bigint | undefined;
  /** Access VTEPs announce a stable id (plain legs) and their keepalive period (see codec/control.ts). */
  vtepId: number | undefined;
  keepaliveMs: number | undefined;
  /** Configured peers are; a learned one once it authenticates (secure legs). */
  verified: boolean;
  /** Kept by the segment's MacTable. */
  macCount = 0;

  constructor(
    /** Where we send to. */
    public address: string,
    public port: number,
    readonly origin: 'configured' | 'learned',
  ) {
    this.label = `${address}:${port}`;
    this.verified = origin === 'configured';
  }

  /** The peer roamed (its NAT mapping changed): MAC entries pointing at it follow. */
  moveTo(address: string, port: number): void {
    this.address = address;
    this.port = port;
    this.label = `${address}:${port}`;
  }

  seen(now: number): void {
    if (this.firstSeen === 0) this.firstSeen = now;
    this.lastSeen = now;
  }

  snapshot(leg: number): PeerSnapshot {
    return {
      leg,
      address: this.label,
      origin: this.origin,
      verified: this.verified,
      ...(this.sessionId !== undefined ? { session: this.sessionId.toString(16).padStart(16, '0') } : {}),
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      ...this.traffic.snapshot(),
    };
  }
}
