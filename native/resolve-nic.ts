// Turns what a user typed (W leg argument, --nic) into one adapter, and prints
// the adapter table for `ubdg --list-nics`. Pure.
import type { NicInfo } from '../electron/model/nic-info.js';

export type ResolveNicResult = { ok: true; nic: NicInfo } | { ok: false; error: string };

const HOW_TO_PICK = 'Give the adapter\'s name, its description or its index; "ubdg --list-nics" lists them.';

/** Exact name, then case-insensitive description, then index, then a unique
 *  case-insensitive substring of the description. */
export function resolveNic(query: string, nics: readonly NicInfo[]): ResolveNicResult {
  const q = query.trim();
  if (q === '') return fail('No network adapter given.', nics);
  const byName = nics.find((n) => n.name === q);
  if (byName) return { ok: true, nic: byName };
  const lower = q.toLowerCase();
  const byDescription = nics.filter((n) => n.description.toLowerCase() === lower);
  if (byDescription.length === 1 && byDescription[0]) return { ok: true, nic: byDescription[0] };
  if (byDescription.length > 1) return fail(`"${q}" is the description of ${byDescription.length} adapters:`, byDescription);
  const byIndex = /^\d+$/.test(q) ? nics.find((n) => n.index === Number(q)) : undefined;
  if (byIndex) return { ok: true, nic: byIndex };
  const partial = nics.filter((n) => n.description.toLowerCase().includes(lower));
  if (partial.length === 1 && partial[0]) return { ok: true, nic: partial[0] };
  if (partial.length > 1) return fail(`"${q}" matches ${partial.length} adapters:`, partial);
  return fail(`No network adapter matches "${q}".`, nics);
}

function fail(head: string, candidates: readonly NicInfo[]): { ok: false; error: string } {
  const list = candidates.length === 0 ? ['  (no adapters found)'] : candidates.map(candidateLine);
  return { ok: false, error: [head, ...list, HOW_TO_PICK].join('\n') };
}

function candidateLine(n: NicInfo): string {
  const addrs = n.addresses.map((a) => a.address).join(', ');
  const desc = n.description === n.name ? '' : ` "${n.description}"`;
  return `  ${n.index}  ${n.name}${desc}${addrs ? `  ${addrs}` : ''}`;
}

/** Aligned table: index, name, description, IPv4 addresses, flags; one note
 *  line per unsuitable adapter says why. */
export function formatNicTable(nics: readonly NicInfo[]): string {
  if (nics.length === 0) return 'No network adapters found.';
  const rows = nics.map((n) => [
    String(n.index),
    n.name,
    n.description === n.name ? '' : n.description,
    n.addresses
      .filter((a) => a.family === 'IPv4')
      .map((a) => a.address)
      .join(', '),
    flagWords(n).join(','),
  ]);
  const header = ['#', 'NAME', 'DESCRIPTION', 'IPv4', 'FLAGS'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = nics.filter((n) => n.flags.unsuitable).map((n) => `${n.index}: ${n.flags.unsuitable}`);
  return [line(header), ...rows.map(line), ...(notes.length ? ['', 'Not usable as bridge ports:', ...notes] : [])].join('\n');
}

function flagWords(n: NicInfo): string[] {
  const f = n.flags;
  const words = [f.up ? 'up' : 'down'];
  if (f.up && f.running === false) words.push('no-carrier');
  if (f.loopback) words.push('loopback');
  if (f.wireless) words.push('wireless');
  if (f.unsuitable) words.push('unsuitable');
  return words;
}
