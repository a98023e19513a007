// Source-MAC learning: MAC → (port, peer, last seen). Plain records in a Map,
// swept by one periodic timer (no timer per entry).

import { MAC_AGEING_MS, MAC_TABLE_MAX } from '../../model/defaults.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

export interface MacEntry {
  port: SwitchPort;
  peer: PeerRef | null;
  lastSeen: number;
}

export class MacTable {
  private readonly entries = new Map<number, MacEntry>();

  constructor(
    readonly ageingMs = MAC_AGEING_MS,
    readonly maxEntries = MAC_TABLE_MAX,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Records where `mac` was seen. Returns false when the table is full and the MAC is new. */
  learn(mac: number, port: SwitchPort, peer: PeerRef | null, now: number): boolean {
    const e = this.entries.get(mac);
    if (e !== undefined) {
      e.port = port;
      e.peer = peer;
      e.lastSeen = now;
      return true;
    }
    if (this.entries.size >= this.maxEntries) return false;
    this.entries.set(mac, { port, peer, lastSeen: now });
    return true;
  }

  lookup(mac: number): MacEntry | undefined {
    return this.entries.get(mac);
  }

  /** Drops entries not seen for ageingMs. */
  sweep(now: number): void {
    for (const [mac, e] of this.entries) {
      if (now - e.lastSeen >= this.ageingMs) this.entries.delete(mac);
    }
  }

  /** Forgets every MAC behind a peer that went away, or behind a whole port. */
  forget(port: SwitchPort, peer: PeerRef | null): void {
    for (const [mac, e] of this.entries) {
      if (e.port === port && (peer === null || e.peer === peer)) this.entries.delete(mac);
    }
  }

  /** Forgets the MACs behind several peers of a port in one pass over the table. */
  forgetPeers(port: SwitchPort, peers: ReadonlySet<PeerRef>): void {
    if (peers.size === 0) return;
    for (const [mac, e] of this.entries) {
      if (e.port === port && e.peer !== null && peers.has(e.peer)) this.entries.delete(mac);
    }
  }

  *list(): IterableIterator<[number, Readonly<MacEntry>]> {
    yield* this.entries;
  }
}
