import { describe, expect, it } from 'vitest';
import { DROP_REASONS } from '../../model/snapshot.js';
import { Drops, Traffic } from './counters.js';

describe('counters', () => {
  it('Drops has a field for every drop reason and snapshots all of them', () => {
    const d = new Drops();
    DROP_REASONS.forEach((r, i) => {
      d[r] += i + 1;
    });
    const s = d.snapshot();
    expect(Object.keys(s).sort()).toEqual([...DROP_REASONS].sort());
    DROP_REASONS.forEach((r, i) => expect(s[r]).toBe(i + 1));
  });
  it('Traffic counts packets and bytes each way', () => {
    const t = new Traffic();
    t.rx(100);
    t.rx(60);
    t.tx(1514);
    expect(t.snapshot()).toEqual({ rxPackets: 2, rxBytes: 160, txPackets: 1, txBytes: 1514 });
  });
});
