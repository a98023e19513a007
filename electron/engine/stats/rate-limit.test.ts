// The token bucket (stats/rate-limit.ts) with a fake clock: bursts, refill,
// and never more than the rate over a long run.

import { describe, expect, it } from 'vitest';
import { RateLimit } from './rate-limit.js';

const T0 = 1_000_000;

/** How many of `n` takes at time `t` succeed. */
const takes = (r: RateLimit, t: number, n: number) => {
  let ok = 0;
  for (let i = 0; i < n; i++) if (r.take(t)) ok++;
  return ok;
};

describe('RateLimit', () => {
  it.each([
    { perSecond: 1000, burst: 2000 },
    { perSecond: 200, burst: 400 },
    { perSecond: 10, burst: 1 },
    { perSecond: 1, burst: 5 },
  ])('starts full: a burst of $burst at once, then nothing ($perSecond/s)', ({ perSecond, burst }) => {
    const r = new RateLimit(perSecond, burst, T0);
    expect(takes(r, T0, burst + 100)).toBe(burst);
    expect(r.take(T0)).toBe(false);
  });

  const refill: ReadonlyArray<{ name: string; perSecond: number; burst: number; after: number; ok: number }> = [
    { name: 'one token per 1000/rate ms', perSecond: 100, burst: 10, after: 10, ok: 1 },
    { name: 'not before that', perSecond: 100, burst: 10, after: 9, ok: 0 },
    { name: 'half a second: half the rate', perSecond: 100, burst: 100, after: 500, ok: 50 },
    { name: 'never above the burst, however long it waited', perSecond: 100, burst: 10, after: 3_600_000, ok: 10 },
    { name: '1/s: one a second', perSecond: 1, burst: 1, after: 1000, ok: 1 },
    { name: '1/s: not after 999 ms', perSecond: 1, burst: 1, after: 999, ok: 0 },
  ];
  it.each(refill)('refills: $name', ({ perSecond, burst, after, ok }) => {
    const r = new RateLimit(perSecond, burst, T0);
    takes(r, T0, burst); // empty
    expect(takes(r, T0 + after, burst + 10)).toBe(ok);
  });

  it('fractions of a token add up across many small steps', () => {
    const r = new RateLimit(125, 1, T0);
    expect(r.take(T0)).toBe(true);
    // 1 ms steps: an eighth of a token each (exact in binary), a whole one every 8 ms.
    const granted: number[] = [];
    for (let t = 1; t <= 80; t++) if (r.take(T0 + t)) granted.push(t);
    expect(granted).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 72, 80]);
  });

  it('a clock that goes back grants nothing', () => {
    const r = new RateLimit(100, 10, T0);
    takes(r, T0, 10);
    expect(takes(r, T0 - 60_000, 10)).toBe(0);
    expect(takes(r, T0, 10)).toBe(0);
    expect(takes(r, T0 + 10, 10)).toBe(1);
  });

  it.each([
    { perSecond: 1000, burst: 2000, stepMs: 1, perStep: 5 },
    { perSecond: 200, burst: 400, stepMs: 3, perStep: 7 },
    { perSecond: 7, burst: 3, stepMs: 17, perStep: 2 },
  ])('over 10 minutes of constant pressure: never more than burst + rate × time, and about the rate ($perSecond/s)', ({ perSecond, burst, stepMs, perStep }) => {
    const r = new RateLimit(perSecond, burst, T0);
    const durationMs = 600_000;
    let ok = 0;
    let worst = -Infinity; // granted minus allowed, at every moment, not only at the end
    for (let t = 0; t <= durationMs; t += stepMs) {
      ok += takes(r, T0 + t, perStep);
      worst = Math.max(worst, ok - (burst + Math.floor((t * perSecond) / 1000)));
    }
    expect(worst).toBeLessThanOrEqual(0);
    expect(ok).toBeGreaterThanOrEqual(burst + Math.floor((durationMs * perSecond) / 1000) - perSecond / 100 - 1);
  });

  it('over a long run with pauses: no window of one second passes more than burst + rate', () => {
    const perSecond = 50;
    const burst = 100;
    const r = new RateLimit(perSecond, burst, T0);
    const granted: number[] = [];
    let t = 0;
    for (let round = 0; round < 200; round++) {
      t += round % 10 === 0 ? 5_000 : 37; // idle now and then: the bucket fills up again
      for (let i = 0; i < 40; i++) if (r.take(T0 + t)) granted.push(t);
    }
    for (let i = 0, j = 0; i < granted.length; i++) {
      while (granted[i]! - granted[j]! >= 1000) j++;
      expect(i - j + 1).toBeLessThanOrEqual(burst + perSecond);
    }
  });
});
