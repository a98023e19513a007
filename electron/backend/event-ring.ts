// The most recent engine events, with the backend's clock, in a bounded ring:
// a page that reloads or reconnects replays them instead of starting with an
// empty event list. Bounded, because a bridge may run for months.

import type { RecentEvent } from '../contract/ipc-contract.js';
import type { BridgeEvent } from '../model/events.js';

/** As many as the page's own event log keeps (renderer EVENT_LOG_SIZE). */
export const RECENT_EVENTS_MAX = 300;

export interface EventRing {
  push(event: BridgeEvent, time?: number): void;
  /** Oldest first. */
  list(): readonly RecentEvent[];
}

export function createEventRing(capacity = RECENT_EVENTS_MAX): EventRing {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`event ring capacity must be a positive integer, got ${capacity}`);
  const slots: (RecentEvent | undefined)[] = new Array<RecentEvent | undefined>(capacity);
  let next = 0;
  let size = 0;
  return {
    push(event, time = Date.now()) {
      slots[next] = { time, event };
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
    },
    list() {
      const out: RecentEvent[] = [];
      for (let i = 0; i < size; i++) out.push(slots[(next - size + i + capacity) % capacity]!);
      return out;
    },
  };
}
