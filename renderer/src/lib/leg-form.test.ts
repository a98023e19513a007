import { describe, expect, it } from 'vitest';
import { checkFields, composeLeg, DEFAULT_FIELDS, fieldsFromSpec, legProblem, type LegFields } from './leg-form.js';
import { parseLeg } from '../../../electron/model/leg-grammar.js';
import { CANONICAL_LEGS } from '../../../electron/model/canonical-legs.js';

const f = (patch: Partial<LegFields>): LegFields => ({ ...DEFAULT_FIELDS, ...patch });

describe('composeLeg', () => {
  it('writes every kind and mode as the CLI grammar has it', () => {
    expect(composeLeg(f({ kind: 'W', nic: 'Microsoft KM-TEST Loopback Adapter' })).text).toBe('5000#W:E@Microsoft KM-TEST Loopback Adapter');
    expect(composeLeg(f({ kind: 'U', uLocal: '0.0.0.0', uLocalPort: '10000', uRemote: '10.0.0.2', uRemotePort: '10001' })).text).toBe('5000#U:E@0.0.0.0:10000:10.0.0.2:10001');
    expect(composeLeg(f({ vLocal: '10.10.1.10', peers: ['10.10.2.10', '10.10.3.10', ''] })).text).toBe('5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10');
    expect(composeLeg(f({ mode: 'multicast', vLocal: '10.1.1.1', group: '239.1.1.1', port: '8472' })).text).toBe('5000#V:E@10.1.1.1:239.1.1.1:8472');
    expect(composeLeg(f({ mode: 'provider', vLocal: '203.0.113.5', keySource: 'literal', key: 'secret', port: '8000' })).text).toBe('5000#V:E@203.0.113.5:0*secret:8000');
    expect(composeLeg(f({ mode: 'access', provider: '203.0.113.5', keySource: 'literal', key: 'secret', port: '8000' })).text).toBe('5000#V:E@*:203.0.113.5*secret:8000');
    expect(composeLeg(f({ mode: 'access', provider: '203.0.113.5', keySource: 'env', keyEnv: 'VX_KEY' })).text).toBe('5000#V:E@*:203.0.113.5*env:VX_KEY');
    expect(composeLeg(f({ mode: 'provider', vLocal: '203.0.113.5', keySource: 'file', keyFile: ' /etc/vxbridge/lab.key ', port: '8000' })).text).toBe(
      '5000#V:E@203.0.113.5:0*file:/etc/vxbridge/lab.key:8000',
    );
    expect(composeLeg(f({ mode: 'access', provider: '203.0.113.5', keySource: 'file', keyFile: 'C:\\keys\\lab.key' })).text).toBe('5000#V:E@*:203.0.113.5*file:C:\\keys\\lab.key');
  });
  it('writes only the chosen key source', () => {
    const all = { key: 'typed', keyEnv: 'VX_KEY', keyFile: '/k' };
    const leg = (keySource: LegFields['keySource']) => composeLeg(f({ mode: 'provider', vLocal: '10.0.0.1', keySource, ...all })).text;
    expect(leg('none')).toBe('5000#V:E@10.0.0.1:0');
    expect(leg('literal')).toBe('5000#V:E@10.0.0.1:0*typed');
    expect(leg('env')).toBe('5000#V:E@10.0.0.1:0*env:VX_KEY');
    expect(leg('file')).toBe('5000#V:E@10.0.0.1:0*file:/k');
  });
});

describe('checkFields', () => {
  it('accepts a valid form and returns the spec', () => {
    const r = checkFields(f({ vLocal: '10.10.1.10', peers: ['10.10.2.10'] }));
    expect(r.ok).toBe(true);
  });
  it('points the parser error at the field that caused it', () => {
    const r = checkFields(f({ vLocal: '10.10.1.10', peers: ['10.10.2.10', '10.10.300.1'] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('peers');
    expect(r.index).toBe(1);
    expect(r.message).toContain('300');
  });
  it('flags the segment', () => {
    const r = checkFields(f({ segment: '99999999', vLocal: '10.0.0.1', peers: ['10.0.0.2'] }));
    expect(!r.ok && r.field).toBe('segment');
  });
  it('flags a missing local address', () => {
    const r = checkFields(f({ peers: ['10.0.0.2'] }));
    expect(!r.ok && r.field).toBe('vLocal');
  });
  it('flags a port out of range', () => {
    const r = checkFields(f({ vLocal: '10.0.0.1', peers: ['10.0.0.2'], port: '70000' }));
    expect(!r.ok && r.field).toBe('port');
  });
  it('requires a multicast group in multicast mode', () => {
    const r = checkFields(f({ mode: 'multicast', vLocal: '10.0.0.1', group: '10.0.0.9' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.field).toBe('group');
    expect(!r.ok && r.message).toBe('10.0.0.9 is not a multicast group (224.0.0.0 – 239.255.255.255)');
    expect(!r.ok && r.expected).toMatch(/Unicast mode/);
  });
  it('puts a lone multicast group in unicast mode on its Remote VTEP row, in plain words', () => {
    const r = checkFields(f({ vLocal: '10.0.0.1', peers: ['239.1.1.1', ''] }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('peers');
    expect(r.index).toBe(0);
    expect(r.message).toBe('239.1.1.1 is a multicast group: choose Multicast mode, or enter unicast VTEP addresses');
    expect(r.message).not.toMatch(/unexpected mode/i);
    expect(r.expected).toMatch(/unicast VTEP addresses/);
    expect(r.text.slice(r.offset, r.offset + r.length)).toBe('239.1.1.1');
  });
  it('says what 0 means when it is typed as the unicast peer', () => {
    const r = checkFields(f({ vLocal: '10.0.0.1', peers: ['0'] }));
    expect(!r.ok && [r.field, r.index]).toEqual(['peers', 0]);
    expect(!r.ok && r.message).toMatch(/Provider mode/);
  });
  it('puts * as the local address of a unicast leg on the local address', () => {
    const r = checkFields(f({ vLocal: '*', peers: ['10.0.0.2'] }));
    expect(!r.ok && r.field).toBe('vLocal');
    expect(!r.ok && r.message).toMatch(/Access mode/);
  });
  it('requires an adapter on a W leg', () => {
    const r = checkFields(f({ kind: 'W', nic: '' }));
    expect(!r.ok && r.field).toBe('nic');
  });
  it('flags a key with whitespace', () => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'literal', key: 'two words' }));
    expect(!r.ok && r.field).toBe('key');
  });

  // The grammar's words for a key with ':' (what the CLI says of "…*k:x").
  const grammarColon = (() => {
    const r = parseLeg('1#V:E@*:192.0.2.1*k:x');
    if (r.ok) throw new Error('expected an error');
    return r.error.message;
  })();
  it.each([
    ['zq:cd', ''],
    ['zq:12', ''], // would silently become key "zq" and port 12
    ['zq:12', '8000'],
    ['zq:', ''],
  ])("refuses a typed key with ':' (%s, port %j) on the key field, in the grammar's words", (key, port) => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'literal', key, port }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('key');
    expect(r.message).toBe(grammarColon);
    expect(r.message).toMatch(/cannot contain ':'/);
    expect(r.message).not.toContain('zq');
    expect(r.text.slice(r.offset, r.offset + r.length)).toBe(key.slice(key.indexOf(':')));
  });
  it('still reports an earlier problem of the leg before the key', () => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.300', keySource: 'literal', key: 'ab:12' }));
    expect(!r.ok && r.field).toBe('vLocal');
  });
  it("refuses an environment variable name with ':'", () => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'env', keyEnv: 'VX:1' }));
    expect(!r.ok && [r.field, r.message]).toEqual(['keyEnv', "the text after 'env:' is not an environment variable name"]);
  });
  it('requires a key file path', () => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'file', keyFile: '  ' }));
    expect(!r.ok && r.field).toBe('keyFile');
    expect(legProblem(r)).toBe('incomplete');
  });
  it("accepts key file paths with ':' and spaces (Windows), with and without a port", () => {
    for (const port of ['', '8472']) {
      const r = checkFields(f({ mode: 'access', provider: '203.0.113.5', keySource: 'file', keyFile: 'C:\\Program Files\\vxbridge\\lab.key', port }));
      expect(r.ok && r.spec).toMatchObject({ keyFile: 'C:\\Program Files\\vxbridge\\lab.key', ...(port ? { port: 8472 } : {}) });
    }
  });
  it("refuses a key file path ending in ':' and digits without a port (it would be read as the port)", () => {
    const r = checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'file', keyFile: '/keys/lab:12' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe('keyFile');
    expect(r.message).toMatch(/read as the PORT/);
    expect(r.text.slice(r.offset, r.offset + r.length)).toBe(':12');
    expect(checkFields(f({ mode: 'provider', vLocal: '10.0.0.1', keySource: 'file', keyFile: '/keys/lab:12', port: '4789' }))).toMatchObject({
      ok: true,
      spec: { keyFile: '/keys/lab:12', port: 4789 },
    });
  });
});

describe('legProblem', () => {
  it('tells a leg still to fill in from one with a wrong value', () => {
    expect(legProblem(checkFields(f({ vLocal: '10.0.0.1', peers: ['10.0.0.2'] })))).toBeNull();
    expect(legProblem(checkFields(f({ vLocal: '10.0.0.1', peers: [''] })))).toBe('incomplete');
    expect(legProblem(checkFields(f({ kind: 'W', nic: '' })))).toBe('incomplete');
    expect(legProblem(checkFields(f({ vLocal: '10.0.0.1', peers: ['300.1.1.1'] })))).toBe('invalid');
    expect(legProblem(checkFields(f({ vLocal: '10.0.0.1', peers: ['239.1.1.1'] })))).toBe('invalid');
  });
});

describe('fieldsFromSpec', () => {
  it.each([
    '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10',
    '5000#W:E@eth0',
    '5000#V:E@203.0.113.5:0*secret:8000',
    '5000#V:E@*:203.0.113.5*secret:8000',
    '5000#V:E@10.1.1.1:239.1.1.1:8472',
    '7#U:E@0.0.0.0:10000:127.0.0.1:10001',
    '5000#V:E@*:203.0.113.5*env:VX_KEY',
    '5000#V:E@203.0.113.5:0*file:/etc/vxbridge/lab.key:8000',
    '5000#V:E@*:203.0.113.5*file:C:\\keys\\lab.key',
  ])('round-trips %s through the form', (text) => {
    const r = parseLeg(text);
    if (!r.ok) throw new Error(r.error.message);
    expect(composeLeg(fieldsFromSpec(r.spec)).text).toBe(text);
  });
});

describe('the shared canonical legs (canonical-legs.ts) through the leg form', () => {
  // Fields a leg does not use keep what the user typed before (setText passes the
  // old fields as base): none of it may leak into the leg.
  const STALE: LegFields = {
    kind: 'U',
    segment: '1',
    nic: 'stale nic',
    uLocal: '10.9.9.1',
    uLocalPort: '1',
    uRemote: '10.9.9.2',
    uRemotePort: '2',
    mode: 'multicast',
    vLocal: '10.9.9.3',
    peers: ['10.9.9.4', '10.9.9.5'],
    group: '239.9.9.9',
    provider: '10.9.9.6',
    keySource: 'literal',
    key: 'stale',
    keyEnv: 'STALE',
    keyFile: 'stale.key',
    port: '9999',
  };
  const specOf = (text: string) => {
    const r = parseLeg(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.spec;
  };

  it.each(CANONICAL_LEGS)('%s: string, form, string', (text) => {
    expect(composeLeg(fieldsFromSpec(specOf(text))).text).toBe(text);
    expect(composeLeg(fieldsFromSpec(specOf(text), STALE)).text).toBe(text);
  });

  it('covers every key source of the form', () => {
    const sources = new Set(CANONICAL_LEGS.map((t) => fieldsFromSpec(specOf(t)).keySource));
    expect([...sources].sort()).toEqual(['env', 'file', 'literal', 'none']);
  });

  // The form asks for an adapter where the CLI would prompt: a W leg without one is incomplete there, by design.
  const refused: Record<string, string> = { '5000#W:E': 'pick the network adapter to bridge' };
  it.each(CANONICAL_LEGS)('%s: the form accepts it as the same leg', (text) => {
    const r = checkFields(fieldsFromSpec(specOf(text)));
    if (text in refused) expect(r).toMatchObject({ ok: false, text, message: refused[text], field: 'nic' });
    else expect(r).toEqual({ ok: true, text, spec: specOf(text) });
  });
});
