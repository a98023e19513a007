import { describe, expect, it } from 'vitest';
import { ReplayWindow, WINDOW_SIZE } from './replay-window.js';

const hi = (c: bigint) => Number(c >> 32n);
const lo = (c: bigint) => Number(c & 0xffff_ffffn);
const M = (1n << 64n) - 1n; // the largest counter
const P32 = 1n << 32n;

/** Each step: the counter arrives; `ok` is what check() and then accept() must say. */
type Step = readonly [counter: bigint, ok: boolean];
const run = (from: bigint, to: bigint, ok: boolean): Step[] => {
  const steps: Step[] = [];
  for (let c = from; c <= to; c++) steps.push([c, ok]);
  return steps;
};

// H = the highest counter accepted so far. Accepted: counter > H, or
// H - counter <= 4095 and not seen. Rejected: H - counter >= 4096, or seen.
const scenarios: ReadonlyArray<{ name: string; steps: readonly Step[] }> = [
  { name: 'in order from 0', steps: run(0n, 200n, true) },
  {
    name: 'counter 0 first, then again',
    steps: [
      [0n, true],
      [0n, false],
      [1n, true],
      [0n, false],
    ],
  },
  {
    name: 'out of order within the window',
    steps: [
      [10n, true],
      [5n, true],
      [7n, true],
      [11n, true],
      [0n, true],
      [6n, true],
      [3n, true],
      [9n, true],
    ],
  },
  {
    name: 'duplicates, newest and older',
    steps: [
      [100n, true],
      [100n, false],
      [99n, true],
      [99n, false],
      [101n, true],
      [100n, false],
      [99n, false],
    ],
  },
  {
    name: 'the window edge: H - 4095 accepted, H - 4096 rejected',
    steps: [
      [10000n, true],
      [5905n, true],
      [5904n, false],
      [5905n, false],
      [10000n, false],
      [9999n, true],
    ],
  },
  {
    name: 'the window edge at the start: 4095 then 0; 4096 then 0 is too old',
    steps: [
      [4095n, true],
      [0n, true],
      [4096n, true],
      [0n, false],
      [1n, true],
      [1n, false],
    ],
  },
  {
    name: 'first counter far from 0: older ones outside the window',
    steps: [
      [5000n, true],
      [0n, false],
      [904n, false],
      [905n, true],
    ],
  },
  {
    name: 'steps inside one 64-bit block and across its end',
    steps: [
      [64n, true],
      [70n, true],
      [65n, true],
      [127n, true],
      [128n, true],
      [66n, true],
      [64n, false],
      [127n, false],
      [129n, true],
    ],
  },
  {
    name: 'a jump of less than the ring keeps the seen bits still in the window',
    steps: [...run(1000n, 1099n, true), [1192n, true], [1099n, false], [1000n, false], [1100n, true], [1191n, true]],
  },
  {
    name: 'a big jump forward clears the blocks (same ring bits, newer counters)',
    // 98304 = 12 * 8192 uses the ring bit of counter 0; 98367 that of 63.
    steps: [...run(0n, 63n, true), [100000n, true], [98304n, true], [98367n, true], [98304n, false], [0n, false], [95905n, true], [95904n, false]],
  },
  {
    name: 'a jump of exactly one ring (8192) reuses the bit of the older counter',
    steps: [
      [4100n, true],
      [12292n, true],
      [12292n, false],
      [4100n, false],
      [8197n, true],
      [8196n, false],
    ],
  },
  {
    name: 'one bit position, counters 2^33 apart (high halves differ)',
    steps: [
      [5n, true],
      [(2n << 32n) + 5n, true],
      [5n, false],
      [(2n << 32n) + 5n, false],
      [(2n << 32n) + 4n, true],
    ],
  },
  {
    name: 'crossing 2^32 (the low half wraps)',
    steps: [
      [P32 - 2n, true],
      [P32 - 1n, true],
      [P32, true],
      [P32 + 1n, true],
      [P32 - 1n, false],
      [P32 - 3n, true],
      [P32 + 1n - 4095n, true],
      [P32 + 1n - 4096n, false],
    ],
  },
  {
    name: 'huge counters near 2^64 - 1',
    steps: [
      [M - 10n, true],
      [M, true],
      [M - 10n, false],
      [M - 5n, true],
      [M - 4095n, true],
      [M - 4096n, false],
      [M, false],
      [0n, false],
      [M - 1n, true],
    ],
  },
  {
    name: 'from 0 straight to 2^63 and back',
    steps: [
      [0n, true],
      [1n << 63n, true],
      [0n, false],
      [(1n << 63n) - 1n, true],
      [(1n << 63n) - 4096n, false],
    ],
  },
];

describe('ReplayWindow', () => {
  it('covers 4096 counters', () => {
    expect(WINDOW_SIZE).toBe(4096);
  });

  it.each(scenarios)('$name', ({ steps }) => {
    const w = new ReplayWindow();
    steps.forEach(([c, ok], i) => {
      const where = `step ${i}: counter ${c}`;
      expect(w.check(hi(c), lo(c)), where).toBe(ok);
      const before = w.highest;
      expect(w.accept(hi(c), lo(c)), where).toBe(ok);
      expect(w.highest, where).toBe(ok && c > before ? c : before);
    });
  });

  it('check() changes nothing', () => {
    const w = new ReplayWindow();
    for (let i = 0; i < 3; i++) {
      expect(w.check(0, 5000)).toBe(true);
      expect(w.check(0, 0)).toBe(true);
    }
    expect(w.highest).toBe(0n);
    expect(w.accept(0, 0)).toBe(true); // 0 was never marked by the checks
  });

  it('a refused accept() changes nothing', () => {
    const w = new ReplayWindow();
    w.accept(0, 10000);
    expect(w.accept(0, 5000)).toBe(false);
    expect(w.highest).toBe(10000n);
    expect(w.accept(0, 5905)).toBe(true);
  });

  it('agrees with a set-based model over 200,000 random arrivals', () => {
    let seed = 0x9e3779b9;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const w = new ReplayWindow();
    const seen = new Set<bigint>();
    let h = 0n;
    let cursor = P32 - 50_000n; // crosses the 2^32 boundary on the way
    let accepted = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 200_000; i++) {
      const r = rand();
      if (r < 0.001)
        cursor += BigInt(Math.floor(rand() * 20_000)); // a jump
      else if (r < 0.6) cursor += 1n;
      const c = cursor - BigInt(Math.floor(rand() * rand() * 5000)); // sometimes older than the window
      const want = (c > h || h - c < 4096n) && !seen.has(c);
      const checked = w.check(hi(c), lo(c));
      const took = w.accept(hi(c), lo(c));
      if (checked !== want || took !== want) mismatches.push(`arrival ${i}: counter ${c}, H ${h}: want ${want}, check ${checked}, accept ${took}`);
      if (want) {
        seen.add(c);
        if (c > h) h = c;
        accepted++;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(w.highest).toBe(h);
    expect(accepted).toBeGreaterThan(50_000);
  });

  it('prints its highest counter only', () => {
    const w = new ReplayWindow();
    w.accept(0, 42);
    expect(String(w)).toBe('ReplayWindow(highest 42)');
  });
});
