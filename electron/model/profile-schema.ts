// The profile file format (versioned JSON) and its validation. Pure functions:
// every error names the bad field, e.g. `legs[2]: invalid leg "..." (...)`.
// Legs are checked by the leg grammar itself, the same parser as `ubdg`'s.

import { formatLeg, legProblem, maskKeysInText, parseLeg } from './leg-grammar.js';
import type { LegSpec } from './leg-spec.js';

/** A saved bridge setup. Stored as versioned JSON (see profiles/). */
export interface Profile {
  readonly version: 1;
  readonly name: string;
  /** Leg strings as `ubdg` takes them. Keys may be present (stored locally only). */
  readonly legs: readonly string[];
  readonly autoStart?: boolean;
  readonly updatedAt?: string;
}

export interface ProfileSummary {
  readonly name: string;
  readonly legCount: number;
  readonly updatedAt: string;
  /** Set when the file exists but cannot be loaded (corrupt, invalid field): the reason. */
  readonly problem?: string;
  /** Set (true) when a leg holds a pre-shared key typed into it (not env:NAME or file:PATH):
   *  an export asks whether to write it into the file. */
  readonly literalKeys?: boolean;
}

/** A profile as an export file: suggested file name and the file's text. */
export interface ProfileExport {
  readonly fileName: string;
  readonly json: string;
}

/** How a profile is exported ('profiles:export', 'profiles:exportJson'). */
export interface ExportOptions {
  /** true: keys typed into legs go into the file in clear. false: each becomes an
   *  environment variable reference (see exportLegs). */
  readonly includeKeys: boolean;
}

/** The environment variable an export without keys names in place of a typed key;
 *  further different keys get EXPORT_KEY_ENV_2, _3, ... */
export const EXPORT_KEY_ENV = 'VXBRIDGE_KEY';

export const PROFILE_VERSION = 1;
export const PROFILE_NAME_MAX = 64;
export const PROFILE_LEGS_MAX = 64;
export const LEG_TEXT_MAX = 512;
/** A profile file larger than this is not a profile. */
export const PROFILE_FILE_MAX_BYTES = 256 * 1024;
export const PROFILE_FILE_EXT = '.json';

export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const PROFILE_FIELDS = new Set(['version', 'name', 'legs', 'autoStart', 'updatedAt']);

// Characters Windows forbids in file names, plus path separators everywhere.
const FORBIDDEN_CHARS = '<>:"/\\|?*';
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Why `name` cannot be a profile name (it becomes a file name), or undefined if it can. */
export function profileNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'expected a string';
  if (name.length === 0) return 'must not be empty';
  if (name.length > PROFILE_NAME_MAX) return `must be at most ${PROFILE_NAME_MAX} characters`;
  if (name.trim() !== name) return 'must not start or end with a space';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return 'must not contain control characters';
    if (FORBIDDEN_CHARS.includes(ch)) return `must not contain ${JSON.stringify(ch)} (not allowed in file names)`;
  }
  if (name.startsWith('.')) return 'must not start with "."';
  if (name.endsWith('.')) return 'must not end with "."';
  if (WINDOWS_RESERVED.test(name)) return `"${name}" is a reserved device name on Windows`;
  return undefined;
}

/** Hides pre-shared keys (`*KEY`, up to the next ':'; a key may hold '@' or '*') in a leg string for messages. */
export function maskLegKey(leg: string): string {
  return maskKeysInText(leg);
}

function quoteLeg(leg: string): string {
  const masked = maskLegKey(leg);
  return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
}

/** A leg string as given (trimmed) and what it means. */
export interface CheckedLeg {
  readonly text: string;
  readonly spec: LegSpec;
}

/** Parses an untrusted leg list (IPC input or a profile's legs); `field` prefixes the messages. */
export function parseLegList(value: unknown, field = 'legs'): Validation<readonly CheckedLeg[]> {
  if (!Array.isArray(value)) return { ok: false, error: `${field}: expected a list of leg strings` };
  if (value.length > PROFILE_LEGS_MAX) return { ok: false, error: `${field}: at most ${PROFILE_LEGS_MAX} legs` };
  const legs: CheckedLeg[] = [];
  for (let i = 0; i < value.length; i++) {
    const leg: unknown = value[i];
    if (typeof leg !== 'string') return { ok: false, error: `${field}[${i}]: expected a leg string, got ${describe(leg)}` };
    if (leg.length > LEG_TEXT_MAX) return { ok: false, error: `${field}[${i}]: leg string longer than ${LEG_TEXT_MAX} characters` };
    const text = leg.trim();
    const r = parseLeg(text);
    if (!r.ok) return { ok: false, error: `${field}[${i}]: invalid leg ${quoteLeg(leg)}: ${legProblem(r.error)}` };
    legs.push({ text, spec: r.spec });
  }
  return { ok: true, value: legs };
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Validates an untrusted value (parsed file or IPC argument) as a Profile. */
export function validateProfile(value: unknown): Validation<Profile> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: `profile: expected a JSON object, got ${describe(value)}` };
  }
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!PROFILE_FIELDS.has(key)) return { ok: false, error: `${key.slice(0, 40)}: unknown field` };
  }
  if (!('version' in obj)) return { ok: false, error: 'version: missing' };
  if (obj.version !== PROFILE_VERSION) {
    return typeof obj.version === 'number' && Number.isInteger(obj.version) && obj.version > PROFILE_VERSION
      ? { ok: false, error: `version: ${obj.version} was written by a newer vxbridge (this one reads version ${PROFILE_VERSION})` }
      : { ok: false, error: `version: expected ${PROFILE_VERSION}, got ${JSON.stringify(obj.version) ?? 'undefined'}` };
  }
  const nameProblem = profileNameProblem(obj.name);
  if (nameProblem !== undefined) return { ok: false, error: `name: ${obj.name === undefined ? 'missing' : nameProblem}` };
  if (!('legs' in obj)) return { ok: false, error: 'legs: missing' };
  const legs = parseLegList(obj.legs);
  if (!legs.ok) return legs;
  if (obj.autoStart !== undefined && typeof obj.autoStart !== 'boolean') {
    return { ok: false, error: `autoStart: expected true or false, got ${describe(obj.autoStart)}` };
  }
  if (obj.updatedAt !== undefined && (typeof obj.updatedAt !== 'string' || Number.isNaN(Date.parse(obj.updatedAt)))) {
    return { ok: false, error: 'updatedAt: expected an ISO 8601 date string' };
  }
  const profile: Profile = {
    version: PROFILE_VERSION,
    name: obj.name as string,
    legs: legs.value.map((l) => l.text),
    ...(obj.autoStart !== undefined ? { autoStart: obj.autoStart as boolean } : {}),
    ...(obj.updatedAt !== undefined ? { updatedAt: new Date(obj.updatedAt as string).toISOString() } : {}),
  };
  return { ok: true, value: profile };
}

/** Whether a leg string holds a pre-shared key typed into it (`*KEY`, not `*env:NAME` or `*file:PATH`). */
export function hasLiteralKey(leg: string): boolean {
  const r = parseLeg(leg);
  return r.ok && r.spec.kind === 'V' && r.spec.key !== undefined && r.spec.keyEnv === undefined && r.spec.keyFile === undefined;
}

/**
 * The legs as an export writes them. With `includeKeys`, unchanged. Without, a
 * typed key is not simply dropped (an exported leg without its key would become
 * an unencrypted leg on import, silently): it is replaced by `*env:VXBRIDGE_KEY`,
 * so that the leg stays encrypted and whoever imports it must supply the key.
 * Legs with different keys get different names (VXBRIDGE_KEY_2, ...), never one
 * the profile already reads a key from; `env:` and `file:` references stay as
 * they are. A leg that does not parse is refused, never written as it is.
 */
export function exportLegs(legs: readonly string[], options: ExportOptions): Validation<{ readonly legs: readonly string[]; readonly keysReplaced: number }> {
  if (options.includeKeys) return { ok: true, value: { legs: [...legs], keysReplaced: 0 } };
  const specs: LegSpec[] = [];
  for (const [i, leg] of legs.entries()) {
    const r = parseLeg(leg);
    if (!r.ok) return { ok: false, error: `legs[${i}]: invalid leg ${quoteLeg(leg)}: ${legProblem(r.error)}` };
    specs.push(r.spec);
  }
  const taken = new Set(specs.flatMap((s) => (s.kind === 'V' && s.keyEnv !== undefined ? [s.keyEnv] : [])));
  const nameOf = new Map<string, string>();
  let next = 1;
  const envFor = (key: string): string => {
    const known = nameOf.get(key);
    if (known !== undefined) return known;
    let name: string;
    do {
      name = next === 1 ? EXPORT_KEY_ENV : `${EXPORT_KEY_ENV}_${next}`;
      next++;
    } while (taken.has(name));
    nameOf.set(key, name);
    return name;
  };
  let keysReplaced = 0;
  const out = legs.map((leg, i) => {
    const spec = specs[i]!;
    if (spec.kind !== 'V' || spec.key === undefined || spec.keyEnv !== undefined || spec.keyFile !== undefined) return leg;
    keysReplaced++;
    const { key, ...rest } = spec;
    return formatLeg({ ...rest, keyEnv: envFor(key) });
  });
  return { ok: true, value: { legs: out, keysReplaced } };
}

/** Parses and validates the text of a profile file. */
export function parseProfileJson(text: string): Validation<Profile> {
  if (text.length > PROFILE_FILE_MAX_BYTES) return { ok: false, error: `profile: file larger than ${PROFILE_FILE_MAX_BYTES / 1024} KiB` };
  if (text.trim() === '') return { ok: false, error: 'profile: file is empty' };
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    // Not JSON.parse's message: V8 quotes the text around the error, which may hold a key.
    return { ok: false, error: `profile: not valid JSON${jsonErrorWhere(text.replace(/^\uFEFF/, ''))}` };
  }
  return validateProfile(value);
}

/** The file text: stable key order, two-space indent, trailing newline. */
export function serializeProfile(p: Profile): string {
  const ordered: Profile = {
    version: PROFILE_VERSION,
    name: p.name,
    legs: [...p.legs],
    ...(p.autoStart !== undefined ? { autoStart: p.autoStart } : {}),
    ...(p.updatedAt !== undefined ? { updatedAt: p.updatedAt } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * " (line L, column C: reason)" for the first syntax error in `text`, found by
 * a small JSON scanner (iterative, so deep nesting cannot overflow the stack).
 * Never quotes the text. Empty if the scanner finds nothing (it should not).
 */
export function jsonErrorWhere(text: string): string {
  const e = jsonSyntaxError(text);
  if (e === undefined) return '';
  const before = text.slice(0, e.offset);
  const line = before.split('\n').length;
  const column = e.offset - (before.lastIndexOf('\n') + 1) + 1;
  return ` (line ${line}, column ${column}: ${e.reason})`;
}

const JSON_LITERAL = /true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4})/y;

function jsonSyntaxError(text: string): { offset: number; reason: string } | undefined {
  type State = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after';
  const stack: ('{' | '[')[] = [];
  let state: State = 'value';
  let i = 0;
  const string = (): { offset: number; reason: string } | undefined => {
    for (i++; ;) {
      const c = text[i];
      if (c === undefined) return { offset: i, reason: 'a string is not closed' };
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c < ' ') return { offset: i, reason: 'control character in a string' };
      if (c === '\\') {
        JSON_ESCAPE.lastIndex = i;
        if (!JSON_ESCAPE.test(text)) return { offset: i, reason: 'invalid escape in a string' };
        i = JSON_ESCAPE.lastIndex;
      } else i++;
    }
  };
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    const c = text[i];
    if (c === undefined) return state === 'after' && stack.length === 0 ? undefined : { offset: i, reason: 'the file ends too early' };
    const top = stack.at(-1);
    if (state === 'after') {
      if (top === undefined) return { offset: i, reason: 'unexpected text after the end of the JSON value' };
      if (c === ',') state = top === '{' ? 'key' : 'value';
      else if ((c === '}' && top === '{') || (c === ']' && top === '[')) stack.pop();
      else return { offset: i, reason: `expected ',' or '${top === '{' ? '}' : ']'}'` };
      i++;
    } else if (state === 'key' || state === 'keyOrClose') {
      if (c === '}' && state === 'keyOrClose') {
        stack.pop();
        i++;
        state = 'after';
        continue;
      }
      if (c !== '"') return { offset: i, reason: 'expected a property name in double quotes' };
      const e = string();
      if (e !== undefined) return e;
      while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
      if (text[i] !== ':') return { offset: i, reason: "expected ':' after a property name" };
      i++;
      state = 'value';
    } else if (c === ']' && state === 'valueOrClose') {
      stack.pop();
      i++;
      state = 'after';
    } else if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      state = c === '{' ? 'keyOrClose' : 'valueOrClose';
    } else if (c === '"') {
      const e = string();
      if (e !== undefined) return e;
      state = 'after';
    } else {
      JSON_LITERAL.lastIndex = i;
      if (!JSON_LITERAL.test(text)) return { offset: i, reason: 'unexpected character' };
      i = JSON_LITERAL.lastIndex;
      state = 'after';
    }
  }
}
