// Crash-safe file replacement: write a temp file in the same folder, fsync it,
// rename it over the target (atomic on POSIX and on NTFS), fsync the folder.
// A crash at any point leaves either the old file or the new one, never a
// truncated or empty file. Leftover temp files (crash between write and rename)
// are named `.<target name>.<16 hex>.vxbridge.tmp` (TEMP_NAME_RE); readers skip
// them, sweepTempFiles removes them and nothing else (the data dir may be a
// folder the user also keeps files in, such as `--data-dir ~` with `.notes.tmp`).

import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/** The few file operations atomic writes need; tests pass doubles to simulate crashes. */
export interface AtomicFs {
  open(file: string, flags: string, mode: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  /** Flush a directory entry (POSIX); may throw where directories cannot be opened (Windows). */
  syncDir(dir: string): Promise<void>;
}

export interface WritableFile {
  writeFile(data: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const nodeAtomicFs: AtomicFs = {
  open: (file, flags, mode) => fsp.open(file, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (file) => fsp.unlink(file),
  async syncDir(dir) {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

export const TEMP_SUFFIX = '.vxbridge.tmp';
/** Only what writeFileAtomic produces: "." + target name + "." + 16 hex digits + TEMP_SUFFIX. */
const TEMP_NAME_RE = /^\..+\.[0-9a-f]{16}\.vxbridge\.tmp$/;

/** A temp file of writeFileAtomic's (never another program's or the user's `.*.tmp`). */
export function isTempFileName(name: string): boolean {
  return TEMP_NAME_RE.test(name);
}

/** The temp file name writeFileAtomic uses for `target` (exported for tests). */
export function tempFileName(target: string): string {
  return `.${path.basename(target)}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`;
}

/** Windows: rename fails with EPERM/EACCES/EBUSY while a virus scanner or indexer holds the target. */
const RETRY_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 5;

async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= RENAME_ATTEMPTS || code === undefined || !RETRY_CODES.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

export interface AtomicWriteOptions {
  /** File mode for a new file; default 0o600 (profiles may hold keys). */
  readonly mode?: number;
  readonly fs?: AtomicFs;
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeAtomicFs;
  const dir = path.dirname(target);
  const tmp = path.join(dir, tempFileName(target));
  let renamed = false;
  try {
    const fh = await fs.open(tmp, 'wx', options.mode ?? 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await renameWithRetry(fs, tmp, target);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
  // Make the rename itself durable; best effort (not possible on Windows).
  await fs.syncDir(dir).catch(() => undefined);
}

/** Removes temp files left by a crash between write and rename. Best effort.
 *  Only files older than `minAgeMs` go, so a write in progress in another
 *  process (the app and `ubdg ui` may share the folder) is left alone. */
export async function sweepTempFiles(dir: string, minAgeMs = 60_000, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!isTempFileName(name)) continue;
    const file = path.join(dir, name);
    try {
      const st = await fsp.stat(file);
      if (now - st.mtimeMs < minAgeMs) continue;
      await fsp.unlink(file);
      removed++;
    } catch {
      // another process may own it right now
    }
  }
  return removed;
}
