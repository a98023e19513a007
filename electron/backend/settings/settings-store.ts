// The app's settings in <dataDir>/settings.json (model/settings.ts), shared by
// the desktop app and `ubdg ui`. Read on every use, so that a change made in
// one shows in the other. A missing file is the defaults; a file that cannot be
// used is the defaults too, with the reason, never a failure: a bad settings
// file must not keep anyone from starting a bridge. Writes are atomic.

import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { FixableError } from '../../model/user-error.js';
import { DEFAULT_SETTINGS, SETTINGS_FILE_MAX_BYTES, SETTINGS_FILE_NAME, parseSettingsFile, serializeSettings, type AppSettings, type SettingsRead } from '../../model/settings.js';
import { createSerial } from '../serial.js';
import { writeFileAtomic, type AtomicFs } from '../profiles/atomic-write.js';

export interface SettingsStore {
  /** The file, shown to the user. */
  readonly file: string;
  /** Never throws: the defaults and the reason when the file cannot be used. */
  read(): Promise<SettingsRead>;
  /** Throws a FixableError when the file cannot be written. */
  write(settings: AppSettings): Promise<void>;
}

export interface SettingsStoreOptions {
  readonly dataDir: string;
  /** Test seam for crash simulation. */
  readonly fs?: AtomicFs;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const file = path.join(options.dataDir, SETTINGS_FILE_NAME);
  const serial = createSerial();

  async function readNow(): Promise<SettingsRead> {
    let text: string;
    try {
      const st = await fsp.stat(file);
      if (st.size > SETTINGS_FILE_MAX_BYTES) return unusable(`larger than ${SETTINGS_FILE_MAX_BYTES / 1024} KiB`);
      text = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS };
      return unusable(`cannot be read (${message(err)})`);
    }
    const r = parseSettingsFile(text);
    return r.problem === undefined ? r : unusable(r.problem, r.settings);
  }

  function unusable(why: string, settings: AppSettings = DEFAULT_SETTINGS): SettingsRead {
    return { settings, problem: `The settings file ${file} was not used: ${why}. The defaults apply until the settings are saved again.` };
  }

  return {
    file,
    read: () => serial(readNow),
    write: (settings) =>
      serial(async () => {
        try {
          await fsp.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
          await writeFileAtomic(file, serializeSettings(settings), options.fs ? { fs: options.fs } : {});
        } catch (err) {
          throw new FixableError(`Cannot save the settings to ${file}: ${message(err)}`, 'check that the folder exists and that you may write to it.');
        }
      }),
  };
}

/** Settings kept in memory only (tests; a backend without a data folder). */
export function memorySettingsStore(initial: AppSettings = DEFAULT_SETTINGS): SettingsStore & { current: AppSettings } {
  const store = {
    file: '(in memory)',
    current: initial,
    read: async (): Promise<SettingsRead> => ({ settings: store.current }),
    write: async (s: AppSettings): Promise<void> => {
      store.current = s;
    },
  };
  return store;
}
