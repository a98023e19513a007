// Profiles as versioned JSON files in <dataDir>/profiles/<name>.json, plus a
// persisted recent list (<dataDir>/recent.json). Every write is atomic
// (atomic-write.ts). Operations are serialized within one process.

import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { ExportOptions, Profile, ProfileExport, ProfileSummary } from '../../contract/ipc-contract.js';
import { createSerial } from '../serial.js';
import { isTempFileName, sweepTempFiles, writeFileAtomic, type AtomicFs } from './atomic-write.js';
import {
  PROFILE_FILE_EXT,
  PROFILE_FILE_MAX_BYTES,
  PROFILE_NAME_MAX,
  exportLegs,
  hasLiteralKey,
  parseProfileJson,
  profileNameProblem,
  serializeProfile,
  validateProfile,
} from '../../model/profile-schema.js';

export type ProfileErrorCode = 'invalid' | 'not-found' | 'exists' | 'io';

export class ProfileError extends Error {
  constructor(
    readonly code: ProfileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

export const RECENT_MAX = 10;
const RECENT_FILE = 'recent.json';
const RECENT_VERSION = 1;

export interface ProfileStoreOptions {
  /** The app's data folder (Electron userData, or the CLI's equivalent). */
  readonly dataDir: string;
  /** Test seam for crash simulation. */
  readonly fs?: AtomicFs;
  readonly now?: () => Date;
}

export interface ProfileStore {
  readonly profilesDir: string;
  list(): Promise<readonly ProfileSummary[]>;
  /** Throws ProfileError('not-found' | 'invalid' | 'io'). Marks the profile as recently used. */
  load(name: string): Promise<Profile>;
  /** As load, but leaves the recent list alone (a look, not a use). */
  read(name: string): Promise<Profile>;
  /** Validates, stamps updatedAt, writes atomically (create or overwrite). */
  save(profile: unknown): Promise<ProfileSummary>;
  rename(from: string, to: string): Promise<ProfileSummary>;
  delete(name: string): Promise<void>;
  /** Most recent first; only names that still exist. */
  recent(): Promise<readonly string[]>;
  /** Suggested file name and file text for an export. Unless `options.includeKeys`,
   *  keys typed into legs become `*env:VXBRIDGE_KEY` references (exportLegs). */
  exportJson(name: string, options: ExportOptions): Promise<ProfileExport>;
  /** Validates and saves imported text; a name already taken gets " (2)", " (3)"... */
  importJson(text: string): Promise<ProfileSummary>;
  /** The most recently used profile if it has autoStart set, else null. Never throws. */
  autoStartProfile(): Promise<Profile | null>;
}

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

function ioError(what: string, err: unknown): ProfileError {
  return new ProfileError('io', `${what}: ${err instanceof Error ? err.message : String(err)}`);
}

export function createProfileStore(options: ProfileStoreOptions): ProfileStore {
  const dir = path.join(options.dataDir, 'profiles');
  const recentFile = path.join(options.dataDir, RECENT_FILE);
  const now = options.now ?? (() => new Date());
  const writeOpts = options.fs ? { fs: options.fs } : {};
  /** One operation at a time, so that the recent list and renames never interleave. */
  const serial = createSerial();
  let ready: Promise<void> | undefined;

  function ensureDir(): Promise<void> {
    ready ??= (async () => {
      await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
      await sweepTempFiles(dir);
      await sweepTempFiles(options.dataDir);
    })().catch((err: unknown) => {
      ready = undefined;
      throw ioError(`Cannot create the profile folder ${dir}`, err);
    });
    return ready;
  }

  function checkName(name: unknown, field = 'name'): string {
    const problem = profileNameProblem(name);
    if (problem !== undefined) throw new ProfileError('invalid', `${field}: ${problem}`);
    return name as string;
  }

  const fileOf = (name: string): string => path.join(dir, name + PROFILE_FILE_EXT);

  async function exists(name: string): Promise<boolean> {
    try {
      await fsp.access(fileOf(name));
      return true;
    } catch {
      return false;
    }
  }

  async function readProfile(name: string): Promise<Profile> {
    let text: string;
    try {
      const st = await fsp.stat(fileOf(name));
      if (st.size > PROFILE_FILE_MAX_BYTES) throw new ProfileError('invalid', `Profile "${name}" is not valid: profile: file larger than ${PROFILE_FILE_MAX_BYTES / 1024} KiB`);
      text = await fsp.readFile(fileOf(name), 'utf8');
    } catch (err) {
      if (err instanceof ProfileError) throw err;
      if (errnoCode(err) === 'ENOENT') throw new ProfileError('not-found', `There is no profile named "${name}".`);
      throw ioError(`Cannot read profile "${name}"`, err);
    }
    const parsed = parseProfileJson(text);
    if (!parsed.ok) throw new ProfileError('invalid', `Profile "${name}" is not valid: ${parsed.error}`);
    // The file name is authoritative (the file may have been renamed by hand).
    return parsed.value.name === name ? parsed.value : { ...parsed.value, name };
  }

  async function writeProfile(p: Profile): Promise<void> {
    try {
      await writeFileAtomic(fileOf(p.name), serializeProfile(p), writeOpts);
    } catch (err) {
      throw ioError(`Cannot save profile "${p.name}"`, err);
    }
  }

  function summary(p: Profile): ProfileSummary {
    return { name: p.name, legCount: p.legs.length, updatedAt: p.updatedAt ?? '', ...(p.legs.some(hasLiteralKey) ? { literalKeys: true } : {}) };
  }

  async function readRecentRaw(): Promise<string[]> {
    try {
      const value: unknown = JSON.parse(await fsp.readFile(recentFile, 'utf8'));
      const list = (value as { recent?: unknown } | null)?.recent;
      if (!Array.isArray(list)) return [];
      return list.filter((n): n is string => profileNameProblem(n) === undefined).slice(0, RECENT_MAX);
    } catch {
      return []; // missing or corrupt: start over, never fail because of it
    }
  }

  async function writeRecent(list: readonly string[]): Promise<void> {
    try {
      await writeFileAtomic(recentFile, `${JSON.stringify({ version: RECENT_VERSION, recent: list.slice(0, RECENT_MAX) }, null, 2)}\n`, writeOpts);
    } catch (err) {
      throw ioError('Cannot save the recent profile list', err);
    }
  }

  async function updateRecent(edit: (list: string[]) => string[]): Promise<void> {
    const before = await readRecentRaw();
    const after = edit([...before]);
    if (after.length === before.length && after.every((n, i) => n === before[i])) return;
    await writeRecent(after);
  }

  const sameName = (a: string, b: string): boolean => a === b;

  async function listInner(): Promise<ProfileSummary[]> {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (err) {
      throw ioError(`Cannot list profiles in ${dir}`, err);
    }
    const out: ProfileSummary[] = [];
    for (const file of names) {
      if (!file.endsWith(PROFILE_FILE_EXT) || isTempFileName(file)) continue;
      const name = file.slice(0, -PROFILE_FILE_EXT.length);
      if (profileNameProblem(name) !== undefined) continue;
      try {
        out.push(summary(await readProfile(name)));
      } catch (err) {
        if (err instanceof ProfileError && err.code === 'not-found') continue;
        // Listed so that the user can see it and delete or fix it; load() gives the reason.
        const mtime = await fsp
          .stat(path.join(dir, file))
          .then((s) => s.mtime.toISOString())
          .catch(() => '');
        out.push({ name, legCount: 0, updatedAt: mtime, problem: err instanceof Error ? err.message : String(err) });
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  return {
    profilesDir: dir,

    list: () =>
      serial(async () => {
        await ensureDir();
        return listInner();
      }),

    load: (name) =>
      serial(async () => {
        checkName(name);
        await ensureDir();
        const p = await readProfile(name);
        await updateRecent((l) => [name, ...l.filter((n) => !sameName(n, name))]).catch(() => undefined);
        return p;
      }),

    read: (name) =>
      serial(async () => {
        checkName(name);
        await ensureDir();
        return readProfile(name);
      }),

    save: (input) =>
      serial(async () => {
        const v = validateProfile(input);
        if (!v.ok) throw new ProfileError('invalid', v.error);
        await ensureDir();
        const p: Profile = { ...v.value, updatedAt: now().toISOString() };
        await writeProfile(p);
        await updateRecent((l) => [p.name, ...l.filter((n) => !sameName(n, p.name))]).catch(() => undefined);
        return summary(p);
      }),

    rename: (from, to) =>
      serial(async () => {
        checkName(from, 'from');
        checkName(to, 'to');
        await ensureDir();
        const p = await readProfile(from);
        if (from === to) return summary(p);
        // Case-only renames are fine on case-insensitive file systems (same file).
        if (from.toLowerCase() !== to.toLowerCase() && (await exists(to))) {
          throw new ProfileError('exists', `A profile named "${to}" already exists.`);
        }
        const renamed: Profile = { ...p, name: to, updatedAt: now().toISOString() };
        // Write the new file first, then remove the old one: a crash in between
        // leaves two copies, never none.
        await writeProfile(renamed);
        if (from.toLowerCase() !== to.toLowerCase()) {
          await fsp.unlink(fileOf(from)).catch((err: unknown) => {
            if (errnoCode(err) !== 'ENOENT') throw ioError(`Cannot remove the old profile file "${from}"`, err);
          });
        } else {
          // Same file on a case-insensitive FS; on a case-sensitive FS the old one remains.
          const files = await fsp.readdir(dir);
          if (files.includes(from + PROFILE_FILE_EXT) && files.includes(to + PROFILE_FILE_EXT)) await fsp.unlink(fileOf(from)).catch(() => undefined);
        }
        await updateRecent((l) => l.map((n) => (sameName(n, from) ? to : n)).filter((n, i, a) => a.indexOf(n) === i)).catch(() => undefined);
        return summary(renamed);
      }),

    delete: (name) =>
      serial(async () => {
        checkName(name);
        await ensureDir();
        try {
          await fsp.unlink(fileOf(name));
        } catch (err) {
          if (errnoCode(err) === 'ENOENT') throw new ProfileError('not-found', `There is no profile named "${name}".`);
          throw ioError(`Cannot delete profile "${name}"`, err);
        }
        await updateRecent((l) => l.filter((n) => !sameName(n, name))).catch(() => undefined);
      }),

    recent: () =>
      serial(async () => {
        await ensureDir();
        const list = await readRecentRaw();
        const present: string[] = [];
        for (const n of list) if (await exists(n)) present.push(n);
        return present;
      }),

    exportJson: (name, options) =>
      serial(async () => {
        checkName(name);
        await ensureDir();
        const p = await readProfile(name);
        const legs = exportLegs(p.legs, { includeKeys: options.includeKeys === true });
        if (!legs.ok) throw new ProfileError('invalid', `Profile "${name}" is not valid: ${legs.error}`);
        return { fileName: `${name}.vxbridge.json`, json: serializeProfile({ ...p, legs: legs.value.legs }) };
      }),

    importJson: (text) =>
      serial(async () => {
        const parsed = parseProfileJson(text);
        if (!parsed.ok) throw new ProfileError('invalid', `The file is not a valid vxbridge profile: ${parsed.error}`);
        await ensureDir();
        let name = parsed.value.name;
        for (let n = 2; await exists(name); n++) {
          const suffix = ` (${n})`;
          name = parsed.value.name.slice(0, PROFILE_NAME_MAX - suffix.length).trimEnd() + suffix;
          if (n > 999) throw new ProfileError('exists', `Too many profiles named like "${parsed.value.name}".`);
        }
        // An imported profile never arms auto-start: a file from elsewhere must not
        // start bridging on the next launch; the user turns it on after looking at it.
        const { autoStart: _dropped, ...imported } = parsed.value;
        const p: Profile = { ...imported, name, updatedAt: now().toISOString() };
        await writeProfile(p);
        await updateRecent((l) => [p.name, ...l.filter((x) => !sameName(x, p.name))]).catch(() => undefined);
        return summary(p);
      }),

    autoStartProfile: () =>
      serial(async () => {
        try {
          await ensureDir();
          for (const name of await readRecentRaw()) {
            if (!(await exists(name))) continue;
            const p = await readProfile(name);
            return p.autoStart === true ? p : null;
          }
        } catch {
          // a broken last profile must not keep the app from starting
        }
        return null;
      }),
  };
}
