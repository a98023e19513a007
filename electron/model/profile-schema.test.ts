import { describe, expect, it } from 'vitest';
import { CANONICAL_LEGS } from './canonical-legs.js';
import { EXPORT_KEY_ENV, exportLegs, hasLiteralKey, maskLegKey, parseProfileJson, profileNameProblem, serializeProfile, validateProfile } from './profile-schema.js';
import { parseLeg } from './leg-grammar.js';

describe('profileNameProblem', () => {
  const cases: readonly [unknown, string | undefined][] = [
    ['lab', undefined],
    ['Site A – provider (2)', undefined],
    ['München-Büro', undefined],
    ['x'.repeat(64), undefined],
    ['x'.repeat(65), 'at most 64'],
    ['', 'empty'],
    [' lab', 'space'],
    ['lab ', 'space'],
    ['a/b', '"/"'],
    ['a\\b', '"\\\\"'],
    ['../etc/passwd', '"/"'],
    ['..', 'start with "."'],
    ['.hidden', 'start with "."'],
    ['dot.', 'end with "."'],
    ['C:', '":"'],
    ['a*b', '"*"'],
    ['a?b', '"?"'],
    ['a|b', '"|"'],
    ['a<b>', '"<"'],
    ['tab\there', 'control'],
    ['nul\u0000', 'control'],
    ['CON', 'reserved'],
    ['nul.json', 'reserved'],
    ['com1', 'reserved'],
    ['console', undefined],
    [42, 'expected a string'],
    [null, 'expected a string'],
  ];
  it.each(cases)('%j → %s', (name, want) => {
    const got = profileNameProblem(name);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(want);
  });
});

describe('validateProfile', () => {
  const good = { version: 1, name: 'lab', legs: ['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2'] };
  const cases: readonly [string, unknown, string][] = [
    ['not an object', [1, 2], 'profile: expected a JSON object, got a list'],
    ['null', null, 'profile: expected a JSON object, got null'],
    ['missing version', { name: 'lab', legs: [] }, 'version: missing'],
    ['wrong version type', { ...good, version: '1' }, 'version: expected 1, got "1"'],
    ['newer version', { ...good, version: 2 }, 'version: 2 was written by a newer vxbridge'],
    ['missing name', { version: 1, legs: [] }, 'name: missing'],
    ['bad name', { ...good, name: 'a/b' }, 'name: must not contain "/"'],
    ['legs missing', { version: 1, name: 'lab' }, 'legs: missing'],
    ['legs not a list', { ...good, legs: 'x' }, 'legs: expected a list of leg strings'],
    ['leg not a string', { ...good, legs: ['5000#W:E', 7] }, 'legs[1]: expected a leg string, got number'],
    ['bad leg', { ...good, legs: ['5000#W:E', '1#W:E', '5000#X:E@1'] }, 'legs[2]: invalid leg "5000#X:E@1": unknown leg kind \'X\'; expected KIND'],
    ['too many legs', { ...good, legs: Array(65).fill('1#W:E') }, 'legs: at most 64 legs'],
    ['huge leg', { ...good, legs: ['1#W:E@' + 'a'.repeat(600)] }, 'legs[0]: leg string longer than 512'],
    ['autoStart type', { ...good, autoStart: 'yes' }, 'autoStart: expected true or false, got string'],
    ['updatedAt junk', { ...good, updatedAt: 'yesterday' }, 'updatedAt: expected an ISO 8601 date string'],
    ['unknown field', { ...good, extra: 1 }, 'extra: unknown field'],
  ];
  it.each(cases)('%s', (_label, input, error) => {
    const r = validateProfile(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
  });

  it('accepts a good profile and normalizes it', () => {
    const r = validateProfile({ ...good, legs: [' 5000#W:E@eth0 '], autoStart: true, updatedAt: '2025-01-02T03:04:05Z' });
    expect(r).toEqual({
      ok: true,
      value: { version: 1, name: 'lab', legs: ['5000#W:E@eth0'], autoStart: true, updatedAt: '2025-01-02T03:04:05.000Z' },
    });
  });

  it('masks keys in leg errors', () => {
    const r = validateProfile({ ...good, legs: ['5000#Q:E@1.2.3.4:0*topsecret:8000'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toContain('topsecret');
    expect(maskLegKey('5000#V:E@*:203.0.113.5*secret:8000')).toBe('5000#V:E@*:203.0.113.5*****:8000');
  });
});

describe('parseProfileJson (corrupt files)', () => {
  const cases: readonly [string, string, string][] = [
    ['empty file', '', 'profile: file is empty'],
    ['only whitespace', '  \n', 'profile: file is empty'],
    ['truncated', '{"version":1,"name":"lab","legs":["5000#W', 'profile: not valid JSON'],
    ['binary junk', '\u0000\u0001\u0002PK', 'profile: not valid JSON'],
    ['a number', '42', 'profile: expected a JSON object, got number'],
    ['too large', ' '.repeat(300 * 1024), 'larger than 256 KiB'],
  ];
  it.each(cases)('%s', (_label, text, error) => {
    const r = parseProfileJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
  });

  it('reads a file with a UTF-8 BOM (Notepad)', () => {
    expect(parseProfileJson('\uFEFF{"version":1,"name":"a","legs":[]}').ok).toBe(true);
  });

  it('serialize → parse round trip', () => {
    const p = { version: 1 as const, name: 'rt', legs: ['1#W:E@eth0'], autoStart: false, updatedAt: '2025-01-01T00:00:00.000Z' };
    const text = serializeProfile(p);
    expect(text.endsWith('\n')).toBe(true);
    expect(parseProfileJson(text)).toEqual({ ok: true, value: p });
  });
});

describe('profile errors never show a key', () => {
  it.each([
    ['5000#V:E@*:203.0.113.5*ab@s3cret', '5000#V:E@*:203.0.113.5*****'],
    ['5000#V:E@*:203.0.113.5*a*s3cret:8000', '5000#V:E@*:203.0.113.5*****:8000'],
    ['5000#V:E@203.0.113.5:0:8000*s3cret', '5000#V:E@203.0.113.5:0:8000*****'],
    ['5000#V:E@*s3cret:203.0.113.5', '5000#V:E@*****:203.0.113.5'],
    ['5000#V:E@10.0.0.1:0*env:VXB_KEY:8000', '5000#V:E@10.0.0.1:0*env:VXB_KEY:8000'],
  ])('maskLegKey(%j)', (leg, masked) => {
    expect(maskLegKey(leg)).toBe(masked);
  });

  it.each([
    '5000#V:E@203.0.113.5:0:8000*s3cret',
    '5000#V:E@203.0.113.5:0:8000*ab@s3cret',
    '5000#V:E@*:203.0.113.5*ab@s3cret:0',
    '5000#V:E@*s3cret:203.0.113.5',
    '5000#V:E@203.0.113.5*s3cret:0',
    '5000#V:E@203.0.113.5:0*s3cret x',
    '5000#V:E@203.0.113.5:0*env:s3cret-x',
    '5000#Q:E@203.0.113.5:0*ab@s3cret:8000',
  ])('validateProfile, real grammar: %j', (leg) => {
    const r = validateProfile({ version: 1, name: 'lab', legs: [leg] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toContain('s3cret');
  });

  it.each([
    ['truncated in a key', '{"version":1,"name":"lab","legs":["5000#V:E@*:203.0.113.5*s3cret', 'line 1, column 65: a string is not closed'],
    ['missing comma', '{"version":1,\n "legs":["5000#V:E@*:203.0.113.5*s3cret:8000"] "name":"x"}', "line 2, column 48: expected ',' or '}'"],
    ['bad token', '{"legs":["5000#V:E@*:203.0.113.5*s3cret"], x}', 'line 1, column 44: expected a property name in double quotes'],
    ['single quotes', "{'legs':['5000#V:E@*:203.0.113.5*s3cret']}", 'line 1, column 2: expected a property name in double quotes'],
    ['trailing text', '{"legs":["*s3cret"]} s3cret', 'line 1, column 22: unexpected text after the end of the JSON value'],
    ['bad escape', '{"legs":["*s3cret\\q"]}', 'line 1, column 18: invalid escape in a string'],
    ['control character', '{"legs":["*s3cret\u0001"]}', 'line 1, column 18: control character in a string'],
    ['bad literal', '[tru, "s3cret"]', 'line 1, column 2: unexpected character'],
    ['binary junk', '\u0000\u0001\u0002PK', 'line 1, column 1: unexpected character'],
    ['BOM, then truncated', '\uFEFF{"a":', 'line 1, column 6: the file ends too early'],
  ])('parseProfileJson: %s', (_label, text, where) => {
    const r = parseProfileJson(text);
    expect(r).toEqual({ ok: false, error: `profile: not valid JSON (${where})` });
  });

  it('parseProfileJson survives deep nesting', () => {
    const r = parseProfileJson('['.repeat(200_000));
    expect(r).toEqual({ ok: false, error: 'profile: not valid JSON (line 1, column 200001: the file ends too early)' });
  });
});

describe('export without keys', () => {
  it.each([
    ['5000#V:E@10.0.0.1:0*s3cret:8000', true],
    ['5000#V:E@10.0.0.1:0*env:8000', true], // a literal key "env"
    ['5000#V:E@10.0.0.1:0*env:LAB_KEY', false],
    ['5000#V:E@*:10.0.0.1*file:C:\\keys\\lab.key', false],
    ['5000#V:E@10.0.0.1:0', false],
    ['5000#W:E@eth0', false],
    ['not a leg', false],
  ])('hasLiteralKey(%s) = %s', (leg, has) => {
    expect(hasLiteralKey(leg)).toBe(has);
  });

  it('keeps the legs as they are when keys are included', () => {
    expect(exportLegs(['5000#v:e@10.0.0.1:0*s3cret'], { includeKeys: true })).toEqual({ ok: true, value: { legs: ['5000#v:e@10.0.0.1:0*s3cret'], keysReplaced: 0 } });
  });

  it('turns every canonical leg with a typed key into one that still encrypts, with no key in it', () => {
    const r = exportLegs(CANONICAL_LEGS, { includeKeys: false });
    if (!r.ok) throw new Error(r.error);
    r.value.legs.forEach((out, i) => {
      const before = parseLeg(CANONICAL_LEGS[i]!);
      const after = parseLeg(out);
      if (!before.ok || !after.ok) throw new Error('canonical legs parse');
      if (!hasLiteralKey(CANONICAL_LEGS[i]!)) return expect(out).toBe(CANONICAL_LEGS[i]);
      if (before.spec.kind !== 'V') throw new Error('only V legs have keys');
      const { key, ...rest } = before.spec;
      expect(key).toBeTruthy();
      expect(after.spec).toEqual({ ...rest, keyEnv: expect.stringMatching(new RegExp(`^${EXPORT_KEY_ENV}(_[0-9]+)?$`)) });
      expect(hasLiteralKey(out)).toBe(false);
    });
    expect(r.value.keysReplaced).toBe(CANONICAL_LEGS.filter(hasLiteralKey).length);
    // Every canonical leg with a key reads "secret" or another key: the same key gets the same name.
    const names = r.value.legs.filter((_, i) => CANONICAL_LEGS[i]!.includes('*secret')).map((l) => /\*env:([A-Z_0-9]+)/.exec(l)?.[1]);
    expect(new Set(names)).toEqual(new Set([EXPORT_KEY_ENV]));
  });

  it('refuses a leg it cannot read rather than write it as it is', () => {
    const r = exportLegs(['5000#V:E@10.0.0.1:0*s3cret', '5000#V:E@10.0.0.1:0*s3 cret'], { includeKeys: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).not.toContain('s3');
  });
});
