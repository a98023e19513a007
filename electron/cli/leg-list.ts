// Parses the legs of a command line; the first bad one is reported with its position.

import { formatParseError, parseLeg } from '../model/leg-grammar.js';
import type { LegSpec } from '../model/leg-spec.js';

export type LegList = { readonly ok: true; readonly specs: LegSpec[]; readonly notes: string[] } | { readonly ok: false; readonly error: string };

export function parseLegList(legs: readonly string[]): LegList {
  const specs: LegSpec[] = [];
  for (let i = 0; i < legs.length; i++) {
    const r = parseLeg(legs[i]!);
    if (!r.ok) {
      const which = legs.length > 1 ? ` (leg ${i + 1} of ${legs.length})` : '';
      // The caret line of formatParseError is aligned to its own first line: keep both unprefixed.
      return { ok: false, error: `ubdg: bad leg${which}:\n${formatParseError(r.error)}\nNothing was started (see ubdg --help for the leg syntax).` };
    }
    specs.push(r.spec);
  }
  return { ok: true, specs, notes: [...lonelySegmentNotes(specs), ...keyOnCommandLineNotes(specs)] };
}

/** A key typed on the command line shows in `ps` to every local user. */
function keyOnCommandLineNotes(specs: readonly LegSpec[]): string[] {
  return specs.flatMap((s, i) =>
    s.kind === 'V' && s.key !== undefined
      ? [`leg ${i + 1}'s pre-shared key is on the command line, where other local users can read it (ps, /proc); prefer *env:NAME or *file:PATH`]
      : [],
  );
}

/** A segment with one leg is legal (a provider that only relays) but usually a typo. */
function lonelySegmentNotes(specs: readonly LegSpec[]): string[] {
  const notes: string[] = [];
  for (const seg of new Set(specs.map((s) => s.segment))) {
    const legs = specs.filter((s) => s.segment === seg);
    const relays = legs.some((s) => s.kind === 'V' && s.remote.mode === 'provider');
    if (legs.length === 1 && !relays) notes.push(`segment ${seg} has only one leg, so nothing is bridged on it`);
  }
  return notes;
}
