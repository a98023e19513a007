// Saved setups: list, recent, the one loaded now, and the operations on them.
// Loading puts the profile's legs into the draft store; saving takes them from it.

import { create } from 'zustand';
import type { ExportOptions, Profile, ProfileSummary, RunningSetup } from '../../../electron/contract/ipc-contract.js';
import { api, useConnection } from './connection-store.js';
import { startableLegs, useDrafts } from './draft-store.js';

export interface ProfileStore {
  list: readonly ProfileSummary[];
  recent: readonly string[];
  /** Name of the profile the editor holds, null for an unsaved setup. */
  current: string | null;
  autoStart: boolean;
  /** Leg strings as last saved or loaded, to tell whether the editor has changes. */
  savedLegs: readonly string[] | null;
  busy: boolean;
  error: string | null;
  refresh(): Promise<void>;
  load(name: string): Promise<boolean>;
  /** Saves under `name` (Save as; an existing name needs `overwrite`), default the current name. */
  save(name?: string, overwrite?: boolean): Promise<boolean>;
  rename(from: string, to: string): Promise<boolean>;
  remove(name: string): Promise<boolean>;
  /** Writes the profile to a file; typed keys only with `includeKeys` (else `*env:VXBRIDGE_KEY`). The path or file name, or null. */
  exportProfile(name: string, options: ExportOptions): Promise<string | null>;
  importProfile(jsonText: string | null): Promise<string | null>;
  setAutoStart(on: boolean): void;
  /** The profile of what runs, as the backend says (null: an unsaved setup); the legs are the draft store's job. */
  adoptRunning(profile: RunningSetup['profile']): void;
  newSetup(): void;
  clearError(): void;
}

const INITIAL = {
  list: [] as readonly ProfileSummary[],
  recent: [] as readonly string[],
  current: null,
  autoStart: false,
  savedLegs: null,
  busy: false,
  error: null,
};

/** Profile names become file names on the host; keep them simple and say so early. */
/** Whether exporting `name` should ask about keys: a leg of the saved profile holds a typed key. */
export function profileHasLiteralKeys(list: readonly ProfileSummary[], name: string): boolean {
  return list.some((p) => p.name === name && p.literalKeys === true);
}

export function profileNameProblem(name: string, existing: readonly ProfileSummary[] = [], except?: string): string | null {
  const n = name.trim();
  if (n === '') return 'Give the profile a name.';
  if (n.length > 64) return 'A profile name has at most 64 characters.';
  if (/[\\/:*?"<>|\p{Cc}]/u.test(n)) return 'A profile name cannot contain \\ / : * ? " < > |';
  if (n.startsWith('.')) return 'A profile name cannot start with a dot.';
  if (existing.some((p) => p.name.toLowerCase() === n.toLowerCase() && p.name !== except)) return `A profile named “${n}” already exists.`;
  return null;
}

export const useProfiles = create<ProfileStore>()((set, get) => {
  async function run<T>(f: () => Promise<{ ok: true; value: T } | { ok: false; error: string }>): Promise<T | undefined> {
    set({ busy: true, error: null });
    const r = await f();
    set({ busy: false, ...(r.ok ? {} : { error: r.error }) });
    return r.ok ? r.value : undefined;
  }

  return {
    ...INITIAL,

    async refresh() {
      const [list, recent] = await Promise.all([api().listProfiles(), api().recentProfiles()]);
      set({
        ...(list.ok ? { list: [...list.value].sort((a, b) => a.name.localeCompare(b.name)) } : { error: list.error }),
        ...(recent.ok ? { recent: recent.value } : {}),
      });
    },

    async load(name) {
      const p = await run(() => api().loadProfile(name));
      if (!p) return false;
      useDrafts.getState().replaceAll(p.legs);
      set({ current: p.name, autoStart: p.autoStart === true, savedLegs: [...p.legs] });
      void get().refresh();
      return true;
    },

    async save(name, overwrite = false) {
      const target = (name ?? get().current ?? '').trim();
      const others = name === undefined || overwrite ? [] : get().list;
      const problem = profileNameProblem(target, others);
      if (problem) {
        set({ error: problem });
        return false;
      }
      const legs = startableLegs(useDrafts.getState().legs);
      if (!legs.ok) {
        set({ error: `Cannot save: ${legs.reason}` });
        return false;
      }
      const profile: Profile = { version: 1, name: target, legs: legs.legs, autoStart: get().autoStart, updatedAt: new Date().toISOString() };
      const saved = await run(() => api().saveProfile(profile));
      if (!saved) return false;
      set({ current: saved.name, savedLegs: legs.legs });
      await get().refresh();
      return true;
    },

    async rename(from, to) {
      const problem = profileNameProblem(to, get().list, from);
      if (problem) {
        set({ error: problem });
        return false;
      }
      const s = await run(() => api().renameProfile(from, to.trim()));
      if (!s) return false;
      if (get().current === from) set({ current: s.name });
      await get().refresh();
      return true;
    },

    async remove(name) {
      const r = await run(() => api().deleteProfile(name));
      if (r === undefined) return false;
      if (get().current === name) set({ current: null, savedLegs: null });
      await get().refresh();
      return true;
    },

    async exportProfile(name, options) {
      const opts: ExportOptions = { includeKeys: options.includeKeys === true };
      if (useConnection.getState().host?.kind === 'browser') {
        // No save dialog in a browser: download the JSON ourselves.
        const file = await run(() => api().exportProfileJson(name, opts));
        if (!file) return null;
        downloadText(file.fileName, file.json);
        return file.fileName;
      }
      return (await run(() => api().exportProfile(name, opts))) ?? null;
    },

    async importProfile(jsonText) {
      const s = await run(() => api().importProfile(jsonText));
      if (!s) return null;
      await get().refresh();
      return s.name;
    },

    setAutoStart: (on) => set({ autoStart: on }),

    adoptRunning(profile) {
      set(profile ? { current: profile.name, savedLegs: [...profile.legs], autoStart: profile.autoStart } : { current: null, savedLegs: null, autoStart: false });
    },

    newSetup() {
      useDrafts.getState().replaceAll([]);
      set({ current: null, savedLegs: null, autoStart: false });
    },

    clearError: () => set({ error: null }),
  };
});

function downloadText(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function resetProfiles(): void {
  useProfiles.setState({ ...INITIAL });
}
