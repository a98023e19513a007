// The leg editor's form model. The form never decides validity itself: it
// writes the leg string the fields stand for and hands it to the same parser
// the CLI uses (parseLeg). Each field remembers where it sits in that string, so
// the parser's error offset lands on the field that caused it.

import { isMulticastIpv4, parseLeg } from '../../../electron/model/leg-grammar.js';
import type { LegKind, LegSpec, VxlanMode } from '../../../electron/model/leg-spec.js';
import { assertNever } from '../../../electron/model/assert-never.js';

/** Where a V leg's pre-shared key comes from: typed here, an environment variable, or a file. */
export type KeySource = 'none' | 'literal' | 'env' | 'file';

export interface LegFields {
  readonly kind: LegKind;
  readonly segment: string;
  /** W */
  readonly nic: string;
  /** U */
  readonly uLocal: string;
  readonly uLocalPort: string;
  readonly uRemote: string;
  readonly uRemotePort: string;
  /** V */
  readonly mode: VxlanMode;
  readonly vLocal: string;
  readonly peers: readonly string[];
  readonly group: string;
  readonly provider: string;
  readonly keySource: KeySource;
  readonly key: string;
  readonly keyEnv: string;
  /** Path of the file that holds the key (read by ubdg when the leg starts). */
  readonly keyFile: string;
  /** '' = default VXLAN port */
  readonly port: string;
}

export type FieldName = Exclude<keyof LegFields, 'kind' | 'mode' | 'keySource'> | 'leg';

export const DEFAULT_FIELDS: LegFields = Object.freeze({
  kind: 'V',
  segment: '5000',
  nic: '',
  uLocal: '',
  uLocalPort: '',
  uRemote: '',
  uRemotePort: '',
  mode: 'unicast',
  vLocal: '',
  peers: Object.freeze(['']) as readonly string[],
  group: '',
  provider: '',
  keySource: 'none',
  key: '',
  keyEnv: '',
  keyFile: '',
  port: '',
});

interface Part {
  readonly text: string;
  readonly field?: FieldName;
  readonly index?: number;
}

export interface FieldSpan {
  readonly field: FieldName;
  readonly index?: number;
  readonly start: number;
  readonly end: number;
}

export interface Composed {
  readonly text: string;
  readonly spans: readonly FieldSpan[];
}

function vxlanParts(f: LegFields): Part[] {
  const parts: Part[] = [];
  if (f.mode === 'access') parts.push({ text: '*' });
  else parts.push({ text: f.vLocal.trim(), field: 'vLocal' });
  parts.push({ text: ':' });
  switch (f.mode) {
    case 'unicast': {
      const peers = f.peers.map((p, i) => ({ p: p.trim(), i }));
      // Trailing empty rows (the "add a peer" row) are ignored; empty rows in between are errors.
      while (peers.length > 1 && peers[peers.length - 1]!.p === '') peers.pop();
      if (peers.length === 0) parts.push({ text: '', field: 'peers', index: 0 });
      peers.forEach((x, n) => {
        if (n > 0) parts.push({ text: '+' });
        parts.push({ text: x.p, field: 'peers', index: x.i });
      });
      break;
    }
    case 'multicast':
      parts.push({ text: f.group.trim(), field: 'group' });
      break;
    case 'provider':
      parts.push({ text: '0' });
      break;
    case 'access':
      parts.push({ text: f.provider.trim(), field: 'provider' });
      break;
    default:
      assertNever(f.mode, 'VXLAN mode');
  }
  if (f.keySource === 'literal') parts.push({ text: '*' }, { text: f.key, field: 'key' });
  else if (f.keySource === 'env') parts.push({ text: '*env:' }, { text: f.keyEnv.trim(), field: 'keyEnv' });
  else if (f.keySource === 'file') parts.push({ text: '*file:' }, { text: f.keyFile.trim(), field: 'keyFile' });
  if (f.port.trim() !== '') parts.push({ text: ':' }, { text: f.port.trim(), field: 'port' });
  return parts;
}

/** The leg string the fields stand for, with the span of each field in it. */
export function composeLeg(f: LegFields): Composed {
  const parts: Part[] = [{ text: f.segment.trim(), field: 'segment' }, { text: `#${f.kind}:E` }];
  switch (f.kind) {
    case 'W':
      if (f.nic !== '') parts.push({ text: '@' }, { text: f.nic, field: 'nic' });
      break;
    case 'U':
      parts.push(
        { text: '@' },
        { text: f.uLocal.trim(), field: 'uLocal' },
        { text: ':' },
        { text: f.uLocalPort.trim(), field: 'uLocalPort' },
        { text: ':' },
        { text: f.uRemote.trim(), field: 'uRemote' },
        { text: ':' },
        { text: f.uRemotePort.trim(), field: 'uRemotePort' },
      );
      break;
    case 'V':
      parts.push({ text: '@' }, ...vxlanParts(f));
      break;
    default:
      assertNever(f.kind, 'leg kind');
  }
  let text = '';
  const spans: FieldSpan[] = [];
  for (const p of parts) {
    const start = text.length;
    text += p.text;
    if (p.field) spans.push({ field: p.field, ...(p.index === undefined ? {} : { index: p.index }), start, end: text.length });
  }
  return { text, spans };
}

/** The field whose span holds `offset` (an empty span at the offset counts). */
export function fieldAt(spans: readonly FieldSpan[], offset: number, length: number): FieldSpan | undefined {
  let best: FieldSpan | undefined;
  for (const s of spans) {
    const inside = length > 0 ? offset >= s.start && offset < Math.max(s.end, s.start + 1) : offset >= s.start && offset <= s.end;
    if (inside && (!best || s.end - s.start <= best.end - best.start)) best = s;
  }
  return best;
}

export type LegCheck =
  | { readonly ok: true; readonly text: string; readonly spec: LegSpec }
  | {
      readonly ok: false;
      readonly text: string;
      readonly message: string;
      readonly expected?: string;
      /** Where in `text` (highlight); length may be 0 */
      readonly offset: number;
      readonly length: number;
      readonly field?: FieldName;
      readonly index?: number;
    };

/** Checks a leg string exactly as the CLI would. */
export function checkText(text: string): LegCheck {
  const r = parseLeg(text);
  if (r.ok) return { ok: true, text, spec: r.spec };
  const e = r.error;
  return { ok: false, text, message: e.message, expected: e.expected, offset: e.offset, length: e.length };
}

/** Checks the form: the parser on the composed string, then what only the form knows
 *  (the mode the user picked, an adapter being chosen). */
export function checkFields(f: LegFields): LegCheck {
  const { text, spans } = composeLeg(f);
  if (f.kind === 'W' && f.nic.trim() === '') {
    const seg = checkText(`${f.segment.trim()}#W:E`);
    if (!seg.ok) return withField(seg, spans);
    return { ok: false, text, message: 'pick the network adapter to bridge', offset: text.length, length: 0, field: 'nic' };
  }
  const r = checkText(text);
  const keyError = keyFieldProblem(f, text, spans, r);
  if (keyError) return keyError;
  if (!r.ok) return withField(r, spans);
  if (r.spec.kind === 'V' && f.kind === 'V' && r.spec.remote.mode !== f.mode) {
    // The string is valid but means another mode than the one picked: say so on the field that made it so.
    const parsed = r.spec.remote.mode;
    const field: FieldName = parsed === 'access' ? 'vLocal' : f.mode === 'multicast' ? 'group' : 'peers';
    const span = spans.find((s) => s.field === field);
    const { message, expected } = modeMismatch(f, parsed);
    return {
      ok: false,
      text,
      message,
      expected,
      offset: span?.start ?? 0,
      length: span ? span.end - span.start : text.length,
      field: span?.field ?? 'leg',
      ...(span?.index === undefined ? {} : { index: span.index }),
    };
  }
  return r;
}

/** The grammar's own message and expectation for a leg string it refuses (the form's key checks reuse its words). */
function grammarWords(leg: string, fallback: string): { message: string; expected: string } {
  const r = parseLeg(leg);
  return r.ok ? { message: fallback, expected: '' } : { message: r.error.message, expected: r.error.expected };
}

/** What the grammar says of a key with ':' in it (a ':' after the key starts the PORT). */
const KEY_COLON = grammarWords('1#V:E@*:192.0.2.1*k:x', "a KEY cannot contain ':'");
/** What the grammar says of `env:` followed by something that is not a variable name. */
const ENV_NAME_BAD = grammarWords('1#V:E@*:192.0.2.1*env:a-b', "the text after 'env:' is not an environment variable name");

/**
 * A key field the grammar would read otherwise than it was typed. In the leg
 * string a ':' ends the key: typed key "ab:12" would silently become key "ab"
 * and port 12, and a key file path ending in ":12" (no port) would lose it to
 * the port. The grammar's error for a problem earlier in the leg comes first.
 */
function keyFieldProblem(f: LegFields, text: string, spans: readonly FieldSpan[], r: LegCheck): LegCheck | undefined {
  if (f.kind !== 'V' || f.keySource === 'none') return undefined;
  const field: FieldName = f.keySource === 'literal' ? 'key' : f.keySource === 'env' ? 'keyEnv' : 'keyFile';
  const span = spans.find((s) => s.field === field);
  if (!span) return undefined;
  if (!r.ok && r.offset < span.start) return undefined;
  const typed = text.slice(span.start, span.end);
  const at = (start: number, words: { message: string; expected: string }): LegCheck => ({
    ok: false,
    text,
    ...words,
    offset: start,
    length: span.end - start,
    field,
  });
  switch (f.keySource) {
    case 'literal':
      return typed.includes(':') ? at(span.start + typed.indexOf(':'), KEY_COLON) : undefined;
    case 'env':
      return typed.includes(':') ? at(span.start, ENV_NAME_BAD) : undefined;
    case 'file': {
      if (!r.ok || r.spec.kind !== 'V' || r.spec.keyFile === typed) return undefined;
      const tail = /:[0-9]+$/.exec(typed);
      return at(span.start + (tail?.index ?? 0), {
        message: "a key file path that ends in ':' and digits is read as the PORT: set the UDP port as well, or rename the file",
        expected: 'PATH: the file that holds the key',
      });
    }
    default:
      return assertNever(f.keySource, 'key source');
  }
}

/** Plain words for a valid leg string whose mode is not the one picked in the form. */
function modeMismatch(f: LegFields, parsed: VxlanMode): { message: string; expected: string } {
  if (parsed === 'access') {
    return {
      message: "* as the local address means Access mode: choose Access mode, or enter this host's IPv4 address",
      expected: "this host's IPv4 address, such as 10.10.1.10",
    };
  }
  if (f.mode === 'multicast') {
    const g = f.group.trim();
    return {
      message: g === '0' ? '0 is not a multicast group (0 stands for Provider mode)' : `${g} is not a multicast group (224.0.0.0 – 239.255.255.255)`,
      expected: 'a multicast group such as 239.1.1.1, or choose Unicast mode for VTEP addresses',
    };
  }
  const peer = f.peers.map((p) => p.trim()).find((p) => p !== '') ?? '';
  const expected = 'unicast VTEP addresses such as 10.10.2.10, joined by +';
  switch (parsed) {
    case 'multicast':
      return { message: `${peer} is a multicast group: choose Multicast mode, or enter unicast VTEP addresses`, expected };
    case 'provider':
      return { message: '0 stands for Provider mode: choose Provider mode, or enter unicast VTEP addresses', expected };
    default:
      return { message: `${peer} does not make a ${f.mode} leg: choose ${parsed} mode, or change the address`, expected };
  }
}

/** 'incomplete' when the error is at an empty spot (a field still to fill in), 'invalid' when
 *  something typed is wrong, null for a valid leg. */
export function legProblem(c: LegCheck): 'incomplete' | 'invalid' | null {
  if (c.ok) return null;
  return c.length === 0 ? 'incomplete' : 'invalid';
}

function withField(r: Extract<LegCheck, { ok: false }>, spans: readonly FieldSpan[]): LegCheck {
  const s = fieldAt(spans, r.offset, r.length);
  return s ? { ...r, field: s.field, ...(s.index === undefined ? {} : { index: s.index }) } : { ...r, field: 'leg' };
}

/** Form fields for a parsed spec; fields the spec does not use keep `base`'s values. */
export function fieldsFromSpec(spec: LegSpec, base: LegFields = DEFAULT_FIELDS): LegFields {
  const common = { ...base, kind: spec.kind, segment: String(spec.segment) };
  switch (spec.kind) {
    case 'W':
      return { ...common, nic: spec.nic ?? '' };
    case 'U':
      return {
        ...common,
        uLocal: spec.localAddress,
        uLocalPort: String(spec.localPort),
        uRemote: spec.remoteAddress,
        uRemotePort: String(spec.remotePort),
      };
    case 'V': {
      const r = spec.remote;
      const keySource: KeySource = spec.keyEnv !== undefined ? 'env' : spec.keyFile !== undefined ? 'file' : spec.key !== undefined ? 'literal' : 'none';
      return {
        ...common,
        mode: r.mode,
        vLocal: spec.local === '*' ? base.vLocal : spec.local,
        peers: r.mode === 'unicast' ? [...r.peers] : base.peers,
        group: r.mode === 'multicast' ? r.group : base.group,
        provider: r.mode === 'access' ? r.provider : base.provider,
        keySource,
        key: spec.key ?? (keySource === 'none' ? base.key : ''),
        keyEnv: spec.keyEnv ?? base.keyEnv,
        keyFile: spec.keyFile ?? base.keyFile,
        port: spec.port === undefined ? '' : String(spec.port),
      };
    }
    default:
      return assertNever(spec, 'leg spec');
  }
}

export function isMulticastGroup(s: string): boolean {
  return isMulticastIpv4(s.trim());
}
