// Electron main process: one hardened window, IPC through the shared backend;
// each bridge runs in a supervised utility process (utility-data-plane.ts), so
// a crash of the data plane never closes the window.
// The page is served from app://vxbridge/ (a privileged custom scheme, see
// security.ts), never from file://.
// Everything that can be tested without Electron lives in electron/backend and
// in security.ts / ipc-main.ts / trusted-sender.ts; this file only wires.

import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell, type IpcMainInvokeEvent, type MessageBoxOptions } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../backend/backend.js';
import { createRealBackend } from '../backend/real-backend.js';
import { DATA_DIR_ENV, rendererDir } from '../backend/app-paths.js';
import { writeFileAtomic } from '../backend/profiles/atomic-write.js';
import { electronDialogs } from './dialogs.js';
import { utilityDataPlaneLauncher } from './utility-data-plane.js';
import { forwardPushes, registerIpcHandlers } from './ipc-main.js';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, hardenSession, hardenWebContents, isAllowedExternalLink, secureWebPreferences } from './security.js';
import { isTrustedSender } from './trusted-sender.js';

const log = (line: string): void => console.error(`vxbridge: ${line}`);

// Before anything else: one instance only (two would fight over sockets and capture).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  run();
}

function run(): void {
  // Must happen before 'ready'.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
  const devTools = !app.isPackaged;
  // Environment overrides are for development only: a packaged app loads its own files.
  const rendererRoot = rendererDir(app.getAppPath(), app.isPackaged ? {} : process.env);
  const rendererIndex = path.join(rendererRoot, 'index.html');
  const preload = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
  const dataDir = process.env[DATA_DIR_ENV] ? path.resolve(process.env[DATA_DIR_ENV]) : app.getPath('userData');

  let win: BrowserWindow | null = null;
  const backend: Backend = createRealBackend({
    host: 'electron',
    version: app.getVersion(),
    dataDir,
    dataPlane: utilityDataPlaneLauncher(),
    dialogs: electronDialogs(() => win),
    log,
  });

  const isTrusted = (event: IpcMainInvokeEvent): boolean =>
    isTrustedSender(
      {
        frameUrl: event.senderFrame?.url,
        isMainFrame: event.senderFrame !== null && event.senderFrame.parent === null,
        isAppWindow: win !== null && !win.isDestroyed() && event.sender === win.webContents,
      },
      APP_INDEX_URL,
    );
  registerIpcHandlers(ipcMain, backend, isTrusted, log);
  forwardPushes(backend, () => (win && !win.isDestroyed() ? win.webContents : null));

  const openExternal = (url: string): void => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
  };
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, openExternal, log));

  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  let disposed = false;
  let disposing = false;
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    if (disposing) return;
    disposing = true;
    void backend.dispose().finally(() => {
      disposed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.quit());

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, devTools, log);
    session.defaultSession.protocol.handle(
      APP_SCHEME,
      appProtocolHandler(rendererRoot, (f) => fs.promises.readFile(f), log),
    );
    if (!fs.existsSync(rendererIndex)) {
      dialog.showErrorBox('vxbridge', `The UI is not built: ${rendererIndex} is missing. Run "npm run build".`);
      app.quit();
      return;
    }
    win = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 900,
      minHeight: 600,
      title: 'vxbridge',
      show: false,
      webPreferences: secureWebPreferences(preload, devTools),
    });
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => {
      win = null;
    });
    await win.loadURL(APP_INDEX_URL);
    await npcapNotice(backend, dataDir);
    const auto = await backend.autoStart().catch(() => null);
    if (auto && !auto.result.ok) log(`auto-start of "${auto.profile}" failed: ${auto.result.error}`);
  });

  /** Windows: say once, with the download link, that Npcap is missing (the UI also shows it). */
  async function npcapNotice(b: Backend, dir: string): Promise<void> {
    if (process.platform !== 'win32') return;
    const info = await b.handlers['app:info']();
    const problem = info.ok ? info.value.captureProblem : undefined;
    if (!problem || !/npcap/i.test(problem)) return;
    const marker = path.join(dir, 'npcap-notice-dismissed');
    if (fs.existsSync(marker)) return;
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'vxbridge: Npcap needed',
      message: 'Npcap is needed to bridge network adapters',
      detail: problem,
      buttons: ['Open the Npcap download page', 'Later'],
      defaultId: 0,
      cancelId: 1,
      checkboxLabel: 'Do not show this again',
    };
    const r = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
    if (r.response === 0) void shell.openExternal('https://npcap.com/#download');
    if (r.checkboxChecked) await writeFileAtomic(marker, `${new Date().toISOString()}\n`).catch(() => undefined);
  }
}
