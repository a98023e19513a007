// The replay window's rules as a table, for every implementation: the
// engine's (replay-window.test.ts) and the native data plane's Opener
// (native/dataplane/secure-session.test.ts). Imported by tests only.
import { describe, expect, it } from 'vitest';
import type { ReplayCheck } from '../ports/session-crypto-port.js';

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

/** A repeatable stream of numbers in [0, 1) (mulberry32), so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function describeReplayWindow(name: string, make: () => ReplayCheck): void {
  describe(name, () => {
    it.each(scenarios)('$name', ({ steps }) => {
      const w = make();
      steps.forEach(([c, ok], i) => {
        const where = `step ${i}: counter ${c}`;
        expect(w.check(hi(c), lo(c)), where).toBe(ok);
        const before = w.highest;
        expect(w.accept(hi(c), lo(c)), where).toBe(ok);
        expect(w.highest, where).toBe(ok && c > before ? c : before);
      });
    });

    it('check() changes nothing', () => {
      const w = make();
      for (let i = 0; i < 3; i++) {
        expect(w.check(0, 5000)).toBe(true);
        expect(w.check(0, 0)).toBe(true);
      }
      expect(w.highest).toBe(0n);
      expect(w.accept(0, 0)).toBe(true); // 0 was never marked by the checks
    });

    it('a refused accept() changes nothing', () => {
      const w = make();
      w.accept(0, 10000);
      expect(w.accept(0, 5000)).toBe(false);
      expect(w.highest).toBe(10000n);
      expect(w.accept(0, 5905)).toBe(true);
    });

    it('agrees with a set-based model over 200,000 random arrivals', () => {
      const rand = seededRandom(0x9e3779b9);
      const w = make();
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

    describe('closeUpTo(C): everything at or below C counts as seen', () => {
      // For a session confirmed by a response with counter C (SecureSessions.confirm):
      // what the sender sent before it never counts, whatever came here of it.
      // Steps as above, plus ['close', C]; after a close the window works as before.
      type CloseStep = Step | readonly ['close', bigint];
      const blockEnd = (c: bigint) => c % 64n === 63n; // the last counter of a 64-counter ring block
      const closing = (name: string, steps: readonly CloseStep[]) => ({ name, steps });
      const runClose = (steps: readonly CloseStep[]) => {
        const w = make();
        steps.forEach((step, i) => {
          const before = w.highest;
          if (step[0] === 'close') {
            w.closeUpTo(hi(step[1]), lo(step[1]));
            expect(w.highest, `step ${i}: close ${step[1]}`).toBe(step[1] > before ? step[1] : before); // never back
            return;
          }
          const [c, ok] = step;
          const where = `step ${i}: counter ${c}`;
          expect(w.check(hi(c), lo(c)), where).toBe(ok);
          expect(w.accept(hi(c), lo(c)), where).toBe(ok);
          expect(w.highest, where).toBe(ok && c > before ? c : before);
        });
      };

      // Closes at the end of a 64-counter block; the rows below close inside one.
      const rows = [
        closing('on a fresh window: C and everything below are rejected, above accepted once', [
          ['close', 4095n],
          [4095n, false],
          [4094n, false],
          [1n, false],
          [0n, false],
          [4096n, true],
          [4098n, true],
          [4097n, true],
          [4096n, false],
          [4095n, false],
        ]),
        closing('after traffic: the unseen counters below C are closed too; the window edge is as before', [
          ...run(0n, 50n, true),
          [127n, true],
          ['close', 127n],
          [127n, false],
          [51n, false],
          [126n, false],
          [128n, true],
          [10000n, true],
          [5905n, true],
          [5904n, false],
          [9999n, true],
          [9999n, false],
        ]),
        closing('a close above the highest jumps the window there', [
          [10n, true],
          ['close', 8191n],
          [8191n, false],
          [4096n, false],
          [4095n, false],
          [8192n, true],
          [8193n, true],
        ]),
        closing('a close below the highest never moves it back, nor lets anything below C in', [
          [10047n, true], // the highest at a block end, too
          ['close', 5055n],
          [5055n, false],
          [5000n, false],
          [10047n, false],
          [10048n, true],
        ]),
        closing('a big jump after a close: the ring is reused, the closed bits do not linger', [
          ['close', 8191n],
          [100000n, true],
          [98304n, true], // the ring bit of 8192 * 12
          [95905n, true], // H - 4095
          [95904n, false], // H - 4096
          [100000n, false],
          [99999n, true],
        ]),
        closing('across 2^32 (the low half wraps)', [
          ['close', P32 - 1n],
          [P32 - 1n, false],
          [P32 - 2n, false],
          [P32, true],
          [P32 + 2n, true],
          [P32 + 1n, true],
          [P32, false],
        ]),
        closing('near 2^64 - 1', [
          ['close', M - 64n],
          [M - 64n, false],
          [M - 4000n, false],
          [M - 63n, true],
          [M, true],
          [M - 62n, true],
          [M - 64n, false],
          [0n, false],
        ]),
        closing('twice, the second above the first', [
          ['close', 63n],
          [64n, true],
          ['close', 127n],
          [100n, false],
          [64n, false],
          [128n, true],
          [129n, true],
        ]),
      ];
      it('the rows close at block ends', () => {
        for (const r of rows) for (const step of r.steps) if (step[0] === 'close') expect(blockEnd(step[1]), r.name).toBe(true);
      });
      it.each(rows)('$name', ({ steps }) => runClose(steps));

      // Closes anywhere in a block: the counters after the highest in its own
      // 64-counter block stay unseen (accept() clears only the blocks it moves
      // into). A close below the highest closes everything up to the highest
      // (README: a packet that overtook the confirming response is lost, never replayed).
      it.each([
        closing('a close inside a block: the counters after it in that block are accepted, in any order', [
          [100n, true],
          ['close', 100n],
          [100n, false],
          [101n, true],
          [103n, true],
          [102n, true],
          [101n, false],
        ]),
        closing('a close below the highest: everything up to the highest counts as seen, above it is accepted', [
          [10000n, true],
          ['close', 5055n],
          [9999n, false],
          [5056n, false],
          [5055n, false],
          [10001n, true],
        ]),
      ])('$name', ({ steps }) => runClose(steps));

      it('agrees with a set-based model over 100,000 random arrivals and closes', () => {
        const rand = seededRandom(0x2545f491);
        const w = make();
        const seen = new Set<bigint>();
        let h = 0n;
        let closed = -1n; // everything at or below counts as seen
        let cursor = P32 - 30_000n;
        let closes = 0;
        const mismatches: string[] = [];
        for (let i = 0; i < 100_000; i++) {
          const r = rand();
          if (r < 0.002) {
            // A confirmation: closed up to the highest (anywhere in its block).
            const c = h;
            w.closeUpTo(hi(c), lo(c));
            closed = c;
            if (c > h) h = c;
            closes++;
            continue;
          }
          if (r < 0.003) cursor += BigInt(Math.floor(rand() * 20_000));
          else if (r < 0.6) cursor += 1n;
          const c = cursor - BigInt(Math.floor(rand() * rand() * 5000));
          const want = c > closed && (c > h || h - c < 4096n) && !seen.has(c);
          const checked = w.check(hi(c), lo(c));
          const took = w.accept(hi(c), lo(c));
          if (checked !== want || took !== want) mismatches.push(`arrival ${i}: counter ${c}, H ${h}, closed ${closed}: want ${want}, check ${checked}, accept ${took}`);
          if (want) {
            seen.add(c);
            if (c > h) h = c;
          }
        }
        expect(mismatches.slice(0, 5)).toEqual([]);
        expect(w.highest).toBe(h);
        expect(closes).toBeGreaterThan(50);
      });
    });
  });
}
