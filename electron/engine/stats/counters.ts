// Mutable counters kept on legs and peers: plain number fields, bumped on the
// hot path, copied into a frozen snapshot about once a second.

import { DROP_REASONS, type DropCounts, type DropReason, type TrafficCounters } from '../../model/snapshot.js';

export class Traffic {
  rxPackets = 0;
  rxBytes = 0;
  txPackets = 0;
  txBytes = 0;

  rx(bytes: number): void {
    this.rxPackets++;
    this.rxBytes += bytes;
  }

  tx(bytes: number): void {
    this.txPackets++;
    this.txBytes += bytes;
  }

  /** Counted elsewhere (the fast path), added in bulk. */
  add(rxPackets: number, rxBytes: number, txPackets: number, txBytes: number): void {
    this.rxPackets += rxPackets;
    this.rxBytes += rxBytes;
    this.txPackets += txPackets;
    this.txBytes += txBytes;
  }

  snapshot(): TrafficCounters {
    return { rxPackets: this.rxPackets, rxBytes: this.rxBytes, txPackets: this.txPackets, txBytes: this.txBytes };
  }
}

/** One field per reason, so a drop is a property increment, not a map lookup. */
export class Drops {
  malformed = 0;
  'wrong-vni' = 0;
  'split-horizon' = 0;
  echo = 0;
  oversize = 0;
  'unknown-peer' = 0;
  auth = 0;
  unverified = 0;
  replay = 0;
  'send-error' = 0;
  'table-full' = 0;
  'queue-delay' = 0;

  snapshot(): DropCounts {
    const out = {} as Record<DropReason, number>;
    for (const r of DROP_REASONS) out[r] = this[r];
    return out;
  }
}
