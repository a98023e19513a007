// The app's settings as the host keeps them (settings.json in its data folder):
// loaded on every (re)connect, saved from the Settings dialog. The host owns
// them; this store only mirrors its answer.

import { create } from 'zustand';
import type { AppSettings, SettingsView } from '../../../electron/contract/ipc-contract.js';
import { api } from './connection-store.js';
import { notify } from './notice-store.js';

export interface SettingsStore {
  view: SettingsView | null;
  /** Why the last load or save failed; null after a success. */
  error: string | null;
  saving: boolean;
  /** Whether the Settings dialog is open (the header's button and the data-plane badge open it). */
  dialogOpen: boolean;
  openDialog(): void;
  closeDialog(): void;
  load(): Promise<void>;
  /** Whether the host saved them. */
  save(settings: AppSettings): Promise<boolean>;
}

const INITIAL = { view: null, error: null, saving: false, dialogOpen: false };

/** The settings-file problem already shown as a notice: once per problem, not on every reconnect. */
let announced: string | undefined;

export const useSettings = create<SettingsStore>()((set) => ({
  ...INITIAL,

  openDialog: () => set({ dialogOpen: true }),
  closeDialog: () => set({ dialogOpen: false }),

  async load() {
    const r = await api().getSettings();
    if (!r.ok) {
      set({ error: r.error });
      return;
    }
    set({ view: r.value, error: null });
    const problem = r.value.problem;
    if (problem !== undefined && problem !== announced) notify('error', `${problem} (see Settings)`);
    announced = problem;
  },

  async save(settings) {
    set({ saving: true });
    const r = await api().saveSettings(settings);
    set(r.ok ? { view: r.value, error: null, saving: false } : { error: r.error, saving: false });
    if (r.ok) announced = r.value.problem;
    return r.ok;
  },
}));

export function resetSettings(): void {
  announced = undefined;
  useSettings.setState({ ...INITIAL });
}
