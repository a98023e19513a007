// Leg strings (DESIGN.md section 2) <-> LegSpec. Pure functions, no Node imports:
// the renderer bundles this file too.
//
//   LEG    := SEG "#" KIND ":E" [ "@" ARGS ]
//   W ARGS := NIC                                  (verbatim: spaces, '\', '{', '#', '@' allowed)
//   U ARGS := LOCAL ":" LPORT ":" REMOTE ":" RPORT
//   V ARGS := LOCAL ":" REMOTE [ "*" KEY ] [ ":" PORT ]
//
// Decisions:
// - Leading and trailing whitespace of the whole string is ignored (pasted text);
//   error offsets always index the string as given.
// - KIND and the mode letter are accepted in either case ("5000#v:e") and written
//   back upper case. SEG and ports accept leading zeros and are written back without.
// - IPv4 addresses are strict dotted quads (see ipv4.ts).
// - KEY `env:NAME` names an environment variable holding the key (spec.keyEnv),
//   KEY `file:PATH` a file (spec.keyFile).
//   A literal key "env" still works: "*env:8000" is key "env", port 8000, because
//   a NAME never starts with a digit.
// - Error texts never show a key: every input fragment quoted in a message goes
//   through maskKeysInText, and formatParseError masks the echoed input.

import { SEGMENT_MAX } from './defaults.js';
import { type LegKind, type LegSpec, type NicLegSpec, type UdpLegSpec, type VxlanLegSpec, type VxlanRemote } from './leg-spec.js';
import { ipv4Problem, isMulticastIpv4, unicastProblem } from './ipv4.js';
import { assertNever } from './assert-never.js';

export { isIpv4, isMulticastIpv4 } from './ipv4.js';

export interface LegParseError {
  readonly message: string;
  readonly input: string;
  /** Offset and length (UTF-16 units) of the offending part of `input`; length may be 0 (something missing there). */
  readonly offset: number;
  readonly length: number;
  readonly expected: string;
}

export type LegParseResult = { readonly ok: true; readonly spec: LegSpec } | { readonly ok: false; readonly error: LegParseError };

/** What each part should look like; the tail of every error message. */
const EXPECTED = {
  leg: 'a leg SEG#KIND:E[@ARGS], e.g. 5000#V:E@10.10.1.10:10.10.2.10 or 5000#W:E@eth0',
  segment: `SEG: a segment number 0..${SEGMENT_MAX} (on a V leg, the VNI)`,
  kind: 'KIND: W (network adapter), U (Ethernet over UDP) or V (VXLAN); upper or lower case',
  mode: "':E' after the kind (E, Ethernet, is the only mode)",
  argsStart: "'@' and the leg's arguments, or the end of the leg",
  nic: 'NIC: an adapter name, description or index (see ubdg --list-nics)',
  vArgs: 'V arguments @LOCAL:REMOTE[*KEY][:PORT]',
  vLocal: "LOCAL: this host's IPv4 address, or * (access mode, behind NAT)",
  remote: "REMOTE: IPv4 peers joined by '+', a multicast group (224.0.0.0/4), or 0 (provider mode)",
  provider: "REMOTE: the provider's IPv4 address (access mode has exactly one)",
  key: "KEY: a pre-shared key without ':' or whitespace, env:NAME to read it from an environment variable, or file:PATH to read it from a file",
  filePath: 'PATH: the file that holds the key',
  envName: "NAME: an environment variable name (letters, digits and '_', not starting with a digit)",
  port: 'PORT: a UDP port 1..65535',
  end: 'the end of the leg',
  uArgs: 'U arguments @LOCAL:LPORT:REMOTE:RPORT',
  uLocal: "LOCAL: this host's IPv4 address, or 0.0.0.0 (any)",
  uRemote: "REMOTE: the peer's IPv4 address",
} as const;

// ---------------------------------------------------------------------------
// Spans: a piece of the input and where it sits, so that errors can point at it.

interface Span {
  readonly text: string;
  readonly offset: number;
}

const sub = (s: Span, start: number, end = s.text.length): Span => ({ text: s.text.slice(start, end), offset: s.offset + start });
const endOf = (s: Span): Span => sub(s, s.text.length);

/** Splits at the first of `seps`: the part before, the separator found (or undefined) and the part after. */
function cut(s: Span, seps: string): { before: Span; sep: string | undefined; after: Span } {
  let i = 0;
  while (i < s.text.length && !seps.includes(s.text[i]!)) i++;
  return { before: sub(s, 0, i), sep: s.text[i], after: sub(s, Math.min(i + 1, s.text.length)) };
}

/** All the parts between `sep`s (at least one, possibly empty). */
function split(s: Span, sep: string): Span[] {
  const parts: Span[] = [];
  for (let rest: Span | undefined = s; rest !== undefined;) {
    const { before, sep: found, after } = cut(rest, sep);
    parts.push(before);
    rest = found === undefined ? undefined : after;
  }
  return parts;
}

/** Thrown inside the parser only; parseLeg turns it into a result. */
class Failure {
  constructor(
    readonly at: Span,
    readonly message: string,
    readonly expected: string,
  ) {}
}

function fail(at: Span, message: string, expected: string): never {
  throw new Failure(at, message, expected);
}

/** A fragment of the input as messages may show it: keys masked. */
const shown = (s: Span): string => maskKeysInText(s.text);
/** Why `s` is not an IPv4 address, worded on the masked text (the same verdict: masking keeps the '*'). */
const ipv4ProblemShown = (s: Span): string | undefined => (ipv4Problem(s.text) === undefined ? undefined : ipv4Problem(shown(s)));
const unicastProblemShown = (s: Span): string | undefined => (unicastProblem(s.text) === undefined ? undefined : unicastProblem(shown(s)));

// ---------------------------------------------------------------------------
// Parse

export function parseLeg(text: string): LegParseResult {
  try {
    return { ok: true, spec: parseTrimmed(text) };
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    const { at, message, expected } = e;
    return { ok: false, error: { message, input: text, offset: at.offset, length: at.text.length, expected } };
  }
}

function parseTrimmed(input: string): LegSpec {
  const start = input.length - input.trimStart().length;
  const leg: Span = { text: input.trim(), offset: start };
  if (leg.text === '') fail({ text: input, offset: 0 }, 'the leg is empty', EXPECTED.leg);
  const { before: seg, sep, after: rest } = cut(leg, '#');
  if (sep === undefined) fail(leg, "missing '#' between the segment and the kind", EXPECTED.leg);
  const segment = parseSegment(seg);
  const { before: head, sep: at, after: args } = cut(rest, '@');
  const kind = parseKindAndMode(head);
  return PARSERS[kind](segment, at === undefined ? undefined : args, endOf(head));
}

function parseSegment(s: Span): number {
  if (s.text === '') fail(s, "missing segment number before '#'", EXPECTED.segment);
  if (!/^[0-9]+$/.test(s.text)) fail(s, `segment '${shown(s)}' is not a decimal number`, EXPECTED.segment);
  const n = Number(s.text);
  if (n > SEGMENT_MAX) fail(s, `segment ${s.text} is out of range (a VNI has 24 bits)`, EXPECTED.segment);
  return n;
}

function parseKindAndMode(head: Span): LegKind {
  const { before: k, sep, after: mode } = cut(head, ':');
  if (k.text === '') fail(k, "missing leg kind after '#'", EXPECTED.kind);
  const kind = k.text.toUpperCase();
  if (!isKind(kind)) fail(k, `unknown leg kind '${shown(k)}'`, EXPECTED.kind);
  if (sep === undefined) fail(endOf(k), "missing ':E' after the kind", EXPECTED.mode);
  const letter = sub(mode, 0, 1);
  if (letter.text === '') fail(letter, "missing mode after ':'", EXPECTED.mode);
  if (letter.text.toUpperCase() !== 'E') {
    fail(mode, `mode '${shown(mode)}' is not supported`, EXPECTED.mode);
  }
  const extra = sub(mode, 1);
  if (extra.text !== '') fail(extra, `unexpected '${shown(extra)}' after ':E' (arguments start with '@')`, EXPECTED.argsStart);
  return kind;
}

const isKind = (k: string): k is LegKind => Object.hasOwn(PARSERS, k);

// W ------------------------------------------------------------------------

function parseNic(segment: number, args: Span | undefined): NicLegSpec {
  if (args === undefined) return { kind: 'W', segment };
  if (args.text === '') fail(args, "empty adapter name after '@' (leave out '@' to be asked)", EXPECTED.nic);
  return { kind: 'W', segment, nic: args.text };
}

// U ------------------------------------------------------------------------

const U_FIELDS = ['LOCAL', 'LPORT', 'REMOTE', 'RPORT'] as const;

function parseUdp(segment: number, args: Span | undefined, missingAt: Span): UdpLegSpec {
  if (args === undefined) fail(missingAt, "a U leg needs '@LOCAL:LPORT:REMOTE:RPORT'", EXPECTED.uArgs);
  const fields = split(args, ':');
  if (fields.length > 4) {
    const extra = sub(args, fields[4]!.offset - args.offset - 1);
    fail(extra, `unexpected '${shown(extra)}' after RPORT: a U leg has 4 fields, not ${fields.length}`, EXPECTED.end);
  }
  if (fields.length < 4) {
    const missing = U_FIELDS[fields.length]!;
    fail(endOf(args), `missing ':${missing}': a U leg has 4 fields (${U_FIELDS.join(':')}), not ${fields.length}`, EXPECTED.uArgs);
  }
  const [local, lport, remote, rport] = fields as [Span, Span, Span, Span];
  return {
    kind: 'U',
    segment,
    localAddress: udpLocal(local),
    localPort: parsePort(lport, 'LPORT'),
    remoteAddress: address(remote, 'REMOTE', EXPECTED.uRemote),
    remotePort: parsePort(rport, 'RPORT'),
  };
}

function udpLocal(s: Span): string {
  if (s.text === '') fail(s, 'missing LOCAL address', EXPECTED.uLocal);
  const problem = ipv4ProblemShown(s) ?? (isMulticastIpv4(s.text) ? `'${s.text}' is a multicast address` : undefined);
  if (problem !== undefined) fail(s, problem, EXPECTED.uLocal);
  return s.text;
}

// V ------------------------------------------------------------------------

function parseVxlan(segment: number, args: Span | undefined, missingAt: Span): VxlanLegSpec {
  if (args === undefined) fail(missingAt, "a V leg needs '@LOCAL:REMOTE'", EXPECTED.vArgs);
  const { before: localSpan, sep, after } = cut(args, ':');
  const access = localSpan.text === '*';
  const local = access ? '*' : vxlanLocal(localSpan);
  if (sep === undefined) fail(endOf(args), "missing ':REMOTE' after LOCAL", EXPECTED.vArgs);
  const { before: remoteSpan, sep: afterRemote, after: tail } = cut(after, '*:');
  const remote = access ? accessRemote(remoteSpan) : parseRemote(remoteSpan, local);

  let rest: Span | undefined = afterRemote === ':' ? tail : undefined;
  let key: KeyRef | undefined;
  if (afterRemote === '*') ({ key, rest } = parseKey(tail));

  let port: number | undefined;
  if (rest !== undefined) {
    const { before: portSpan, sep: more, after: extra } = cut(rest, ':');
    const literalKey = key !== undefined && 'key' in key;
    if (literalKey && !/^[0-9]+$/.test(portSpan.text)) {
      // Most likely the key itself holds a ':': say so without echoing any of it.
      fail(portSpan, "a KEY cannot contain ':' (after the key, ':' starts the PORT); put such a key in an environment variable (*env:NAME) or a file (*file:PATH)", EXPECTED.port);
    }
    const hint = key !== undefined ? " (a KEY cannot contain ':')" : '';
    if (portSpan.text.includes('*')) fail(portSpan, `'${shown(portSpan)}' is not a port: the key goes before the port, REMOTE*KEY:PORT`, EXPECTED.port);
    port = parsePort(portSpan, 'PORT', hint);
    if (more !== undefined) {
      const bad: Span = { text: ':' + extra.text, offset: extra.offset - 1 };
      // After a literal key, this text may be the rest of a key that held ':': never echo it.
      fail(bad, literalKey ? `unexpected text after PORT${hint}` : `unexpected '${shown(bad)}' after PORT${hint}`, EXPECTED.end);
    }
  }
  return { kind: 'V', segment, local, remote, ...key, ...(port === undefined ? {} : { port }) };
}

function parseRemote(s: Span, local: string): VxlanRemote {
  if (s.text === '') fail(s, "missing REMOTE after ':'", EXPECTED.remote);
  if (s.text === '0') return { mode: 'provider' };
  const peers = split(s, '+');
  if (peers.length === 1 && isMulticastIpv4(s.text)) return { mode: 'multicast', group: s.text };
  const seen = new Set<string>();
  for (const p of peers) {
    if (p.text === '') fail(p, "empty peer: '+' needs an address on both sides", EXPECTED.remote);
    if (p.text === '0') fail(p, "'0' (provider mode) cannot be combined with other peers", EXPECTED.remote);
    if (isMulticastIpv4(p.text)) {
      fail(p, `multicast group '${p.text}' cannot be in a list of peers (use it alone for multicast mode)`, EXPECTED.remote);
    }
    const problem = unicastProblemShown(p);
    if (problem !== undefined) fail(p, problem, EXPECTED.remote);
    if (p.text === local) fail(p, `peer '${p.text}' is this leg's own LOCAL address`, EXPECTED.remote);
    if (seen.has(p.text)) fail(p, `peer '${p.text}' is listed twice`, EXPECTED.remote);
    seen.add(p.text);
  }
  return { mode: 'unicast', peers: peers.map((p) => p.text) };
}

function vxlanLocal(s: Span): string {
  if (s.text === '') fail(s, 'missing LOCAL address', EXPECTED.vLocal);
  const problem =
    ipv4ProblemShown(s) ??
    (isMulticastIpv4(s.text) ? `multicast group '${s.text}' cannot be LOCAL (it goes in REMOTE)` : undefined) ??
    (s.text === '0.0.0.0' ? "LOCAL 0.0.0.0 is not allowed on a V leg: give this host's address, or * for access mode" : undefined) ??
    (s.text === '255.255.255.255' ? "'255.255.255.255' is the broadcast address, not this host's" : undefined);
  if (problem !== undefined) fail(s, problem, EXPECTED.vLocal);
  return s.text;
}

function accessRemote(s: Span): VxlanRemote {
  const why = 'access mode (LOCAL *)';
  if (s.text === '') fail(s, `missing the provider's address after '*:'`, EXPECTED.provider);
  if (s.text === '0') fail(s, `${why} needs the provider's address; 0 is the provider's own REMOTE`, EXPECTED.provider);
  if (s.text.includes('+')) fail(s, `${why} sends to one provider, not to a list`, EXPECTED.provider);
  if (isMulticastIpv4(s.text)) fail(s, `${why} cannot use multicast group '${s.text}'`, EXPECTED.provider);
  return { mode: 'access', provider: address(s, 'REMOTE', EXPECTED.provider) };
}

type KeyRef = { key: string } | { keyEnv: string } | { keyFile: string };

/** KEY after '*': up to the next ':' ("env:NAME" counts as one key; "file:PATH"
 *  runs to a final ":PORT" or the end, as a path may hold ':', C:\keys\lab.key). */
function parseKey(s: Span): { key: KeyRef; rest: Span | undefined } {
  const { before: k, sep, after } = cut(s, ':');
  if (k.text === 'file' && sep === ':') {
    const port = /:([0-9]+)$/.exec(after.text);
    const path = port === null ? after : sub(after, 0, port.index);
    if (path.text === '') fail(path, "missing the key file's path after 'file:'", EXPECTED.filePath);
    const bad = /\p{Cc}/u.exec(path.text);
    if (bad !== null) fail(sub(path, bad.index, bad.index + 1), 'a file path cannot contain control characters', EXPECTED.filePath);
    return { key: { keyFile: path.text }, rest: port === null ? undefined : sub(after, port.index + 1) };
  }
  if (k.text === 'env' && sep === ':' && !/^[0-9]/.test(after.text)) {
    const { before: name, sep: next, after: rest } = cut(after, ':');
    if (name.text === '') fail(name, "missing environment variable name after 'env:'", EXPECTED.envName);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) fail(name, "the text after 'env:' is not an environment variable name", EXPECTED.envName);
    return { key: { keyEnv: name.text }, rest: next === undefined ? undefined : rest };
  }
  if (k.text === '') fail(k, "empty key after '*'", EXPECTED.key);
  const bad = /[\s\p{Cc}]/u.exec(k.text);
  if (bad !== null) fail(sub(k, bad.index, bad.index + 1), 'a key cannot contain whitespace or control characters', EXPECTED.key);
  return { key: { key: k.text }, rest: sep === undefined ? undefined : after };
}

// Shared --------------------------------------------------------------------

/** A unicast IPv4 address to send to (REMOTE of a U leg, a provider). */
function address(s: Span, name: string, expected: string): string {
  if (s.text === '') fail(s, `missing ${name} address`, expected);
  const problem = unicastProblemShown(s);
  if (problem !== undefined) fail(s, problem, expected);
  return s.text;
}

function parsePort(s: Span, name: string, hint = ''): number {
  const expected = EXPECTED.port.replace('PORT', name);
  if (s.text === '') fail(s, `missing ${name}`, expected);
  if (!/^[0-9]+$/.test(s.text)) fail(s, `${name} '${shown(s)}' is not a decimal number${hint}`, expected);
  const n = Number(s.text);
  if (n < 1 || n > 65535) fail(s, `${name} ${s.text} is out of range`, expected);
  return n;
}

// ---------------------------------------------------------------------------
// Format

export interface FormatLegOptions {
  /** Show a literal key as `<key>` (for logs, status, snapshots). `env:NAME` is not secret and stays. */
  readonly maskKey?: boolean;
}

export function formatLeg(spec: LegSpec, options: FormatLegOptions = {}): string {
  const args = formatArgs(spec, options);
  return `${spec.segment}#${spec.kind}:E${args === undefined ? '' : '@' + args}`;
}

function formatArgs(spec: LegSpec, options: FormatLegOptions): string | undefined {
  switch (spec.kind) {
    case 'W':
      return spec.nic;
    case 'U':
      return `${spec.localAddress}:${spec.localPort}:${spec.remoteAddress}:${spec.remotePort}`;
    case 'V':
      return `${spec.local}:${formatRemote(spec.remote)}${formatKey(spec, options)}${spec.port === undefined ? '' : ':' + spec.port}`;
    default:
      return assertNever(spec, 'leg kind');
  }
}

function formatRemote(r: VxlanRemote): string {
  switch (r.mode) {
    case 'unicast':
      return r.peers.join('+');
    case 'multicast':
      return r.group;
    case 'provider':
      return '0';
    case 'access':
      return r.provider;
    default:
      return assertNever(r, 'VXLAN mode');
  }
}

/** Where the key comes from wins over the key: once read into `key`, the string still says env:NAME or file:PATH. */
function formatKey(spec: VxlanLegSpec, options: FormatLegOptions): string {
  if (spec.keyEnv !== undefined) return `*env:${spec.keyEnv}`;
  if (spec.keyFile !== undefined) return `*file:${spec.keyFile}`;
  if (spec.key !== undefined) return options.maskKey === true ? '*<key>' : `*${spec.key}`;
  return '';
}

// ---------------------------------------------------------------------------
// Errors for people

const PREFIX = 'invalid leg "';

/**
 * Three lines: the input with keys masked, carets under the offending part,
 * what is wrong and what was expected. Control characters in the input are
 * shown as spaces so that the carets line up. `message` and `expected` come
 * from parseLeg, which masks keys in them already (and `expected` never quotes
 * input); they are not masked again, as they contain '*' themselves ("REMOTE*KEY").
 */
export function formatParseError(e: LegParseError): string {
  // In an error the leg may be broken anywhere: hide everything after a key's '*'.
  const ranges = keyRanges(e.input, true);
  const shownInput = applyMask(e.input, ranges).replace(/\p{Cc}/gu, ' ');
  const start = maskedOffset(ranges, e.offset, false);
  const end = maskedOffset(ranges, e.offset + e.length, true);
  const carets = ' '.repeat(PREFIX.length + start) + '^'.repeat(Math.max(1, end - start));
  return `${PREFIX}${shownInput}"\n${carets}\n${legProblem(e)}`;
}

/** What is wrong and what was expected, in one line (for a sentence that already names the leg). */
export function legProblem(e: LegParseError): string {
  return `${e.message}; expected ${e.expected}`;
}

// ---------------------------------------------------------------------------
// Masking keys in text for people (errors, logs, profile messages)

/** What a masked key looks like after its '*': fixed, so that the key's length does not show. */
const KEY_MASK = '****';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** [start, end) of the secret part of every key in `text`. */
interface KeyRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Finds keys the way the grammar reads them, in a leg or in any piece of one:
 * a key is whatever follows a '*' up to the next ':' or the end, so it may hold
 * '@', '*', '#', quotes or spaces. An access-mode LOCAL ("@*:") has nothing
 * before its ':' and so masks nothing. `*env:NAME` (NAME not starting with a
 * digit) names a variable and stays visible when NAME is a valid name; an
 * invalid NAME is masked (it may be a key typed in the wrong place).
 */
function keyRanges(text: string, toEnd = false): KeyRange[] {
  const ranges: KeyRange[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '*') {
      i++;
      continue;
    }
    const start = i + 1;
    const colon = indexOrEnd(text, ':', start);
    if (text.slice(start, colon) === 'file' && colon < text.length) {
      i = fileEnd(text, colon + 1); // a path is not secret
    } else if (text.slice(start, colon) === 'env' && colon < text.length && !/^[0-9]/.test(text.slice(colon + 1))) {
      const nameEnd = indexOrEnd(text, ':', colon + 1);
      const name = text.slice(colon + 1, nameEnd);
      if (name !== '' && !ENV_NAME.test(name)) ranges.push({ start: colon + 1, end: nameEnd });
      i = nameEnd;
    } else if (toEnd) {
      if (start < text.length) ranges.push({ start, end: text.length });
      break;
    } else {
      if (colon > start) ranges.push({ start, end: colon });
      i = colon;
    }
  }
  return ranges;
}

/** Where a `file:` path that starts at `from` ends: before a ":PORT" that ends the leg, or at whitespace, a quote or the end. */
function fileEnd(text: string, from: number): number {
  const m = /:[0-9]+(?=$|[\s"'])|[\s"']/.exec(text.slice(from));
  return m === null ? text.length : from + m.index;
}

function indexOrEnd(text: string, c: string, from: number): number {
  const i = text.indexOf(c, from);
  return i < 0 ? text.length : i;
}

function applyMask(text: string, ranges: readonly KeyRange[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + KEY_MASK;
    at = r.end;
  }
  return out + text.slice(at);
}

/** Where offset `pos` of the text lands in its masked form; inside a key: the mask's start (or its end, for `isEnd`). */
function maskedOffset(ranges: readonly KeyRange[], pos: number, isEnd: boolean): number {
  let shift = 0;
  for (const r of ranges) {
    if (pos <= r.start) break;
    if (pos < r.end) return r.start + shift + (isEnd ? KEY_MASK.length : 0);
    shift += KEY_MASK.length - (r.end - r.start);
  }
  return pos + shift;
}

/**
 * `text` (a leg, a piece of one, or a line holding legs) with every pre-shared
 * key replaced by `****`: `1.2.3.4:0*s3cret:8000` -> `1.2.3.4:0*****:8000`.
 * `env:NAME` references stay visible, as in formatLeg. Keys end at ':' only, so
 * in free text everything from a '*' to the next ':' is hidden.
 */
export function maskKeysInText(text: string): string {
  return applyMask(text, keyRanges(text));
}

// ---------------------------------------------------------------------------

/** One parser per kind. `missingAt` is where '@ARGS' would start (for "missing" errors). */
type KindParser = (segment: number, args: Span | undefined, missingAt: Span) => LegSpec;

const PARSERS: { readonly [K in LegKind]: KindParser } = { W: parseNic, U: parseUdp, V: parseVxlan };
