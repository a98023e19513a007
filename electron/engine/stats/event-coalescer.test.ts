import { describe, expect, it } from 'vitest';
import { EVENT_KEYS_MAX } from '../../model/defaults.js';
import type { BridgeEvent } from '../../model/events.js';
import { EventCoalescer, Kind } from './event-coalescer.js';

const learned = (leg: number, address: string): BridgeEvent => ({ type: 'peer-learned', leg, address });
const expired = (leg: number, address: string): BridgeEvent => ({ type: 'peer-expired', leg, address });
const moved = (leg: number, from: string, to: string): BridgeEvent => ({ type: 'peer-moved', leg, from, to });

/** What went out, compactly: "type leg key [×count] [mixed]". */
function shown(e: BridgeEvent): string {
  const key =
    e.type === 'peer-moved'
      ? `${e.from}>${e.to}`
      : 'address' in e
        ? e.address
        : 'mac' in e
          ? e.mac
          : e.type === 'data-plane'
            ? e.state
            : e.type === 'leg-state'
              ? e.state
              : e.message;
  const leg = 'leg' in e ? ` ${e.leg}` : '';
  const count = 'count' in e && e.count !== undefined ? ` ×${e.count}` : '';
  return `${e.type}${leg} ${key}${count}${'mixed' in e && e.mixed === true ? ' mixed' : ''}`;
}

/** A step is either events offered in one second, or 'sweep' (the bridge's 1 s timer). */
type Step = BridgeEvent[] | 'sweep';

function run(steps: readonly Step[], maxKeys?: number) {
  const out: string[] = [];
  const c = new EventCoalescer((e) => out.push(shown(e)), maxKeys);
  for (const s of steps) {
    if (s === 'sweep') {
      c.sweep();
      out.push('--');
    } else for (const e of s) c.emit(e);
  }
  return { out, c };
}

describe('EventCoalescer', () => {
  const A = '198.51.100.1:1000';
  const B = '198.51.100.1:1001';
  // prettier-ignore
  const rows: { name: string; steps: Step[]; out: string[] }[] = [
    { name: 'a single event goes out at once, no summary', steps: [[learned(0, A)], 'sweep'], out: [`peer-learned 0 ${A}`, '--'] },
    {
      name: 'repeats in the same second: one summary with their count at the sweep',
      steps: [[expired(0, A), expired(0, A), expired(0, A)], 'sweep', 'sweep'],
      out: [`peer-expired 0 ${A}`, `peer-expired 0 ${A} ×2`, '--', '--'],
    },
    {
      name: 'a key busy for several seconds: one summary a second',
      steps: [[expired(0, A), expired(0, A)], 'sweep', [expired(0, A), expired(0, A), expired(0, A)], 'sweep', 'sweep'],
      out: [`peer-expired 0 ${A}`, `peer-expired 0 ${A} ×1`, '--', `peer-expired 0 ${A} ×3`, '--', '--'],
    },
    {
      name: 'a key idle for a whole sweep is forgotten: its next event goes out at once',
      steps: [[learned(0, A)], 'sweep', 'sweep', [learned(0, A)]],
      out: [`peer-learned 0 ${A}`, '--', '--', `peer-learned 0 ${A}`],
    },
    {
      name: 'keys are per type, leg and peer',
      steps: [[learned(0, A), learned(0, B), learned(1, A), expired(0, A), learned(0, A)], 'sweep'],
      out: [`peer-learned 0 ${A}`, `peer-learned 0 ${B}`, `peer-learned 1 ${A}`, `peer-expired 0 ${A}`, `peer-learned 0 ${A} ×1`, '--'],
    },
    {
      name: 'a VTEP flapping between two ports: two events at once, two summaries',
      steps: [[moved(0, A, B), moved(0, B, A), moved(0, A, B), moved(0, B, A), moved(0, A, B)], 'sweep', 'sweep'],
      out: [`peer-moved 0 ${A}>${B}`, `peer-moved 0 ${B}>${A}`, `peer-moved 0 ${A}>${B} ×2`, `peer-moved 0 ${B}>${A} ×1`, '--', '--'],
    },
    {
      name: 'leg states, warnings and data-plane events are never held back',
      steps: [[{ type: 'warning', leg: 0, message: 'w' }, { type: 'warning', leg: 0, message: 'w' }, { type: 'leg-state', leg: 0, state: 'running' }, { type: 'data-plane', state: 'crashed', message: 'x' }], 'sweep'],
      out: ['warning 0 w', 'warning 0 w', 'leg-state 0 running', 'data-plane crashed', '--'],
    },
  ];
  it.each(rows)('$name', ({ steps, out }) => {
    expect(run(steps).out).toEqual(out);
  });

  it('20,000 keepalives from two alternating ports raise 4 events, not 19,999', () => {
    const moves: BridgeEvent[] = [];
    for (let i = 1; i < 20_000; i++) moves.push(i % 2 === 1 ? moved(0, A, B) : moved(0, B, A));
    const { out } = run([moves, 'sweep', 'sweep']);
    expect(out.filter((l) => l !== '--')).toEqual([`peer-moved 0 ${A}>${B}`, `peer-moved 0 ${B}>${A}`, `peer-moved 0 ${A}>${B} ×9999`, `peer-moved 0 ${B}>${A} ×9998`]);
  });

  it('past maxKeys, new keys of a type and leg share one summary, marked mixed; memory stays bounded', () => {
    const many = Array.from({ length: 10 }, (_, i) => learned(0, `203.0.113.${i}:4789`));
    const { out, c } = run([many], 3);
    expect(c.size).toBe(3);
    c.sweep();
    expect(out).toEqual([
      'peer-learned 0 203.0.113.0:4789',
      'peer-learned 0 203.0.113.1:4789',
      'peer-learned 0 203.0.113.2:4789',
      'peer-learned 0 203.0.113.3:4789', // the first past the limit, at once
      'peer-learned 0 203.0.113.3:4789 ×6 mixed', // and the 6 after it
    ]);
    c.sweep();
    expect(c.size).toBe(0);
  });

  it(`tracks at most ${EVENT_KEYS_MAX} keys by default, whatever arrives`, () => {
    const c = new EventCoalescer(() => {});
    for (let i = 0; i < 100_000; i++) c.emit(learned(i % 4, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:4789`));
    expect(c.size).toBe(EVENT_KEYS_MAX);
  });

  it('the gate: only an admitted occurrence builds its event; the rest are counted', () => {
    const out: BridgeEvent[] = [];
    const c = new EventCoalescer((e) => out.push(e));
    const mac = 0x020000000001;
    const admitted = [0, 1, 2].map(() => c.admit(Kind.macLocalHold, 1, mac));
    expect(admitted).toEqual([true, false, false]);
    const e: BridgeEvent = { type: 'mac-move-refused', leg: 1, segment: 7, mac: '02:00:00:00:00:01', heldLeg: 0, reason: 'local-hold' };
    c.report(e);
    expect(c.admit(Kind.macMoveRate, 1, mac)).toBe(true); // another kind, another key
    c.sweep();
    expect(out).toEqual([e, { ...e, count: 2 }]);
  });

  it('flush at stop sends the pending summaries and forgets every key', () => {
    const { out, c } = run([[learned(0, A), learned(0, A), learned(0, B)]]);
    c.flush();
    expect(out).toEqual([`peer-learned 0 ${A}`, `peer-learned 0 ${B}`, `peer-learned 0 ${A} ×1`]);
    expect(c.size).toBe(0);
  });
});
