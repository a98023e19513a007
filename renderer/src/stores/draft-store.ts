// The legs being edited: a list of drafts, each a form plus the leg string it
// stands for, validated as the user types by the CLI's own parser. Paste and
// copy of whole `ubdg` command lines live here too.

import { create } from 'zustand';
import { formatLeg } from '../../../electron/model/leg-grammar.js';
import { formatCommandLine, parseCommandLine } from '../../../electron/model/command-line.js';
import type { LegKind } from '../../../electron/model/leg-spec.js';
import { checkFields, checkText, composeLeg, DEFAULT_FIELDS, fieldsFromSpec, type LegCheck, type LegFields } from '../lib/leg-form.js';

export interface LegDraft {
  readonly id: number;
  readonly fields: LegFields;
  /** The leg string: composed from the fields, or as typed in the text box. */
  readonly text: string;
  /** True while the text box, not the form, is the source (an unparsable string cannot become fields). */
  readonly textEdited: boolean;
}

export type PasteResult = { readonly ok: true; readonly count: number; readonly ignoredOptions: readonly string[] } | { readonly ok: false; readonly error: string };

export interface DraftStore {
  legs: readonly LegDraft[];
  selectedId: number | null;
  add(fields?: Partial<LegFields>): number;
  remove(id: number): void;
  duplicate(id: number): number | null;
  move(id: number, delta: -1 | 1): void;
  select(id: number | null): void;
  update(id: number, patch: Partial<LegFields>): void;
  setText(id: number, text: string): void;
  /** Replaces every leg (profile load, paste). */
  replaceAll(legs: readonly string[]): void;
  paste(line: string, mode?: 'replace' | 'append'): PasteResult;
}

let nextId = 1;

function fromFields(fields: LegFields): LegDraft {
  return { id: nextId++, fields, text: composeLeg(fields).text, textEdited: false };
}

/** A draft for a leg string from a profile or a paste: fields when it parses, the raw text when not. */
export function draftFromText(text: string): LegDraft {
  const r = checkText(text);
  if (r.ok) return { id: nextId++, fields: fieldsFromSpec(r.spec), text: formatLeg(r.spec), textEdited: false };
  return { id: nextId++, fields: DEFAULT_FIELDS, text, textEdited: true };
}

const checks = new WeakMap<LegDraft, LegCheck>();

/** Validation of one draft (memoised per immutable draft object). */
export function checkDraft(d: LegDraft): LegCheck {
  let c = checks.get(d);
  if (!c) {
    c = d.textEdited ? checkText(d.text) : checkFields(d.fields);
    checks.set(d, c);
  }
  return c;
}

export type Startable = { readonly ok: true; readonly legs: readonly string[] } | { readonly ok: false; readonly reason: string; readonly legId?: number };

/** The canonical leg strings to start or save, or why there are none. */
export function startableLegs(legs: readonly LegDraft[]): Startable {
  if (legs.length === 0) return { ok: false, reason: 'Add a leg first.' };
  const out: string[] = [];
  for (const [i, d] of legs.entries()) {
    const c = checkDraft(d);
    if (!c.ok) return { ok: false, reason: `Leg ${i + 1}: ${c.message}`, legId: d.id };
    out.push(formatLeg(c.spec));
  }
  return { ok: true, legs: out };
}

/** `ubdg …` for the current legs (keys included unless masked), or why not. */
export function commandLineFor(legs: readonly LegDraft[], options: { maskKeys?: boolean } = {}): { ok: true; line: string } | { ok: false; reason: string } {
  if (legs.length === 0) return { ok: false, reason: 'No legs to copy.' };
  const out: string[] = [];
  for (const [i, d] of legs.entries()) {
    const c = checkDraft(d);
    if (!c.ok) return { ok: false, reason: `Leg ${i + 1}: ${c.message}` };
    out.push(formatLeg(c.spec, { maskKey: options.maskKeys === true }));
  }
  return { ok: true, line: formatCommandLine(out) };
}

export function hasLiteralKey(legs: readonly LegDraft[]): boolean {
  return legs.some((d) => {
    const c = checkDraft(d);
    return c.ok && c.spec.kind === 'V' && c.spec.key !== undefined && c.spec.keyEnv === undefined;
  });
}

function replace(legs: readonly LegDraft[], id: number, f: (d: LegDraft) => LegDraft): readonly LegDraft[] {
  return legs.map((d) => (d.id === id ? f(d) : d));
}

export const useDrafts = create<DraftStore>()((set, get) => ({
  legs: [],
  selectedId: null,

  add(patch = {}) {
    const legs = get().legs;
    const lastSegment = legs.length > 0 ? legs[legs.length - 1]!.fields.segment : DEFAULT_FIELDS.segment;
    const d = fromFields({ ...DEFAULT_FIELDS, segment: lastSegment, ...patch });
    set({ legs: [...legs, d], selectedId: d.id });
    return d.id;
  },

  remove(id) {
    const { legs, selectedId } = get();
    const i = legs.findIndex((d) => d.id === id);
    if (i < 0) return;
    const next = legs.filter((d) => d.id !== id);
    const sel = selectedId === id ? (next[Math.min(i, next.length - 1)]?.id ?? null) : selectedId;
    set({ legs: next, selectedId: sel });
  },

  duplicate(id) {
    const legs = get().legs;
    const i = legs.findIndex((d) => d.id === id);
    if (i < 0) return null;
    const src = legs[i]!;
    const copy: LegDraft = { ...src, id: nextId++ };
    set({ legs: [...legs.slice(0, i + 1), copy, ...legs.slice(i + 1)], selectedId: copy.id });
    return copy.id;
  },

  move(id, delta) {
    const legs = [...get().legs];
    const i = legs.findIndex((d) => d.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= legs.length) return;
    [legs[i], legs[j]] = [legs[j]!, legs[i]!];
    set({ legs });
  },

  select: (id) => set({ selectedId: id }),

  update(id, patch) {
    set({
      legs: replace(get().legs, id, (d) => {
        const fields = { ...d.fields, ...patch };
        return { id, fields, text: composeLeg(fields).text, textEdited: false };
      }),
    });
  },

  setText(id, text) {
    set({
      legs: replace(get().legs, id, (d) => {
        const r = checkText(text);
        return r.ok ? { id, fields: fieldsFromSpec(r.spec, d.fields), text, textEdited: true } : { ...d, text, textEdited: true };
      }),
    });
  },

  replaceAll(texts) {
    // Collapsed: a loaded setup reads as a list; click a leg to edit it.
    set({ legs: texts.map(draftFromText), selectedId: null });
  },

  paste(line, mode = 'replace') {
    const r = parseCommandLine(line);
    if (!r.ok) return { ok: false, error: r.error };
    const added = r.legs.map(draftFromText);
    const legs = mode === 'append' ? [...get().legs, ...added] : added;
    set({ legs, selectedId: null });
    return { ok: true, count: added.length, ignoredOptions: r.options };
  },
}));

export function resetDrafts(): void {
  useDrafts.setState({ legs: [], selectedId: null });
}

export function newLegFields(kind: LegKind, nic?: string): Partial<LegFields> {
  return kind === 'W' ? { kind, nic: nic ?? '' } : { kind };
}
