// Paths into the repository (the e2e sources run from e2e/lib under vitest).

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const UBDG_BIN = join(REPO_ROOT, 'bin', 'ubdg.js');
export const FIXTURES = join(REPO_ROOT, 'e2e', 'fixtures');

function findRepoRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'e2e'))) return dir;
    const up = resolve(dir, '..');
    if (up === dir) throw new Error(`cannot find the repository root above ${from}`);
    dir = up;
  }
}
