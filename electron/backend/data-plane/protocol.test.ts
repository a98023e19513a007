import { describe, expect, it } from 'vitest';
import { asToDataPlane, startDataPlane } from './protocol.js';

describe('the start message’s data plane', () => {
  it('is one of auto, native, js; anything else is refused in words, never guessed', () => {
    for (const v of ['auto', 'native', 'js'] as const) expect(startDataPlane({ dataPlane: v })).toEqual({ ok: true, value: v });
    expect(startDataPlane({})).toEqual({ ok: false, error: 'the data-plane process was asked for data plane undefined, not one of auto, native, js' });
    expect(startDataPlane({ dataPlane: 'NATIVE' })).toMatchObject({ ok: false, error: expect.stringContaining('"NATIVE"') });
    expect(startDataPlane({ dataPlane: 'x'.repeat(500) })).toMatchObject({ ok: false, error: expect.not.stringContaining('x'.repeat(41)) });
    expect(startDataPlane({ dataPlane: 1 })).toMatchObject({ ok: false });
  });

  it('travels in the start message as it is (the process checks it)', () => {
    const m = { type: 'start', legs: [], options: {}, snapshotIntervalMs: 250, dataPlane: 'js' };
    expect(asToDataPlane(m)).toBe(m);
  });
});
