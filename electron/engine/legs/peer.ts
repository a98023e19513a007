// A remote VTEP / UDP endpoint of a tunnel leg, with its counters.

import { Traffic } from '../stats/counters.js';
import type { PeerSnapshot } from '../stats/snapshot.js';
import type { PeerRef } from '../switch/switch-port.js';

export class Peer implements PeerRef {
  readonly label: string;
  readonly traffic = new Traffic();
  firstSeen = 0;
  lastSeen = 0;

  constructor(
    /** Where we send to. */
    readonly address: string,
    readonly port: number,
    readonly origin: 'configured' | 'learned',
  ) {
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
