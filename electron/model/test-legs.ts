// A stand-in leg validator for profile tests: shape only (SEG#KIND:E[@ARGS]).
// The real one (leg-grammar.ts parseLeg) is wired in by the backend.
import type { LegValidator } from './profile-schema.js';

export const shapeOnlyLegValidator: LegValidator = (text) => {
  const m = /^(\d+)#([A-Z]):E(@.*)?$/.exec(text);
  if (!m) return 'expected SEG#KIND:E[@ARGS]';
  if (!['W', 'U', 'V'].includes(m[2] ?? '')) return `unknown leg kind "${m[2]}" (expected W, U or V)`;
  if (Number(m[1]) > 0xffffff) return 'segment out of range 0..16777215';
  return undefined;
};
