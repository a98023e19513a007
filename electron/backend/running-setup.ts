// What runs, as the user set it up: the legs as typed, the profile it came from
// (or was saved as while running) and when it started. The backend is its one
// owner, so that any page that (re)connects shows exactly what runs, not what
// that page happened to remember. Whether the setup has unsaved changes is
// decided when asked, against the profile as stored then (it may have been
// saved, renamed or deleted since). Which data plane runs is asked then too:
// the record keeps what Start asked for, the bridge says what it got.

import type { RunningSetup } from '../contract/ipc-contract.js';
import type { DataPlaneOutcome } from '../model/data-plane.js';
import type { DataPlaneSelection } from './data-plane/data-plane-env.js';
import type { ProfileStore } from './profiles/profile-store.js';

export interface SetupRecord {
  readonly legs: readonly string[];
  readonly profile: string | null;
  readonly startedAt: number;
  /** The data plane Start asked for, and by whom; null when not known (tests). */
  readonly dataPlane: DataPlaneSelection | null;
}

export interface RunningSetupKeeper {
  /** A bridge started with these legs (as typed) from this profile (null: unsaved), on this data plane choice. */
  started(legs: readonly string[], profile: string | null, now?: number, dataPlane?: DataPlaneSelection | null): void;
  /** A profile was saved with these legs: if they are what runs, the setup is now that profile. */
  saved(name: string, legs: readonly string[]): void;
  renamed(from: string, to: string): void;
  /** Nothing runs any more. */
  clear(): void;
  /** The record, whether or not a bridge still runs (the caller knows that). */
  record(): SetupRecord | null;
  /** The record with its profile as stored now; the profile is null once it is gone or unreadable.
   *  `outcome`: which data plane the running bridge got (the bridge runner knows), if it can tell. */
  describe(profiles: Pick<ProfileStore, 'read'>, outcome?: DataPlaneOutcome | null): Promise<RunningSetup | null>;
}

export const sameLegs = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((l, i) => l === b[i]);

export function createRunningSetup(): RunningSetupKeeper {
  let current: SetupRecord | null = null;

  return {
    started(legs, profile, now = Date.now(), dataPlane = null) {
      current = { legs: [...legs], profile, startedAt: now, dataPlane };
    },

    saved(name, legs) {
      if (current && sameLegs(current.legs, legs)) current = { ...current, profile: name };
    },

    renamed(from, to) {
      if (current?.profile === from) current = { ...current, profile: to };
    },

    clear() {
      current = null;
    },

    record: () => current,

    async describe(profiles, outcome = null) {
      const r = current;
      if (!r) return null;
      let profile: RunningSetup['profile'] = null;
      if (r.profile !== null) {
        try {
          const p = await profiles.read(r.profile);
          profile = { name: p.name, legs: [...p.legs], autoStart: p.autoStart === true };
        } catch {
          profile = null; // deleted or unreadable since: the setup is unsaved now
        }
      }
      const dataPlane = r.dataPlane && outcome ? { ...r.dataPlane, ...outcome } : undefined;
      return { legs: [...r.legs], profile, startedAt: r.startedAt, ...(dataPlane ? { dataPlane } : {}) };
    },
  };
}
