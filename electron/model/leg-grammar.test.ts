import { describe, expect, it } from 'vitest';
import { formatLeg, formatParseError, isIpv4, isMulticastIpv4, maskKeysInText, parseLeg, type LegParseError } from './leg-grammar.js';
import type { LegSpec } from './leg-spec.js';
import { CANONICAL_LEGS } from './canonical-legs.js';

function spec(text: string): LegSpec {
  const r = parseLeg(text);
  if (!r.ok) throw new Error(formatParseError(r.error));
  return r.spec;
}

function error(text: string): LegParseError {
  const r = parseLeg(text);
  if (r.ok) throw new Error(`parsed, but should not: ${text} -> ${JSON.stringify(r.spec)}`);
  return r.error;
}

// Canonical strings and their meaning (DESIGN.md section 2); format(parse(s)) === s.
const CANONICAL: [string, LegSpec][] = [
  ['5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10', { kind: 'V', segment: 5000, local: '10.10.1.10', remote: { mode: 'unicast', peers: ['10.10.2.10', '10.10.3.10'] } }],
  ['5000#V:E@10.10.1.10:10.10.2.10', { kind: 'V', segment: 5000, local: '10.10.1.10', remote: { mode: 'unicast', peers: ['10.10.2.10'] } }],
  ['5000#W:E', { kind: 'W', segment: 5000 }],
  ['5000#W:E@lan1', { kind: 'W', segment: 5000, nic: 'lan1' }],
  ['1#W:E@\\Device\\NPF_{4F6A1C3E-0B7D-4E51-9A39-7D1C2A6B5E10}', { kind: 'W', segment: 1, nic: '\\Device\\NPF_{4F6A1C3E-0B7D-4E51-9A39-7D1C2A6B5E10}' }],
  ['1#W:E@Intel(R) Ethernet #2 @ slot:3', { kind: 'W', segment: 1, nic: 'Intel(R) Ethernet #2 @ slot:3' }],
  ['0#W:E@3', { kind: 'W', segment: 0, nic: '3' }],
  ['5000#V:E@203.0.113.5:0*secret:8000', { kind: 'V', segment: 5000, local: '203.0.113.5', remote: { mode: 'provider' }, key: 'secret', port: 8000 }],
  ['5000#V:E@203.0.113.5:0', { kind: 'V', segment: 5000, local: '203.0.113.5', remote: { mode: 'provider' } }],
  ['5000#V:E@*:203.0.113.5*secret:8000', { kind: 'V', segment: 5000, local: '*', remote: { mode: 'access', provider: '203.0.113.5' }, key: 'secret', port: 8000 }],
  ['5000#V:E@*:203.0.113.5', { kind: 'V', segment: 5000, local: '*', remote: { mode: 'access', provider: '203.0.113.5' } }],
  ['5000#V:E@10.1.1.1:239.1.1.1:8472', { kind: 'V', segment: 5000, local: '10.1.1.1', remote: { mode: 'multicast', group: '239.1.1.1' }, port: 8472 }],
  ['16777215#V:E@10.1.1.1:224.0.0.0', { kind: 'V', segment: 16777215, local: '10.1.1.1', remote: { mode: 'multicast', group: '224.0.0.0' } }],
  ['5000#V:E@10.0.0.1:10.0.0.2*a*b@c#d', { kind: 'V', segment: 5000, local: '10.0.0.1', remote: { mode: 'unicast', peers: ['10.0.0.2'] }, key: 'a*b@c#d' }],
  ['5000#V:E@10.0.0.1:0*env:VXB_KEY', { kind: 'V', segment: 5000, local: '10.0.0.1', remote: { mode: 'provider' }, keyEnv: 'VXB_KEY' }],
  ['5000#V:E@*:203.0.113.5*env:_k1:8000', { kind: 'V', segment: 5000, local: '*', remote: { mode: 'access', provider: '203.0.113.5' }, keyEnv: '_k1', port: 8000 }],
  ['5000#V:E@10.0.0.1:0*env:8000', { kind: 'V', segment: 5000, local: '10.0.0.1', remote: { mode: 'provider' }, key: 'env', port: 8000 }],
  ['5000#V:E@10.0.0.1:0*env', { kind: 'V', segment: 5000, local: '10.0.0.1', remote: { mode: 'provider' }, key: 'env' }],
  ['7#U:E@127.0.0.1:40000:127.0.0.1:40001', { kind: 'U', segment: 7, localAddress: '127.0.0.1', localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 40001 }],
  ['7#U:E@0.0.0.0:1:192.0.2.7:65535', { kind: 'U', segment: 7, localAddress: '0.0.0.0', localPort: 1, remoteAddress: '192.0.2.7', remotePort: 65535 }],
];

describe('parseLeg / formatLeg: canonical strings', () => {
  it.each(CANONICAL)('%s', (text, expected) => {
    expect(spec(text)).toStrictEqual(expected);
    expect(formatLeg(expected)).toBe(text);
  });
});

describe('parse(format(spec)) deep-equals spec', () => {
  const specs: LegSpec[] = [
    ...CANONICAL.map(([, s]) => s),
    { kind: 'V', segment: 1, local: '192.0.2.1', remote: { mode: 'unicast', peers: ['192.0.2.2', '192.0.2.3', '192.0.2.4'] }, key: 'k', port: 4789 },
    { kind: 'V', segment: 2, local: '*', remote: { mode: 'access', provider: '192.0.2.9' }, port: 1 },
    { kind: 'U', segment: 16777215, localAddress: '10.0.0.1', localPort: 5, remoteAddress: '10.0.0.1', remotePort: 6 },
  ];
  it.each(specs.map((s) => [formatLeg(s), s] as const))('%s', (_text, s) => {
    expect(spec(formatLeg(s))).toStrictEqual(s);
  });
});

describe('non-canonical input normalises', () => {
  it.each([
    ['05000#V:E@10.0.0.1:10.0.0.2', '5000#V:E@10.0.0.1:10.0.0.2'],
    ['0000#W:E', '0#W:E'],
    ['5000#w:e@lan1', '5000#W:E@lan1'],
    ['7#u:E@127.0.0.1:040000:127.0.0.1:00040001', '7#U:E@127.0.0.1:40000:127.0.0.1:40001'],
    ['5000#V:E@10.1.1.1:239.1.1.1:08472', '5000#V:E@10.1.1.1:239.1.1.1:8472'],
    ['  5000#W:E@lan1 \n', '5000#W:E@lan1'],
    ['\t5000#V:E@*:203.0.113.5*secret:8000  ', '5000#V:E@*:203.0.113.5*secret:8000'],
  ])('%j -> %s', (input, canonical) => {
    expect(formatLeg(spec(input))).toBe(canonical);
  });
  it('keeps a NIC name verbatim: only the ends of the whole leg are trimmed', () => {
    expect(spec(' 1#W:E@Local Area  Connection ')).toStrictEqual({ kind: 'W', segment: 1, nic: 'Local Area  Connection' });
    expect(spec('1#W:E@ lan1')).toStrictEqual({ kind: 'W', segment: 1, nic: ' lan1' });
  });
});

describe('formatLeg with maskKey', () => {
  it.each([
    ['5000#V:E@203.0.113.5:0*secret:8000', '5000#V:E@203.0.113.5:0*<key>:8000'],
    ['5000#V:E@*:203.0.113.5*s3cr3t', '5000#V:E@*:203.0.113.5*<key>'],
    ['5000#V:E@10.0.0.1:0*env:VXB_KEY:8000', '5000#V:E@10.0.0.1:0*env:VXB_KEY:8000'],
    ['5000#V:E@10.0.0.1:10.0.0.2', '5000#V:E@10.0.0.1:10.0.0.2'],
    ['7#U:E@127.0.0.1:40000:127.0.0.1:40001', '7#U:E@127.0.0.1:40000:127.0.0.1:40001'],
  ])('%s -> %s', (input, masked) => {
    expect(formatLeg(spec(input), { maskKey: true })).toBe(masked);
  });
  it('writes env:NAME, not the key, once the key has been read from the environment', () => {
    const s = { ...spec('5000#V:E@10.0.0.1:0*env:K'), key: 'from-env' };
    expect(formatLeg(s)).toBe('5000#V:E@10.0.0.1:0*env:K');
  });
});

// Each row: input, then a line whose carets sit under the part the error points
// at ('|' = zero length, i.e. something missing there), then what the message
// and the expected text must say.
// prettier-ignore
const BAD: [string, string, RegExp, RegExp][] = [
  // whole leg
  ['',
   '|', /empty/, /SEG#KIND:E/],
  ['   ',
   '^^^', /empty/, /SEG#KIND:E/],
  ['5000V:E@10.0.0.1:10.0.0.2',
   '^^^^^^^^^^^^^^^^^^^^^^^^^', /missing '#'/, /SEG#KIND:E/],
  ['  5000W:E ',
   '  ^^^^^^^', /missing '#'/, /SEG#KIND:E/],
  // segment
  ['#W:E',
   '|', /missing segment/, /0\.\.16777215/],
  ['16777216#W:E',
   '^^^^^^^^', /out of range/, /0\.\.16777215/],
  ['99999999999999999999999#W:E',
   '^^^^^^^^^^^^^^^^^^^^^^^', /out of range/, /SEG/],
  ['-1#W:E',
   '^^', /not a decimal number/, /SEG/],
  ['5e3#W:E',
   '^^^', /not a decimal number/, /SEG/],
  [' 50 00#W:E',
   ' ^^^^^', /not a decimal number/, /SEG/],
  // kind and mode
  ['5000#',
   '     |', /missing leg kind/, /W .*U .*V /],
  ['5000#:E',
   '     |', /missing leg kind/, /KIND/],
  ['5000#X:E',
   '     ^', /unknown leg kind 'X'/, /W \(network adapter\), U \(Ethernet over UDP\) or V \(VXLAN\); upper or lower case/],
  ['5000#VX:E@1.1.1.1:0',
   '     ^^', /unknown leg kind 'VX'/, /KIND/],
  ['5000#V',
   '      |', /missing ':E'/, /':E'/],
  ['5000#V@10.0.0.1:0',
   '      |', /missing ':E'/, /only mode/],
  ['5000#V:',
   '       |', /missing mode/, /only mode/],
  ['5000#V:T@10.0.0.1:0',
   '       ^', /mode 'T' is not supported/, /E, Ethernet, is the only mode/],
  ['5000#W:Ethernet@lan1',
   '        ^^^^^^^', /unexpected 'thernet' after ':E'/, /'@'/],
  ['5000#V:E:10.0.0.1:0',
   '        ^^^^^^^^^^^', /unexpected ':10.0.0.1:0' after ':E'.*'@'/, /'@'/],
  // W
  ['5000#W:E@',
   '         |', /empty adapter name/, /NIC/],
  // V: arguments, LOCAL
  ['5000#V:E',
   '        |', /V leg needs '@LOCAL:REMOTE'/, /LOCAL:REMOTE\[\*KEY\]\[:PORT\]/],
  ['5000#V:E@',
   '         |', /missing LOCAL/, /LOCAL: this host's IPv4 address, or \*/],
  ['5000#V:E@10.0.0.1',
   '                 |', /missing ':REMOTE'/, /LOCAL:REMOTE/],
  ['5000#V:E@10.0.0.1:',
   '                  |', /missing REMOTE/, /REMOTE: IPv4 peers/],
  ['5000#V:E@10.0.0:10.0.0.2',
   '         ^^^^^^', /'10\.0\.0' is not an IPv4 address/, /LOCAL/],
  ['5000#V:E@0.0.0.0:10.0.0.2',
   '         ^^^^^^^', /0\.0\.0\.0.*\* for access mode/, /LOCAL/],
  ['5000#V:E@239.1.1.1:10.0.0.2',
   '         ^^^^^^^^^', /multicast group '239\.1\.1\.1' cannot be LOCAL/, /LOCAL/],
  ['5000#V:E@eth0:10.0.0.2',
   '         ^^^^', /'eth0' is not an IPv4 address/, /LOCAL/],
  // V: REMOTE
  ['5000#V:E@10.0.0.1:300.1.1.1',
   '                  ^^^^^^^^^', /'300\.1\.1\.1' is not an IPv4 address/, /REMOTE: IPv4 peers joined by '\+', a multicast group \(224\.0\.0\.0\/4\), or 0 \(provider mode\)/],
  ['5000#V:E@10.0.0.1:10.0.0.010',
   '                  ^^^^^^^^^^', /leading zero/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2+239.1.1.1',
   '                           ^^^^^^^^^', /multicast group '239\.1\.1\.1' cannot be in a list of peers/, /REMOTE/],
  ['5000#V:E@10.0.0.1:239.1.1.1+10.0.0.2',
   '                  ^^^^^^^^^', /multicast group/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2+10.0.0.3+10.0.0.2',
   '                                    ^^^^^^^^', /'10\.0\.0\.2' is listed twice/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2+0',
   '                           ^', /'0' \(provider mode\) cannot be combined/, /REMOTE/],
  ['5000#V:E@10.0.0.1:0+10.0.0.2',
   '                  ^', /'0' \(provider mode\) cannot be combined/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2+',
   '                           |', /empty peer/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2++10.0.0.3',
   '                           |', /empty peer/, /REMOTE/],
  ['5000#V:E@10.0.0.1:0.0.0.0',
   '                  ^^^^^^^', /0\.0\.0\.0/, /REMOTE/],
  ['5000#V:E@10.0.0.1:255.255.255.255',
   '                  ^^^^^^^^^^^^^^^', /broadcast/, /REMOTE/],
  ['5000#V:E@10.0.0.1:10.0.0.2+10.0.0.1',
   '                           ^^^^^^^^', /own LOCAL address/, /REMOTE/],
  // V: access mode
  ['5000#V:E@*:0*secret:8000',
   '           ^', /access mode.*provider's address/, /provider's IPv4 address/],
  ['5000#V:E@*:239.1.1.1',
   '           ^^^^^^^^^', /access mode.*multicast/, /provider's IPv4 address/],
  ['5000#V:E@*:10.0.0.2+10.0.0.3',
   '           ^^^^^^^^^^^^^^^^^', /access mode.*one provider, not to a list/, /exactly one/],
  ['5000#V:E@*:',
   '           |', /missing the provider's address/, /provider/],
  ['5000#V:E@*:*secret',
   '           |', /missing the provider's address/, /provider/],
  // V: KEY
  ['5000#V:E@10.0.0.1:0*',
   '                    |', /empty key/, /KEY: a pre-shared key without ':' or whitespace, env:NAME .*, or file:PATH/],
  ['5000#V:E@10.0.0.1:0*:8000',
   '                    |', /empty key/, /KEY/],
  ['5000#V:E@10.0.0.1:0*se:cret',
   '                       ^^^^', /^a KEY cannot contain ':' \(after the key, ':' starts the PORT\); put such a key in an environment variable \(\*env:NAME\) or a file \(\*file:PATH\)$/, /PORT: a UDP port 1\.\.65535/],
  ['5000#V:E@10.0.0.1:0*se:cret:8000',
   '                       ^^^^', /a KEY cannot contain ':'/, /PORT/],
  ['5000#V:E@10.0.0.1:0*a:1:2',
   '                       ^^', /^unexpected text after PORT \(a KEY cannot contain ':'\)$/, /end of the leg/],
  ['5000#V:E@10.0.0.1:0*se cret',
   '                      ^', /whitespace/, /KEY/],
  ['5000#V:E@10.0.0.1:0*env:',
   '                        |', /missing environment variable name/, /NAME: an environment variable name/],
  ['5000#V:E@10.0.0.1:0*env:A-B:8000',
   '                        ^^^', /after 'env:' is not an environment variable name/, /NAME/],
  // V: PORT
  ['5000#V:E@10.0.0.1:10.0.0.2:0',
   '                           ^', /PORT 0 is out of range/, /PORT: a UDP port 1\.\.65535/],
  ['5000#V:E@10.0.0.1:10.0.0.2:65536',
   '                           ^^^^^', /PORT 65536 is out of range/, /1\.\.65535/],
  ['5000#V:E@10.0.0.1:10.0.0.2:abc',
   '                           ^^^', /PORT 'abc' is not a decimal number$/, /1\.\.65535/],
  ['5000#V:E@10.0.0.1:10.0.0.2:',
   '                           |', /missing PORT/, /1\.\.65535/],
  ['5000#V:E@10.0.0.1:10.0.0.2:8000*secret',
   '                           ^^^^^^^^^^^', /key goes before the port/, /PORT/],
  ['5000#V:E@10.0.0.1:10.0.0.2:80:90',
   '                             ^^^', /unexpected ':90' after PORT$/, /end of the leg/],
  // U
  ['7#U:E',
   '     |', /U leg needs '@LOCAL:LPORT:REMOTE:RPORT'/, /LOCAL:LPORT:REMOTE:RPORT/],
  ['7#U:E@127.0.0.1:40000:127.0.0.1',
   '                               |', /missing ':RPORT'.*not 3/, /LOCAL:LPORT:REMOTE:RPORT/],
  ['7#U:E@127.0.0.1',
   '               |', /missing ':LPORT'.*not 1/, /U arguments/],
  ['7#U:E@127.0.0.1:1:127.0.0.1:2:3',
   '                             ^^', /unexpected ':3' after RPORT.*not 5/, /end of the leg/],
  ['7#U:E@127.0.0.1:1:127.0.0.1:2:3:4',
   '                             ^^^^', /unexpected ':3:4'.*not 6/, /end of the leg/],
  ['7#U:E@:1:127.0.0.1:2',
   '      |', /missing LOCAL/, /0\.0\.0\.0 \(any\)/],
  ['7#U:E@127.0.0.256:1:127.0.0.1:2',
   '      ^^^^^^^^^^^', /more than 255/, /LOCAL/],
  ['7#U:E@239.0.0.1:1:127.0.0.1:2',
   '      ^^^^^^^^^', /multicast/, /LOCAL/],
  ['7#U:E@127.0.0.1:0:127.0.0.1:2',
   '                ^', /LPORT 0 is out of range/, /LPORT: a UDP port 1\.\.65535/],
  ['7#U:E@127.0.0.1:1::2',
   '                  |', /missing REMOTE/, /peer's IPv4 address/],
  ['7#U:E@127.0.0.1:1:0.0.0.0:2',
   '                  ^^^^^^^', /0\.0\.0\.0/, /REMOTE/],
  ['7#U:E@127.0.0.1:1:127.0.0.1:x',
   '                            ^', /RPORT 'x' is not a decimal number/, /RPORT: a UDP port/],
];

describe('parseLeg errors point at the offending part', () => {
  it.each(BAD)('%j', (input, carets, message, expected) => {
    const e = error(input);
    const zero = carets.indexOf('|');
    const at = zero >= 0 ? { offset: zero, length: 0 } : { offset: carets.indexOf('^'), length: carets.lastIndexOf('^') - carets.indexOf('^') + 1 };
    expect({ offset: e.offset, length: e.length }).toEqual(at);
    expect(e.message).toMatch(message);
    expect(e.expected).toMatch(expected);
    expect(e.input).toBe(input);
  });
});

describe('formatParseError', () => {
  it('shows the input, carets under the bad part, then what was expected', () => {
    expect(formatParseError(error('5000#V:E@10.0.0.1:300.1.1.1'))).toBe(
      [
        'invalid leg "5000#V:E@10.0.0.1:300.1.1.1"',
        '                               ^^^^^^^^^',
        "'300.1.1.1' is not an IPv4 address (300 is more than 255); expected REMOTE: IPv4 peers joined by '+', a multicast group (224.0.0.0/4), or 0 (provider mode)",
      ].join('\n'),
    );
  });
  it('draws one caret where something is missing, also past the end', () => {
    expect(formatParseError(error('5000#V:E')).split('\n')[1]).toBe(' '.repeat(21) + '^');
  });
  it('keeps carets aligned when the input holds tabs or line breaks', () => {
    const lines = formatParseError(error('\t5000#X:E\n')).split('\n');
    expect(lines[0]).toBe('invalid leg " 5000#X:E "');
    expect(lines[1]).toBe(' '.repeat(19) + '^');
  });
});

describe('parseLeg never throws', () => {
  it.each(['#', '@', ':', '*', '#@', '0#', '0#V:E@*', '0#V:E@*:*', '0#V:E@:::', '0#U:E@::::', '\u0000', '💥#V:E', '0#W:E@@', '0#V:E@1.1.1.1:2.2.2.2*:'])('%j', (input) => {
    expect(() => parseLeg(input)).not.toThrow();
    const r = parseLeg(input);
    if (!r.ok) {
      expect(r.error.offset).toBeGreaterThanOrEqual(0);
      expect(r.error.offset + r.error.length).toBeLessThanOrEqual(input.length);
    }
  });
  it('accepts "@@" as a NIC named "@"', () => {
    expect(spec('0#W:E@@')).toStrictEqual({ kind: 'W', segment: 0, nic: '@' });
  });
});

describe('isIpv4 / isMulticastIpv4', () => {
  it.each([
    ['0.0.0.0', true, false],
    ['10.10.1.10', true, false],
    ['255.255.255.255', true, false],
    ['223.255.255.255', true, false],
    ['224.0.0.0', true, true],
    ['239.255.255.255', true, true],
    ['240.0.0.0', true, false],
    ['256.0.0.1', false, false],
    ['10.0.0', false, false],
    ['10.0.0.1.', false, false],
    ['10.0.0.01', false, false],
    ['010.0.0.1', false, false],
    ['0x0a.0.0.1', false, false],
    ['+1.0.0.1', false, false],
    [' 10.0.0.1', false, false],
    ['1e1.0.0.1', false, false],
    ['1000.0.0.1', false, false],
    ['', false, false],
    ['0', false, false],
  ])('%j: IPv4 %s, multicast %s', (s, ip, mc) => {
    expect(isIpv4(s)).toBe(ip);
    expect(isMulticastIpv4(s)).toBe(mc);
  });
});

describe('maskKeysInText', () => {
  it.each([
    ['5000#V:E@203.0.113.5:0*secret:8000', '5000#V:E@203.0.113.5:0*****:8000'],
    ['5000#V:E@*:203.0.113.5*secret:8000', '5000#V:E@*:203.0.113.5*****:8000'],
    ['5000#V:E@*:203.0.113.5*ab@s3cret', '5000#V:E@*:203.0.113.5*****'],
    ['5000#V:E@10.0.0.1:10.0.0.2*a*b@c#d', '5000#V:E@10.0.0.1:10.0.0.2*****'],
    ['5000#V:E@10.0.0.1:0*x:8000', '5000#V:E@10.0.0.1:0*****:8000'],
    ['5000#V:E@*s3cret:203.0.113.5', '5000#V:E@*****:203.0.113.5'],
    ['5000#V:E@203.0.113.5:0:8000*s3cret', '5000#V:E@203.0.113.5:0:8000*****'],
    ['8000*s3cret', '8000*****'],
    // env:NAME names a variable, not a secret (as formatLeg shows it); a literal key "env" is a key
    ['5000#V:E@10.0.0.1:0*env:VXB_KEY:8000', '5000#V:E@10.0.0.1:0*env:VXB_KEY:8000'],
    ['5000#V:E@*:203.0.113.5*env:_k1', '5000#V:E@*:203.0.113.5*env:_k1'],
    ['5000#V:E@10.0.0.1:0*env:8000', '5000#V:E@10.0.0.1:0*****:8000'],
    ['5000#V:E@10.0.0.1:0*env', '5000#V:E@10.0.0.1:0*****'],
    ['5000#V:E@10.0.0.1:0*env:s3c-ret:8000', '5000#V:E@10.0.0.1:0*env:****:8000'],
    // nothing to hide
    ['5000#V:E@*:203.0.113.5', '5000#V:E@*:203.0.113.5'],
    ['5000#V:E@10.0.0.1:0*', '5000#V:E@10.0.0.1:0*'],
    ['5000#V:E@10.0.0.1:0*:8000', '5000#V:E@10.0.0.1:0*:8000'],
    ['7#U:E@127.0.0.1:40000:127.0.0.1:40001', '7#U:E@127.0.0.1:40000:127.0.0.1:40001'],
    // in free text a key runs to the next ':' (over-masking, never under-masking)
    ['ubdg 5000#V:E@*:192.0.2.1*k1 5000#W:E@eth0', 'ubdg 5000#V:E@*:192.0.2.1*****:E@eth0'],
  ])('%j -> %j', (input, masked) => {
    expect(maskKeysInText(input)).toBe(masked);
  });
});

// Bad legs holding the key "s3cret" somewhere: no error text may show it.
const LEAKY_LEGS: readonly string[] = [
  '5000#V:E@203.0.113.5:0:8000*s3cret', // key after the port
  '5000#V:E@203.0.113.5:0:8000*ab@s3cret',
  "5000#V:E@203.0.113.5:0:8000*ab's3cret",
  '5000#V:E@203.0.113.5:0:8*s3cret:9',
  '5000#V:E@203.0.113.5:0*s3cret:abc', // key before a bad port
  '5000#V:E@203.0.113.5:0*ab*s3cret:8000:9',
  '5000#V:E@203.0.113.5:0*ab@s3cret:',
  '5000#V:E@203.0.113.5:0*s3cret x:8000', // whitespace in the key
  '5000#V:E@203.0.113.5:0*s3cret\u0001:8000',
  '5000#V:E@203.0.113.5:0*env:s3cret-x', // not a variable name
  '5000#V:E@203.0.113.5*s3cret:0:8000', // key after LOCAL
  '5000#V:E@*s3cret:203.0.113.5', // key in the access-mode LOCAL
  '5000#V:E@*:203.0.113.5*s3cret:0', // access mode, bad port
  '5000#V:E@*:203.0.113.5*s3cret:8000:1',
  '5000#V:E@*:0*s3cret:8000',
  '5000#V:E@*:203.0.113.5+*s3cret',
  '5000#X:E@203.0.113.5:0*s3cret:8000', // error before the key
  '5000#V*s3cret:E@203.0.113.5:0',
  '5000#V:E*s3cret@203.0.113.5:0',
  '5000#V:X*s3cret@203.0.113.5:0',
  '50*s3cret#V:E@203.0.113.5:0',
  '7#U:E@127.0.0.1*s3cret:1:127.0.0.2:2',
  '7#U:E@127.0.0.1:1:127.0.0.2*s3cret:2',
  '7#U:E@127.0.0.1:1:127.0.0.2:2*s3cret',
  '7#U:E@127.0.0.1:1:127.0.0.2:2:3*s3cret',
];

describe('errors never show a key', () => {
  it.each(LEAKY_LEGS)('%j', (input) => {
    const e = error(input);
    expect(e.message).not.toContain('s3cret');
    expect(e.expected).not.toContain('s3cret');
    expect(formatParseError(e)).not.toContain('s3cret');
  });

  it('masks the key quoted by a port error (key after the port)', () => {
    expect(error('5000#V:E@1.2.3.4:0:8000*s3cret').message).toBe("'8000*****' is not a port: the key goes before the port, REMOTE*KEY:PORT");
  });

  it.each([
    // input, the part of the masked first line the carets must sit under
    ['5000#V:E@1.2.3.4:0:8000*s3cret', '8000*****'],
    // In an error everything after a key's '*' is masked: the carets point at the mask.
    ['5000#V:E@1.2.3.4:0*s3cret:abc', '****'],
    ['5000#V:E@1.2.3.4:0*ab:1:2', '****'],
    ['5000#V:E@1.2.3.4:0*a-very-long-s3cret:8000:9', '****'],
    ['5000#V:E@1.2.3.4:0*s3cret x:8000', '****'], // the error is inside the key: carets under the mask
    ['5000#V:E@*:1.2.3.4*s3cret:', ''],
  ])('keeps the carets under the bad part of the masked input: %j', (input, under) => {
    const [shown, carets] = formatParseError(error(input)).split('\n') as [string, string];
    const start = carets.indexOf('^');
    const width = carets.length - start;
    if (under === '') {
      expect(start).toBe(shown.length - 1); // past the end: before the closing quote
      expect(width).toBe(1);
    } else {
      expect(shown.slice(start, start + width)).toBe(under);
      expect(shown.lastIndexOf(under)).toBe(start);
    }
  });
});

describe('the shared canonical legs (canonical-legs.ts)', () => {
  it.each(CANONICAL_LEGS)('%s: parse then format gives it back', (text) => {
    expect(formatLeg(spec(text))).toBe(text);
  });

  // The table is only worth sharing if it keeps covering every form.
  it('cover every kind, mode, port form and key form', () => {
    const specs = CANONICAL_LEGS.map(spec);
    const forms = new Set(
      specs.flatMap((s) => {
        if (s.kind !== 'V') return [`${s.kind}${s.kind === 'W' && s.nic === undefined ? ' asked' : ''}`];
        const peers = s.remote.mode === 'unicast' ? (s.remote.peers.length > 1 ? ' HER' : ' one peer') : '';
        const port = s.port === undefined ? 'default' : s.port === 4789 || s.port === 8472 ? String(s.port) : 'other';
        const key = s.keyEnv !== undefined ? 'env' : s.key !== undefined ? 'literal' : 'none';
        return [`V ${s.remote.mode}${peers}`, `port ${port}`, `key ${key}`];
      }),
    );
    expect([...forms].sort()).toEqual(
      [
        'U',
        'W',
        'W asked',
        'V unicast one peer',
        'V unicast HER',
        'V multicast',
        'V provider',
        'V access',
        'port default',
        'port 4789',
        'port 8472',
        'port other',
        'key none',
        'key literal',
        'key env',
      ].sort(),
    );
  });
});
