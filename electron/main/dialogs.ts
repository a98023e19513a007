// Native file dialogs for profile export/import (Electron only).

import { app, dialog, type BrowserWindow } from 'electron';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { FileDialogs } from '../backend/backend.js';
import { writeFileAtomic } from '../backend/profiles/atomic-write.js';
import { PROFILE_FILE_MAX_BYTES } from '../model/profile-schema.js';
import { ProfileError } from '../backend/profiles/profile-store.js';

const FILTERS = [
  { name: 'vxbridge profile', extensions: ['json'] },
  { name: 'All files', extensions: ['*'] },
];

export function electronDialogs(window: () => BrowserWindow | null): FileDialogs {
  return {
    async exportProfile(suggestedFileName, json) {
      const win = window();
      const options = { title: 'Export profile', defaultPath: path.join(app.getPath('documents'), suggestedFileName), filters: FILTERS };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      if (r.canceled || !r.filePath) return null;
      await writeFileAtomic(r.filePath, json, { mode: 0o600 });
      return r.filePath;
    },
    async importProfile() {
      const win = window();
      const options = { title: 'Import profile', properties: ['openFile' as const], filters: FILTERS };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      const file = r.filePaths[0];
      if (r.canceled || file === undefined) return null;
      const st = await fsp.stat(file);
      if (st.size > PROFILE_FILE_MAX_BYTES)
        throw new ProfileError('invalid', `${path.basename(file)} is larger than ${PROFILE_FILE_MAX_BYTES / 1024} KiB: not a vxbridge profile.`);
      return fsp.readFile(file, 'utf8');
    },
  };
}
