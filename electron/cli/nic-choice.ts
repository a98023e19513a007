// Fills in the adapter of `W` legs: resolves what the user typed (name,
// description or index) to the adapter's real name, or asks on a terminal.

import { createInterface } from 'node:readline/promises';
import type { NicInfo } from '../model/nic-info.js';
import type { LegSpec } from '../model/leg-spec.js';
import { formatLeg } from '../model/leg-grammar.js';

export type NicChoice = { readonly ok: true; readonly specs: LegSpec[] } | { readonly ok: false; readonly error: string; readonly usage: boolean };

export interface NicChoiceDeps {
  readonly nics: readonly NicInfo[];
  readonly resolve: (query: string, nics: readonly NicInfo[]) => { ok: true; nic: NicInfo } | { ok: false; error: string };
  readonly table: (nics: readonly NicInfo[]) => string;
  /** Null when there is no terminal to ask on. */
  readonly ask: ((question: string) => Promise<string>) | null;
}

export async function chooseNics(specs: readonly LegSpec[], d: NicChoiceDeps): Promise<NicChoice> {
  const out: LegSpec[] = [];
  for (const s of specs) {
    if (s.kind !== 'W') {
      out.push(s);
      continue;
    }
    let query = s.nic;
    if (query === undefined) {
      if (d.ask === null) {
        return {
          ok: false,
          usage: true,
          error: `leg ${formatLeg(s)} names no adapter and there is no terminal to ask on. Add one after '@', e.g. ${s.segment}#W:E@eth0, from this list:\n${d.table(d.nics)}`,
        };
      }
      query = (await d.ask(`${d.table(d.nics)}\nAdapter for segment ${s.segment} (index, name or description): `)).trim();
    }
    const r = d.resolve(query, d.nics);
    if (!r.ok) return { ok: false, usage: false, error: r.error };
    if (r.nic.flags.unsuitable !== undefined) {
      return { ok: false, usage: false, error: `adapter "${r.nic.description}" cannot be a bridge port: ${r.nic.flags.unsuitable}` };
    }
    out.push({ ...s, nic: r.nic.name });
  }
  return { ok: true, specs: out };
}

/** Asks on the terminal, or null when stdin is not one. */
export function terminalAsk(): ((q: string) => Promise<string>) | null {
  if (!process.stdin.isTTY) return null;
  return async (q) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(q);
    } finally {
      rl.close();
    }
  };
}
