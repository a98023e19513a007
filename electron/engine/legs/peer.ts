// A remote VTEP / UDP endpoint of a tunnel leg, with its counters.

import { Traffic } from '../stats/counters.js';
import type { PeerSnapshot } from '../../model/snapshot.js';
import type { PeerRef } from '../switch/switch-port.js';

export class Peer implements PeerRef {
  label: string;
  readonly traffic = new Traffic();
  firstSeen = 0;
  lastSeen = 0;
  /** Access VTEPs announce a stable id and their keepalive period (see codec/keepalive.ts). */
  vtepId: number | undefined;
  keepaliveMs: number | undefined;

  constructor(
    /** Where we send to. */
    public address: string,
    public port: number,
    readonly origin: 'configured' | 'learned',
  ) {
    this.label = `${address}:${port}`;
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
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      ...this.traffic.snapshot(),
    };
  }
}
