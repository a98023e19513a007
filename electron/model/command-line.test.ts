import { describe, expect, it } from 'vitest';
import { CANONICAL_LEGS } from './canonical-legs.js';
import { formatCommandLine, parseCommandLine, quoteWord, splitCommandLine } from './command-line.js';

describe('splitCommandLine', () => {
  it.each([
    ['', []],
    ['   \t\n ', []],
    ['ubdg 5000#W:E', ['ubdg', '5000#W:E']],
    ['  ubdg\t 5000#W:E  \n', ['ubdg', '5000#W:E']],
    ['ubdg "5000#W:E@Local Area Connection"', ['ubdg', '5000#W:E@Local Area Connection']],
    ["ubdg '5000#W:E@Local Area Connection'", ['ubdg', '5000#W:E@Local Area Connection']],
    ['ubdg 5000#W:E@"Local Area Connection"', ['ubdg', '5000#W:E@Local Area Connection']],
    ['ubdg 5000#W:E@\\Device\\NPF_{4F6A1C3E}', ['ubdg', '5000#W:E@\\Device\\NPF_{4F6A1C3E}']],
    ['ubdg "5000#W:E@\\Device\\NPF_{4F6A1C3E}"', ['ubdg', '5000#W:E@\\Device\\NPF_{4F6A1C3E}']],
    ['C:\\Tools\\ubdg.exe 1#W:E', ['C:\\Tools\\ubdg.exe', '1#W:E']],
    [`a"b c"d 'e"f' "g'h"`, ['ab cd', 'e"f', "g'h"]],
    [`'it'"'"'s'`, ["it's"]],
    [`'' ""`, ['', '']],
    ['ubdg \\\n  5000#W:E \\\r\n  5000#V:E@*:192.0.2.1', ['ubdg', '5000#W:E', '5000#V:E@*:192.0.2.1']],
    ['a\\b \\', ['a\\b', '\\']],
  ])('%j', (line, words) => {
    expect(splitCommandLine(line)).toEqual({ ok: true, words });
  });

  it.each([
    ['ubdg "5000#W:E@Local Area', /unbalanced double quote.*column 6/],
    ["ubdg 5000#W:E@it's", /unbalanced single quote.*column 17/],
    [`"a' b`, /unbalanced double quote.*column 1/],
  ])('%j is an error', (line, error) => {
    const r = splitCommandLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('parseCommandLine', () => {
  const her = '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10';
  it.each([
    [`ubdg ${her} 5000#W:E`, [her, '5000#W:E'], []],
    [`${her} 5000#W:E`, [her, '5000#W:E'], []],
    [`ubdg.exe ${her}`, [her], []],
    [`UBDG.EXE ${her}`, [her], []],
    [`"C:\\Program Files\\vxbridge\\ubdg.exe" ${her}`, [her], []],
    [`/usr/local/bin/ubdg ${her}`, [her], []],
    [`./ubdg ${her}`, [her], []],
    [`npx ubdg ${her}`, [her], []],
    [`sudo ubdg ${her}`, [her], []],
    [`sudo -E /opt/vxbridge/ubdg --json ${her}`, [her], ['--json']],
    [`node bin/ubdg.js ${her}`, [her], []],
    [`npm run ubdg -- ${her}`, [her], []],
    [`ubdg --json --interval 5 ${her} -n "7#U:E@0.0.0.0:40000:192.0.2.7:40000"`, [her, '7#U:E@0.0.0.0:40000:192.0.2.7:40000'], ['--json', '--interval', '5', '-n']],
    [`ubdg --interval=2 ${her}`, [her], ['--interval=2']],
    [`ubdg '5000#W:E@Local Area Connection' 5000#V:E@*:203.0.113.5*env:VXB_KEY:8000`, ['5000#W:E@Local Area Connection', '5000#V:E@*:203.0.113.5*env:VXB_KEY:8000'], []],
    [`ubdg 5000#W:E@ubdg`, ['5000#W:E@ubdg'], []],
  ])('%s', (line, legs, options) => {
    expect(parseCommandLine(line)).toEqual({ ok: true, legs, options });
  });

  it.each([
    ['ubdg 5000#W:E "oops', /unbalanced double quote/],
    ['ubdg', /no legs/],
    ['', /no legs/],
    ['ubdg --list-nics', /no legs/],
    ['ubdg ui --port 8080', /ubdg ui/],
    ['ubdg 5000#W:E --interval', /--interval needs a value/],
    ['ubdg 5000#W:E eth0', /^leg 2 of 2: invalid leg "eth0"\n {13}\^{4}\nmissing '#'/],
    ['ubdg 5000#W:E 5000#V:E@10.0.0.1:300.1.1.1 7#X:E', /^leg 2 of 3: invalid leg "5000#V:E@10\.0\.0\.1:300\.1\.1\.1"\n {31}\^{9}\n'300\.1\.1\.1' is not an IPv4 address/],
    ['sudo ubdg 1#V:E 2#W:E', /^leg 1 of 2: .*\n.*\na V leg needs/],
  ])('%j is an error', (line, error) => {
    const r = parseCommandLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});

describe('formatCommandLine', () => {
  it.each([
    [['5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10', '5000#W:E'], 'ubdg 5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10 5000#W:E'],
    [['7#U:E@127.0.0.1:40000:127.0.0.1:40001', '5000#W:E@eth0.100'], 'ubdg 7#U:E@127.0.0.1:40000:127.0.0.1:40001 5000#W:E@eth0.100'],
    [['5000#W:E@Local Area Connection'], "ubdg '5000#W:E@Local Area Connection'"],
    [['5000#W:E@\\Device\\NPF_{4F6A1C3E}'], "ubdg '5000#W:E@\\Device\\NPF_{4F6A1C3E}'"],
    [['5000#V:E@*:203.0.113.5*secret:8000'], "ubdg '5000#V:E@*:203.0.113.5*secret:8000'"],
    [['1#W:E@Bob\'s "NIC"'], `ubdg '1#W:E@Bob'"'"'s "NIC"'`],
    [[], 'ubdg'],
  ])('%j', (legs, line) => {
    expect(formatCommandLine(legs)).toBe(line);
  });

  const words = [
    '5000#W:E',
    '5000#W:E@Local Area Connection',
    '5000#W:E@\\Device\\NPF_{4F6A1C3E-0B7D}',
    '5000#V:E@*:203.0.113.5*p$w!`x`;&|<>(),~:8000',
    "1#W:E@'",
    "1#W:E@''quoted''",
    '1#W:E@"',
    `1#W:E@a'b"c'd"e`,
    '1#W:E@tab\there',
    '1#W:E@line\nbreak',
    '1#W:E@ends with backslash\\',
    '',
    "'",
    '#comment-like',
  ];
  it.each(words)('splitCommandLine gives back %j', (word) => {
    expect(splitCommandLine(formatCommandLine([word, word]))).toEqual({ ok: true, words: ['ubdg', word, word] });
  });

  it('round trips through parseCommandLine', () => {
    const legs = ['5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10', '5000#W:E@Local Area Connection', '5000#V:E@*:203.0.113.5*secret:8000'];
    expect(parseCommandLine(formatCommandLine(legs))).toEqual({ ok: true, legs, options: [] });
  });

  it.each([
    ['5000#W:E', '5000#W:E'],
    ['a b', "'a b'"],
    ['$HOME', "'$HOME'"],
    ['-x', "'-x'"],
  ])('quoteWord(%j) = %s', (word, quoted) => {
    expect(quoteWord(word)).toBe(quoted);
  });
});

describe('parseCommandLine errors never show a key', () => {
  it.each([
    'ubdg 5000#V:E@203.0.113.5:0:8000*s3cret',
    'ubdg 5000#V:E@203.0.113.5:0:8000*ab@s3cret 5000#W:E',
    "ubdg '5000#V:E@*:203.0.113.5*s3cret x:8000'",
    'ubdg 5000#W:E 5000#V:E@*s3cret:203.0.113.5',
    'ubdg 5000#V:E@*:203.0.113.5*s3cret:0',
    'ubdg 5000#V:E@203.0.113.5*s3cret:0:8000',
    'ubdg 5000#X:E@203.0.113.5:0*s3cret:8000',
    'ubdg 5000#V:E@203.0.113.5:0*ab*s3cret:8000:9',
  ])('%j', (line) => {
    const r = parseCommandLine(line);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).not.toContain('s3cret');
      expect(r.error).toMatch(/\*{5}/);
    }
  });
});

describe('the shared canonical legs (canonical-legs.ts) through a command line', () => {
  it.each(CANONICAL_LEGS)('%s: formatCommandLine then parseCommandLine gives it back', (leg) => {
    expect(parseCommandLine(formatCommandLine([leg]))).toEqual({ ok: true, legs: [leg], options: [] });
  });

  it('all of them on one line', () => {
    expect(parseCommandLine(formatCommandLine(CANONICAL_LEGS))).toEqual({ ok: true, legs: [...CANONICAL_LEGS], options: [] });
  });
});
