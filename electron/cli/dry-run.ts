// `ubdg --dry-run`: each leg as understood (normalised, key masked) and in plain words.

import { describeLeg } from '../model/describe-leg.js';
import { formatLeg } from '../model/leg-grammar.js';
import type { LegSpec } from '../model/leg-spec.js';
import type { Io } from './io.js';

export function dryRun(specs: readonly LegSpec[], io: Io): number {
  specs.forEach((s, i) => {
    io.stdout.write(`[${i}] ${formatLeg(s, { maskKey: true })}\n    ${describeLeg(s)}\n`);
  });
  const segments = [...new Set(specs.map((s) => s.segment))];
  for (const seg of segments) {
    const ids = specs.flatMap((s, i) => (s.segment === seg ? [i] : []));
    io.stdout.write(`segment ${seg}: legs ${ids.join(', ')} bridged together\n`);
  }
  io.stdout.write('dry run: nothing started\n');
  return 0;
}
