import { describe, expect, it } from 'vitest';
import { formatAxisBitRate, niceScale, niceStep } from './scale.js';

describe('niceStep', () => {
  it('picks 1, 2 or 5 × 10^n', () => {
    expect(niceStep(1000)).toBe(200);
    expect(niceStep(13_500)).toBe(5000);
    expect(niceStep(54_000)).toBe(20_000);
    expect(niceStep(100_000)).toBe(20_000);
    expect(niceStep(2_300_000)).toBe(500_000);
    expect(niceStep(0)).toBe(1);
  });
});

describe('niceScale', () => {
  it('never makes 12.5 k or 38 k ticks', () => {
    // The e2e run: a 12.5 kbit/s peak gave 0 / 13 k / 25 k / 38 k / 50.0 kbit/s.
    const s = niceScale(12_500 * 1.08);
    expect(s.ticks).toEqual([0, 5000, 10_000, 15_000]);
    expect(s.max).toBe(15_000);
  });
  it('covers the peak with round ticks of a 1-2-5 step', () => {
    for (const peak of [1, 999, 1001, 4321, 12_345, 99_999, 250_001, 7.7e6, 1.23e9]) {
      const s = niceScale(peak);
      expect(s.max).toBeGreaterThanOrEqual(peak);
      expect(s.ticks[0]).toBe(0);
      expect(s.ticks[s.ticks.length - 1]).toBe(s.max);
      expect(s.ticks.length - 1).toBeLessThanOrEqual(5);
      expect(s.ticks.length - 1).toBeGreaterThanOrEqual(2);
      const mantissa = s.step / Math.pow(10, Math.floor(Math.log10(s.step)));
      expect([1, 2, 5]).toContain(Math.round(mantissa));
    }
  });
  it('has a floor for an idle chart', () => {
    expect(niceScale(0).ticks).toEqual([0, 200, 400, 600, 800, 1000]);
  });
});

describe('formatAxisBitRate', () => {
  it('labels ticks with units and no needless digits', () => {
    expect(formatAxisBitRate(0)).toBe('0');
    expect(formatAxisBitRate(200)).toBe('200 bit/s');
    expect(formatAxisBitRate(1000)).toBe('1 kbit/s');
    expect(formatAxisBitRate(15_000)).toBe('15 kbit/s');
    expect(formatAxisBitRate(50_000)).toBe('50 kbit/s');
    expect(formatAxisBitRate(1_500_000)).toBe('1.5 Mbit/s');
    expect(formatAxisBitRate(600_000)).toBe('600 kbit/s');
    expect(formatAxisBitRate(3e9)).toBe('3 Gbit/s');
  });
});
