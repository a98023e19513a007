// One gate for the events outsiders can raise at packet rate (VTEPs learned,
// expired, moved; MAC moves and refusals). Per key (kind, leg, peer or MAC) the
// first goes out at once; later ones are counted and go out as one summary
// (`count`) at the next sweep, which is the bridge's 1 s timer (no timer per
// key). A key idle for a whole sweep is forgotten, so a key costs memory only
// while it is busy, and there are at most EVENT_KEYS_MAX of them: past that,
// new keys of a kind and leg share one summary (`mixed`).

import { EVENT_KEYS_MAX } from '../../model/defaults.js';
import type { BridgeEvent } from '../../model/events.js';
import { assertNever } from '../../model/assert-never.js';

export type CoalescedEvent = Extract<BridgeEvent, { readonly type: 'peer-learned' | 'peer-expired' | 'peer-moved' | 'mac-moved' | 'mac-move-refused' | 'mac-learn-refused' }>;

/** What a key counts: an event type, split by reason where reasons differ in meaning. */
export const Kind = {
  peerLearned: 0,
  peerExpired: 1,
  peerMoved: 2,
  macMoved: 3,
  macLocalHold: 4,
  macMoveRate: 5,
  macPeerLimit: 6,
  macTableFull: 7,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** What the segment switch needs: count first, build the event only if it goes out. */
export interface EventGate {
  /** Counts one occurrence; true when it is the first for its key and the caller should `report` it now. */
  admit(kind: Kind, leg: number, key: string | number): boolean;
  /** Sends the event `admit` just let through; it is the sample for its key's summary. */
  report(e: CoalescedEvent): void;
}

/** The key of the shared summary past EVENT_KEYS_MAX ('' is no peer label and no MAC). */
const OVERFLOW = '';
/** Tables are per (kind, leg): kind * LEG_SPAN + leg. */
const LEG_SPAN = 0x10000;

class Slot {
  /** Occurrences since the last report. */
  count = 0;
  sample: CoalescedEvent | null = null;
  constructor(readonly mixed: boolean) {}
}

export class EventCoalescer implements EventGate {
  private readonly tables = new Map<number, Map<string | number, Slot>>();
  /** Tracked keys (overflow slots not included). */
  private keys = 0;
  /** The slot `admit` last opened, for `report`. */
  private opened: Slot | null = null;

  constructor(
    private readonly out: (e: BridgeEvent) => void,
    readonly maxKeys = EVENT_KEYS_MAX,
  ) {}

  get size(): number {
    return this.keys;
  }

  /** Every event of the engine: the coalesced kinds through the gate, the rest straight out. */
  emit(e: BridgeEvent): void {
    switch (e.type) {
      case 'peer-learned':
        return this.offer(Kind.peerLearned, e.leg, e.address, e);
      case 'peer-expired':
        return this.offer(Kind.peerExpired, e.leg, e.address, e);
      case 'peer-moved':
        // Keyed by where it went: a VTEP flapping between two ports is two keys.
        return this.offer(Kind.peerMoved, e.leg, e.to, e);
      case 'mac-moved':
        return this.offer(Kind.macMoved, e.leg, e.mac, e);
      case 'mac-move-refused':
        return this.offer(e.reason === 'local-hold' ? Kind.macLocalHold : Kind.macMoveRate, e.leg, e.mac, e);
      case 'mac-learn-refused':
        return this.offer(e.reason === 'peer-limit' ? Kind.macPeerLimit : Kind.macTableFull, e.leg, e.peer ?? e.mac, e);
      case 'leg-state':
      case 'warning':
      case 'data-plane':
        return this.out(e);
      default:
        return assertNever(e, 'event');
    }
  }

  admit(kind: Kind, leg: number, key: string | number): boolean {
    const id = kind * LEG_SPAN + leg;
    let table = this.tables.get(id);
    if (table === undefined) {
      table = new Map();
      this.tables.set(id, table);
    }
    let slot = table.get(key);
    if (slot !== undefined) {
      slot.count++;
      return false;
    }
    if (this.keys < this.maxKeys) {
      slot = new Slot(false);
      table.set(key, slot);
      this.keys++;
    } else {
      slot = table.get(OVERFLOW);
      if (slot !== undefined) {
        slot.count++;
        return false;
      }
      slot = new Slot(true);
      table.set(OVERFLOW, slot);
    }
    this.opened = slot;
    return true;
  }

  report(e: CoalescedEvent): void {
    if (this.opened !== null) this.opened.sample = e;
    this.opened = null;
    this.out(e);
  }

  private offer(kind: Kind, leg: number, key: string | number, e: CoalescedEvent): void {
    if (this.admit(kind, leg, key)) this.report(e);
  }

  /** Once a second: a summary for each key that repeated, idle keys forgotten. */
  sweep(): void {
    for (const table of this.tables.values()) {
      for (const [key, slot] of table) {
        if (slot.count > 0) {
          this.summarise(slot);
          slot.count = 0;
        } else {
          table.delete(key);
          if (!slot.mixed) this.keys--;
        }
      }
    }
  }

  /** At stop: the pending summaries, then nothing is tracked. */
  flush(): void {
    for (const table of this.tables.values()) for (const slot of table.values()) if (slot.count > 0) this.summarise(slot);
    this.tables.clear();
    this.keys = 0;
  }

  private summarise(slot: Slot): void {
    if (slot.sample === null) return;
    this.out({ ...slot.sample, count: slot.count, ...(slot.mixed ? { mixed: true } : {}) });
  }
}
