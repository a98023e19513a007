// Leg strings as the engine takes them, for tests: parsed, or the parser's message thrown.
import { parseLeg } from '../../model/leg-grammar.js';
import type { LegSpec } from '../../model/leg-spec.js';

export function spec(text: string): LegSpec {
  const r = parseLeg(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.spec;
}

export const legs = (...texts: string[]): LegSpec[] => texts.map(spec);
