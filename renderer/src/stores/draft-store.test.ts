import { beforeEach, describe, expect, it } from 'vitest';
import { checkDraft, commandLineFor, hasLiteralKey, resetDrafts, startableLegs, useDrafts } from './draft-store.js';

beforeEach(() => resetDrafts());

const d = () => useDrafts.getState();

describe('draft store', () => {
  it('validates as you type with the CLI parser', () => {
    const id = d().add({ kind: 'V' });
    d().update(id, { vLocal: '10.10.1.10', peers: ['10.10.2.1x'] });
    let c = checkDraft(d().legs[0]!);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.field).toBe('peers');
    d().update(id, { peers: ['10.10.2.10'] });
    c = checkDraft(d().legs[0]!);
    expect(c.ok).toBe(true);
    expect(d().legs[0]!.text).toBe('5000#V:E@10.10.1.10:10.10.2.10');
  });

  it('no start with an invalid leg, and says which one', () => {
    d().add({ kind: 'W', nic: 'eth0' });
    const bad = d().add({ kind: 'V', vLocal: '10.0.0.1', peers: ['10.0.0.300'] });
    const s = startableLegs(d().legs);
    expect(s.ok).toBe(false);
    expect(!s.ok && s.legId).toBe(bad);
    expect(!s.ok && s.reason).toMatch(/^Leg 2: /);
    expect(startableLegs([]).ok).toBe(false);
  });

  it('gives canonical leg strings to start', () => {
    const id = d().add({ kind: 'W', nic: 'eth0' });
    d().setText(id, ' 05000#w:e@eth0 ');
    d().add({ kind: 'V', vLocal: '10.0.0.1', peers: ['10.0.0.2'] });
    expect(startableLegs(d().legs)).toEqual({ ok: true, legs: ['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2'] });
  });

  it('text edits that parse update the form; others keep it and show the error', () => {
    const id = d().add({ kind: 'V' });
    d().setText(id, '7#V:E@*:203.0.113.5*secret:8000');
    let leg = d().legs[0]!;
    expect(leg.fields).toMatchObject({ kind: 'V', mode: 'access', provider: '203.0.113.5', key: 'secret', port: '8000', segment: '7' });
    d().setText(id, '7#V:E@*:203.0.113.5*sec ret');
    leg = d().legs[0]!;
    expect(leg.fields.provider).toBe('203.0.113.5');
    const c = checkDraft(leg);
    expect(c.ok).toBe(false);
    expect(!c.ok && c.offset).toBe('7#V:E@*:203.0.113.5*sec'.length);
  });

  it('pastes a ubdg command line', () => {
    const r = d().paste('ubdg.exe 5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10 "5000#W:E@Microsoft KM-TEST Loopback Adapter" --json');
    expect(r).toEqual({ ok: true, count: 2, ignoredOptions: ['--json'] });
    expect(d().legs.map((l) => l.text)).toEqual(['5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10', '5000#W:E@Microsoft KM-TEST Loopback Adapter']);
    expect(d().legs[1]!.fields.nic).toBe('Microsoft KM-TEST Loopback Adapter');
  });

  it('a bad paste changes nothing and says why', () => {
    d().add({ kind: 'W', nic: 'eth0' });
    const r = d().paste('ubdg 5000#V:E@10.10.1.10');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain('leg 1 of 1');
    expect(d().legs).toHaveLength(1);
  });

  it('paste can append', () => {
    d().add({ kind: 'W', nic: 'eth0' });
    d().paste('5000#V:E@10.0.0.1:0', 'append');
    expect(d().legs).toHaveLength(2);
  });

  it('copies as a ubdg command line that pastes back the same', () => {
    d().paste("ubdg '5000#W:E@Microsoft KM-TEST Loopback Adapter' 5000#V:E@203.0.113.5:0*s3cret:8000");
    const line = commandLineFor(d().legs);
    expect(line).toEqual({ ok: true, line: "ubdg '5000#W:E@Microsoft KM-TEST Loopback Adapter' '5000#V:E@203.0.113.5:0*s3cret:8000'" });
    expect(hasLiteralKey(d().legs)).toBe(true);
    const masked = commandLineFor(d().legs, { maskKeys: true });
    expect(masked.ok && masked.line).toContain('*<key>');
    const before = d().legs.map((l) => l.text);
    if (line.ok) d().paste(line.line);
    expect(d().legs.map((l) => l.text)).toEqual(before);
  });

  it('remove, duplicate and move', () => {
    const a = d().add({ kind: 'W', nic: 'eth0' });
    const b = d().add({ kind: 'V', vLocal: '10.0.0.1', peers: ['10.0.0.2'] });
    const c = d().duplicate(b)!;
    expect(d().legs.map((l) => l.id)).toEqual([a, b, c]);
    d().move(c, -1);
    expect(d().legs.map((l) => l.id)).toEqual([a, c, b]);
    d().select(c);
    d().remove(c);
    expect(d().legs.map((l) => l.id)).toEqual([a, b]);
    expect(d().selectedId).toBe(b);
  });

  it('a new leg takes the segment of the last one', () => {
    d().add({ kind: 'W', nic: 'eth0', segment: '42' });
    d().add({ kind: 'V' });
    expect(d().legs[1]!.fields.segment).toBe('42');
  });
});
