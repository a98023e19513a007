import { describe, expect, it } from 'vitest';
import { EchoFilter } from './echo-filter.js';

const frame = (n: number, len = 60) => {
  const b = Buffer.alloc(len + 4, 0);
  b.writeUInt32BE(n, 4 + 20);
  return b;
};

describe('EchoFilter', () => {
  it('recognises each injected frame once, then lets an identical later frame through', () => {
    const f = new EchoFilter();
    const a = frame(1);
    f.remember(a, 4, 60, 1000);
    expect(f.isEcho(a, 4, 60, 1001)).toBe(true);
    expect(f.isEcho(a, 4, 60, 1002)).toBe(false);
  });
  it('does not match frames it never injected, or the same bytes with another length', () => {
    const f = new EchoFilter();
    f.remember(frame(1), 4, 60, 1000);
    expect(f.isEcho(frame(2), 4, 60, 1000)).toBe(false);
    expect(f.isEcho(frame(1, 61), 4, 61, 1000)).toBe(false);
  });
  it('counts duplicates: two injections of the same frame are two echoes', () => {
    const f = new EchoFilter();
    const a = frame(7);
    f.remember(a, 4, 60, 1000);
    f.remember(a, 4, 60, 1000);
    expect(f.isEcho(a, 4, 60, 1001)).toBe(true);
    expect(f.isEcho(a, 4, 60, 1001)).toBe(true);
    expect(f.isEcho(a, 4, 60, 1001)).toBe(false);
  });
  it('ignores echoes that come back too late', () => {
    const f = new EchoFilter();
    const a = frame(3);
    f.remember(a, 4, 60, 1000);
    expect(f.isEcho(a, 4, 60, 3001)).toBe(false);
  });
  it('forgets the oldest entries when the ring wraps', () => {
    const f = new EchoFilter();
    for (let i = 0; i < 600; i++) f.remember(frame(i), 4, 60, 1000);
    expect(f.isEcho(frame(0), 4, 60, 1000)).toBe(false);
    expect(f.isEcho(frame(599), 4, 60, 1000)).toBe(true);
  });
});
