// Pasting and copying `ubdg` command lines (UI leg editor). Pure, no Node imports.
//
// Words follow a small, shell-like rule set that works for lines copied from
// sh/bash/zsh, PowerShell and cmd.exe alike:
// - whitespace separates words; '...' and "..." group (quotes may sit inside a
//   word: a"b c"d is one word, ab cd);
// - backslashes are literal, also inside quotes (\Device\NPF_{...});
// - a backslash right before a line break joins the lines (sh line continuation);
// - no variables, globbing or escapes; an unclosed quote is an error.

import { cliOption } from './cli-options.js';
import { formatParseError, parseLeg } from './leg-grammar.js';

export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };
export type CommandLineResult = { ok: true; legs: string[]; options: string[] } | { ok: false; error: string };

export function splitCommandLine(line: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  let quoteAt = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      quoteAt = i;
      inWord = true;
    } else if (c === '\\' && /^\r?\n/.test(line.slice(i + 1, i + 3))) {
      i += line[i + 1] === '\r' ? 2 : 1;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    const which = quote === '"' ? 'double' : 'single';
    return { ok: false, error: `unbalanced ${which} quote: the ${quote} at column ${quoteAt + 1} is never closed` };
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}

/** Program words: `ubdg`, `ubdg.exe`, a path ending in them, `bin/ubdg.js`. */
const PROGRAM = /(^|[\\/])ubdg(\.exe|\.cmd|\.js)?$/i;

/**
 * A pasted command line: drops whatever runs `ubdg` (`ubdg`, a path to it,
 * `npx ubdg`, `sudo -E ubdg`, `node bin/ubdg.js`), keeps options (and the value
 * of options that take one) apart from legs, and checks every leg. A line of
 * legs alone is fine too. Legs come back as typed.
 */
export function parseCommandLine(line: string): CommandLineResult {
  const split = splitCommandLine(line);
  if (!split.ok) return split;
  const words = withoutProgram(split.words);
  if (words[0] === 'ui') return { ok: false, error: "'ubdg ui' serves the user interface; it has no legs to paste" };
  const legs: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length < 2 || !w.startsWith('-')) {
      legs.push(w);
    } else if (cliOption(w)?.value !== undefined) {
      const value = words[i + 1];
      if (value === undefined) return { ok: false, error: `option ${w} needs a value` };
      options.push(w, value);
      i++;
    } else {
      options.push(w);
    }
  }
  if (legs.length === 0) return { ok: false, error: 'no legs in this command line (e.g. ubdg 5000#V:E@10.10.1.10:10.10.2.10 5000#W:E@eth0)' };
  for (const [i, leg] of legs.entries()) {
    const r = parseLeg(leg);
    if (!r.ok) return { ok: false, error: `leg ${i + 1} of ${legs.length}: ${formatParseError(r.error)}` };
  }
  return { ok: true, legs, options };
}

/** Drops the words up to and including the program word, if one comes before the first leg. */
function withoutProgram(words: readonly string[]): string[] {
  const firstLeg = words.findIndex((w) => w.includes('#'));
  const before = firstLeg < 0 ? words : words.slice(0, firstLeg);
  const program = before.findIndex((w) => PROGRAM.test(w));
  if (program < 0) return [...words];
  const rest = words.slice(program + 1);
  return rest[0] === '--' ? rest.slice(1) : rest;
}

/** `ubdg` and the legs, each quoted only if it needs it, so that splitCommandLine gives the legs back. */
export function formatCommandLine(legs: readonly string[]): string {
  return ['ubdg', ...legs.map(quoteWord)].join(' ');
}

/**
 * Characters that mean nothing to sh, PowerShell or cmd.exe inside a word. Any
 * other character (whitespace, quotes, '*', '\', '$', '{', ',', ...) gets the
 * word single-quoted, so that the copied line also pastes into a shell unchanged.
 */
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_\-+=.:@#/]*$/;

export function quoteWord(word: string): string {
  if (PLAIN.test(word)) return word;
  // '...' keeps everything literal; a ' itself is written as "'" between two quoted parts.
  return word
    .split("'")
    .map((part) => (part === '' ? '' : `'${part}'`))
    .join(`"'"`)
    .replace(/^$/, "''");
}
