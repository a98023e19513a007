import { describe, expect, it } from 'vitest';
import { formatAgo, formatBitRate, formatBytes, formatCount, formatDuration, formatPps } from './format.js';

describe('units', () => {
  it('bit rates use SI prefixes', () => {
    expect(formatBitRate(0)).toBe('0 bit/s');
    expect(formatBitRate(840)).toBe('840 bit/s');
    expect(formatBitRate(12_345)).toBe('12.3 kbit/s');
    expect(formatBitRate(1_240_000)).toBe('1.24 Mbit/s');
    expect(formatBitRate(999_999)).toBe('1.00 Mbit/s');
    expect(formatBitRate(9.4e9)).toBe('9.40 Gbit/s');
    expect(formatBitRate(Number.NaN)).toBe('0 bit/s');
  });
  it('packet rates', () => {
    expect(formatPps(0)).toBe('0 pps');
    expect(formatPps(2.5)).toBe('2.5 pps');
    expect(formatPps(1234)).toBe('1,234 pps');
    expect(formatPps(45_600)).toBe('45.6 kpps');
    expect(formatPps(1_200_000)).toBe('1.20 Mpps');
  });
  it('byte totals use binary prefixes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(23.4 * 1024 * 1024)).toBe('23.4 MiB');
  });
  it('relative times and durations', () => {
    const now = 1_000_000;
    expect(formatAgo(0, now)).toBe('never');
    expect(formatAgo(now - 300, now)).toBe('just now');
    expect(formatAgo(now - 3000, now)).toBe('3 s ago');
    expect(formatAgo(now - 125_000, now)).toBe('2 min ago');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(4800)).toBe('1 h 20 min');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
