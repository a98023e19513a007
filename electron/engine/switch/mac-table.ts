// Source-MAC learning: MAC → (port, peer, last seen). Plain records in a Map
// for lookup, also threaded on two recency lists (least recent first) for
// eviction and snapshots: trusted (local adapters, verified peers) and
// untrusted (unverified peers). Swept by one periodic timer, no timer per entry.
// The tunnel side is the open Internet, so:
//  - a MAC seen on a local adapter within localHoldMs stays there against tunnel frames;
//  - a MAC moves at most movesPerS times a second;
//  - a tunnel peer has at most macsPerPeer MACs;
//  - a full table evicts an unverified peer's least recent MAC first; trusted
//    MACs go only to make room for trusted ones, and when no untrusted is left.
// A refused learn leaves the table as it was; the frame is still forwarded.

import { MAC_AGEING_MS, MAC_LOCAL_HOLD_MS, MAC_MOVES_PER_S, MAC_RECENCY_MS, MAC_TABLE_MAX, MACS_PER_PEER_MAX } from '../../model/defaults.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

export interface MacTableOptions {
  readonly ageingMs?: number | undefined;
  readonly maxEntries?: number | undefined;
  readonly localHoldMs?: number | undefined;
  readonly movesPerS?: number | undefined;
  readonly macsPerPeer?: number | undefined;
  readonly recencyMs?: number | undefined;
}

/** What `learn` did. Strings are interned: returning one allocates nothing. */
export type LearnOutcome = 'learned' | 'refreshed' | 'moved' | 'local-hold' | 'move-rate' | 'peer-limit' | 'table-full';

const MOVE_WINDOW_MS = 1_000;

export class MacEntry {
  prev: MacEntry | null = null;
  next: MacEntry | null = null;
  /** On the trusted list (else the untrusted one). */
  trusted = false;
  /** When it was last put at the recent end of its list: lastSeen - linkedAt < recencyMs. */
  linkedAt: number;
  /** Start of the current one-second window of moves, and the moves in it. */
  moveWindow = 0;
  moves = 0;

  constructor(
    public mac: number,
    public port: SwitchPort,
    public peer: PeerRef | null,
    public lastSeen: number,
  ) {
    this.linkedAt = lastSeen;
  }
}

/** Doubly linked through the entries themselves: relinking allocates nothing. */
class RecencyList {
  head: MacEntry | null = null;
  tail: MacEntry | null = null;

  push(e: MacEntry): void {
    e.prev = this.tail;
    e.next = null;
    if (this.tail !== null) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }

  unshift(e: MacEntry): void {
    e.prev = null;
    e.next = this.head;
    if (this.head !== null) this.head.prev = e;
    else this.tail = e;
    this.head = e;
  }

  unlink(e: MacEntry): void {
    if (e.prev !== null) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next !== null) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = null;
    e.next = null;
  }
}

function isTrusted(port: SwitchPort, peer: PeerRef | null): boolean {
  return port.local === true || (peer !== null && peer.verified);
}

/** A copy of the table kept elsewhere (a fast path): told each place a MAC gets and each MAC that goes. */
export interface MacMirror {
  set(e: Readonly<MacEntry>): void;
  delete(mac: number): void;
}

export class MacTable {
  private readonly entries = new Map<number, MacEntry>();
  private readonly trusted = new RecencyList();
  private readonly untrusted = new RecencyList();
  readonly ageingMs: number;
  readonly maxEntries: number;
  readonly localHoldMs: number;
  readonly movesPerS: number;
  readonly macsPerPeer: number;
  readonly recencyMs: number;

  // Counters since start, one per outcome that is not plain learning.
  moved = 0;
  heldLocal = 0;
  rateLimited = 0;
  peerLimited = 0;
  tableFull = 0;
  evicted = 0;

  /** Told every change of a MAC's place (the fast path's copy); null: none. */
  mirror: MacMirror | null = null;

  /** Where the entry of the last 'moved' outcome was before; valid until the next learn. */
  movedFromPort: SwitchPort | null = null;
  movedFromPeer: PeerRef | null = null;

  constructor(o: MacTableOptions = {}) {
    this.ageingMs = o.ageingMs ?? MAC_AGEING_MS;
    this.maxEntries = o.maxEntries ?? MAC_TABLE_MAX;
    this.localHoldMs = o.localHoldMs ?? MAC_LOCAL_HOLD_MS;
    this.movesPerS = o.movesPerS ?? MAC_MOVES_PER_S;
    this.macsPerPeer = o.macsPerPeer ?? MACS_PER_PEER_MAX;
    this.recencyMs = o.recencyMs ?? MAC_RECENCY_MS;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records that `mac` was seen on `port` (behind `peer`), where the rules allow. */
  learn(mac: number, port: SwitchPort, peer: PeerRef | null, now: number): LearnOutcome {
    const e = this.entries.get(mac);
    if (e === undefined) return this.add(mac, port, peer, now);
    if (e.port !== port || e.peer !== peer) return this.move(e, port, peer, now);
    e.lastSeen = now;
    if (now - e.linkedAt >= this.recencyMs) this.relink(e, now);
    return 'refreshed';
  }

  /** `mac` was seen where it sits (by the fast path): a refresh without a frame. */
  touch(mac: number, now: number): void {
    const e = this.entries.get(mac);
    if (e === undefined) return;
    e.lastSeen = now;
    if (now - e.linkedAt >= this.recencyMs) this.relink(e, now);
  }

  lookup(mac: number): Readonly<MacEntry> | undefined {
    return this.entries.get(mac);
  }

  private move(e: MacEntry, port: SwitchPort, peer: PeerRef | null, now: number): LearnOutcome {
    const fromTunnel = port.local !== true;
    if (fromTunnel && e.port.local === true && now - e.lastSeen < this.localHoldMs) {
      this.heldLocal++;
      return 'local-hold';
    }
    if (now - e.moveWindow >= MOVE_WINDOW_MS) {
      e.moveWindow = now;
      e.moves = 0;
    }
    if (e.moves >= this.movesPerS) {
      this.rateLimited++;
      return 'move-rate';
    }
    if (fromTunnel && peer !== null && peer.macCount >= this.macsPerPeer) {
      this.peerLimited++;
      return 'peer-limit';
    }
    e.moves++;
    this.movedFromPort = e.port;
    this.movedFromPeer = e.peer;
    if (e.peer !== null) e.peer.macCount--;
    if (peer !== null) peer.macCount++;
    e.port = port;
    e.peer = peer;
    e.lastSeen = now;
    this.relink(e, now);
    this.moved++;
    this.mirror?.set(e);
    return 'moved';
  }

  private add(mac: number, port: SwitchPort, peer: PeerRef | null, now: number): LearnOutcome {
    if (port.local !== true && peer !== null && peer.macCount >= this.macsPerPeer) {
      this.peerLimited++;
      return 'peer-limit';
    }
    const trusted = isTrusted(port, peer);
    let e: MacEntry;
    if (this.entries.size < this.maxEntries) {
      e = new MacEntry(mac, port, peer, now);
    } else {
      const victim = this.evict(trusted);
      if (victim === null) {
        this.tableFull++;
        return 'table-full';
      }
      // Reused: a flood of new MACs into a full table allocates nothing.
      e = victim;
      e.mac = mac;
      e.port = port;
      e.peer = peer;
      e.lastSeen = now;
      e.moveWindow = 0;
      e.moves = 0;
    }
    if (peer !== null) peer.macCount++;
    e.trusted = trusted;
    e.linkedAt = now;
    (trusted ? this.trusted : this.untrusted).push(e);
    this.entries.set(mac, e);
    this.mirror?.set(e);
    return 'learned';
  }

  /** Removes the entry that makes room for a new one (for a trusted MAC or not); null if none may go. */
  private evict(forTrusted: boolean): MacEntry | null {
    let victim = this.untrusted.head;
    // Entries whose peer was verified since they were linked join the trusted, as the least recent.
    while (victim !== null && isTrusted(victim.port, victim.peer)) {
      const next = victim.next;
      this.untrusted.unlink(victim);
      victim.trusted = true;
      this.trusted.unshift(victim);
      victim = next;
    }
    if (victim === null) {
      if (!forTrusted) return null;
      victim = this.trusted.head;
      if (victim === null) return null;
    }
    this.remove(victim);
    this.evicted++;
    return victim;
  }

  private relink(e: MacEntry, now: number): void {
    (e.trusted ? this.trusted : this.untrusted).unlink(e);
    e.trusted = isTrusted(e.port, e.peer);
    e.linkedAt = now;
    (e.trusted ? this.trusted : this.untrusted).push(e);
  }

  private remove(e: MacEntry): void {
    (e.trusted ? this.trusted : this.untrusted).unlink(e);
    this.entries.delete(e.mac);
    if (e.peer !== null) e.peer.macCount--;
    this.mirror?.delete(e.mac);
  }

  /** Drops entries not seen for ageingMs. */
  sweep(now: number): void {
    this.removeWhere(this.trusted, (e) => now - e.lastSeen >= this.ageingMs);
    this.removeWhere(this.untrusted, (e) => now - e.lastSeen >= this.ageingMs);
  }

  /** Forgets every MAC behind a peer that went away, or behind a whole port. */
  forget(port: SwitchPort, peer: PeerRef | null): void {
    const match = (e: MacEntry) => e.port === port && (peer === null || e.peer === peer);
    this.removeWhere(this.trusted, match);
    this.removeWhere(this.untrusted, match);
  }

  /** Forgets the MACs behind several peers of a port in one pass over the table. */
  forgetPeers(port: SwitchPort, peers: ReadonlySet<PeerRef>): void {
    if (peers.size === 0) return;
    const match = (e: MacEntry) => e.port === port && e.peer !== null && peers.has(e.peer);
    this.removeWhere(this.trusted, match);
    this.removeWhere(this.untrusted, match);
  }

  private removeWhere(list: RecencyList, match: (e: MacEntry) => boolean): void {
    for (let e = list.head; e !== null;) {
      const next = e.next;
      if (match(e)) this.remove(e);
      e = next;
    }
  }

  /**
   * The `max` most recently seen entries, newest first, without sorting the
   * table: a merge of the two lists from their recent ends (exact to within
   * recencyMs, below the seconds that snapshots show).
   */
  recent(max: number): Readonly<MacEntry>[] {
    const out: MacEntry[] = [];
    let t = this.trusted.tail;
    let u = this.untrusted.tail;
    while (out.length < max) {
      if (t !== null && (u === null || t.linkedAt >= u.linkedAt)) {
        out.push(t);
        t = t.prev;
      } else if (u !== null) {
        out.push(u);
        u = u.prev;
      } else break;
    }
    return out;
  }

  /** Every entry, least recent first within trusted then untrusted (tests, tools). */
  *list(): IterableIterator<Readonly<MacEntry>> {
    for (let e = this.trusted.head; e !== null; e = e.next) yield e;
    for (let e = this.untrusted.head; e !== null; e = e.next) yield e;
  }
}
