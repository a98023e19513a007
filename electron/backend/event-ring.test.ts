import { describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../model/events.js';
import { createEventRing, RECENT_EVENTS_MAX } from './event-ring.js';

const ev = (leg: number): BridgeEvent => ({ type: 'warning', leg, message: `w${leg}` });

describe('event ring', () => {
  it('is empty at first and keeps events oldest first with their time', () => {
    const ring = createEventRing(3);
    expect(ring.list()).toEqual([]);
    ring.push(ev(0), 100);
    ring.push(ev(1), 200);
    expect(ring.list()).toEqual([
      { time: 100, event: ev(0) },
      { time: 200, event: ev(1) },
    ]);
  });

  it('keeps only the last `capacity` events, in order, across many wraps', () => {
    const ring = createEventRing(3);
    for (let i = 0; i < 10; i++) ring.push(ev(i), i);
    expect(ring.list().map((r) => r.time)).toEqual([7, 8, 9]);
  });

  it('holds as many as the page log by default', () => {
    const ring = createEventRing();
    for (let i = 0; i < RECENT_EVENTS_MAX + 5; i++) ring.push(ev(i), i);
    const list = ring.list();
    expect(list).toHaveLength(RECENT_EVENTS_MAX);
    expect(list[0]?.time).toBe(5);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createEventRing(0)).toThrow(RangeError);
    expect(() => createEventRing(1.5)).toThrow(RangeError);
  });
});
