// `ubdg ui [--port N] [--host ADDR] [--no-open] [--data-dir DIR]`: serves the
// desktop app's renderer to a browser on 127.0.0.1, backed by the same IPC
// handlers (electron/backend) over a WebSocket, until SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend } from '../backend/backend.js';
import { DEFAULT_UI_HOST, isLoopbackHost, startBrowserHost } from '../backend/browser-host.js';
import type { Io } from './io.js';
import { defaultDataDir, findAppRoot, readAppVersion, rendererDir } from '../backend/app-paths.js';

export const UI_USAGE = `Usage: ubdg ui [--port N] [--host ADDR] [--no-open] [--data-dir DIR]
Serves the vxbridge UI to a browser on http://127.0.0.1:PORT until Ctrl-C.
The printed URL (http://127.0.0.1:PORT/pair/...) works ONCE: it signs one browser in
(a session cookie). For another browser, or after the cookie is gone, send SIGUSR1
(kill -USR1 PID) and open the new URL it prints, or restart ubdg ui.
  --port N        TCP port (default: any free port)
  --host ADDR     address to listen on (default 127.0.0.1; anything else is reachable
                  from other machines: prefer ssh -L PORT:127.0.0.1:PORT)
  --no-open       do not open a browser
  --data-dir DIR  profiles folder root (default: the desktop app's, or $VXBRIDGE_DATA_DIR)`;

export interface UiArgs {
  readonly port: number;
  readonly host: string;
  readonly open: boolean;
  readonly dataDir?: string;
  readonly help: boolean;
}

export function parseUiArgs(argv: readonly string[]): { ok: true; args: UiArgs } | { ok: false; error: string } {
  let port = 0;
  let host = DEFAULT_UI_HOST;
  let open = true;
  let help = false;
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] ?? '';
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const value = (): string | undefined => (eq > 0 ? raw.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case '--port': {
        const v = value();
        if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535) return { ok: false, error: `--port: expected a port number 0..65535, got ${JSON.stringify(v ?? '')}` };
        port = Number(v);
        break;
      }
      case '--host': {
        const v = value();
        if (v === undefined || v === '' || !/^[0-9A-Za-z.:_%-]+$/.test(v)) return { ok: false, error: `--host: expected an address, got ${JSON.stringify(v ?? '')}` };
        host = v;
        break;
      }
      case '--data-dir': {
        const v = value();
        if (v === undefined || v === '') return { ok: false, error: '--data-dir: expected a folder' };
        dataDir = v;
        break;
      }
      case '--no-open':
        open = false;
        break;
      case '-h':
      case '--help':
        help = true;
        break;
      default:
        return { ok: false, error: `unknown option ${JSON.stringify(raw)} for "ubdg ui"` };
    }
  }
  return { ok: true, args: { port, host, open, help, ...(dataDir !== undefined ? { dataDir } : {}) } };
}

export interface UiDeps {
  readonly rendererDir: string;
  readonly makeBackend: (dataDir: string) => Promise<Backend>;
  /** Opens a browser on the one-time pairing URL; says whether it did, and why not. */
  readonly openBrowser: (url: string) => OpenResult | void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); tests resolve it themselves. */
  readonly untilStopped: () => Promise<string>;
  /** Called once the server listens (tests use it to find the URL). */
  readonly onListening?: (url: string) => void;
  /** Calls the listener when a new pairing URL is asked for (SIGUSR1); returns an unsubscribe. */
  readonly onPairRequest?: (listener: () => void) => () => void;
}

export interface OpenResult {
  readonly opened: boolean;
  /** Why no browser was opened. */
  readonly reason?: string;
  /** The redirect file and its folder: removed by cleanup(). */
  readonly file?: string;
  cleanup?(): void;
}

export interface OpenEnv {
  readonly platform: NodeJS.Platform;
  /** process.getuid(), or undefined where there is none (Windows). */
  readonly uid: number | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly tmpdir: string;
  readonly spawn: (cmd: string, args: readonly string[], options: { uid?: number; gid?: number }) => void;
  readonly chown: (file: string, uid: number, gid: number) => void;
}

function defaultSpawn(cmd: string, args: readonly string[], options: { uid?: number; gid?: number }): void {
  try {
    const child = spawn(cmd, [...args], { stdio: 'ignore', detached: true, ...options });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here (headless server): the printed URL is enough
  }
}

export const nodeOpenEnv = (): OpenEnv => ({
  platform: process.platform,
  uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  env: process.env,
  tmpdir: os.tmpdir(),
  spawn: defaultSpawn,
  chown: (f, uid, gid) => fs.chownSync(f, uid, gid),
});

function htmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Opens a browser on `url` without putting the URL (its one-time token) on any
 * command line, where other users could read it (ps, /proc/PID/cmdline): writes
 * a 0600 HTML file in a fresh 0700 folder that redirects to the URL (as Jupyter
 * does) and opens the file. As root, no browser is started as root: with
 * SUDO_USER (and SUDO_UID/SUDO_GID) it is opened as that user (runuser), with
 * the file handed to that user; otherwise nothing is opened and the reason is
 * returned for the caller to print. Best effort.
 */
export function openBrowser(url: string, e: OpenEnv = nodeOpenEnv()): OpenResult {
  let asUser: { name?: string; uid: number; gid: number } | undefined;
  if (e.uid === 0) {
    const name = e.env.SUDO_USER;
    const uid = Number(e.env.SUDO_UID);
    const gid = Number(e.env.SUDO_GID ?? e.env.SUDO_UID);
    const nameOk = name !== undefined && /^[a-z_][a-z0-9_.-]*\$?$/i.test(name) && name !== 'root';
    if (!nameOk && !(Number.isSafeInteger(uid) && uid > 0)) {
      return { opened: false, reason: 'running as root without SUDO_USER: a browser is never started as root. Open the URL above as your own user.' };
    }
    if (!Number.isSafeInteger(uid) || uid <= 0 || !Number.isSafeInteger(gid) || gid < 0) {
      return { opened: false, reason: `running as root (sudo by ${name ?? '?'}) without a usable SUDO_UID/SUDO_GID: no browser started. Open the URL above as your own user.` };
    }
    asUser = { ...(nameOk ? { name } : {}), uid, gid };
  }
  let dir: string;
  let file: string;
  try {
    dir = fs.mkdtempSync(path.join(e.tmpdir, 'vxbridge-ui-')); // 0700
    fs.chmodSync(dir, 0o700);
    file = path.join(dir, 'open-vxbridge.html');
    const a = htmlAttr(url);
    fs.writeFileSync(
      file,
      `<!doctype html>\n<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${a}"><meta name="referrer" content="no-referrer">` +
        `<title>vxbridge</title></head><body><p>Opening <a href="${a}">the vxbridge UI</a>…</p></body></html>\n`,
      { mode: 0o600, flag: 'wx' },
    );
    fs.chmodSync(file, 0o600);
    if (asUser) {
      e.chown(dir, asUser.uid, asUser.gid);
      e.chown(file, asUser.uid, asUser.gid);
    }
  } catch (err) {
    return { opened: false, reason: `cannot write the browser redirect file: ${err instanceof Error ? err.message : String(err)}` };
  }
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const [cmd, args]: [string, string[]] =
    e.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', file]] : e.platform === 'darwin' ? ['open', [file]] : ['xdg-open', [file]];
  if (asUser?.name !== undefined && e.platform === 'linux') e.spawn('runuser', ['-u', asUser.name, '--', cmd, ...args], {});
  else if (asUser) e.spawn(cmd, args, { uid: asUser.uid, gid: asUser.gid });
  else e.spawn(cmd, args, {});
  return { opened: true, file, cleanup };
}

export function onSigusr1(listener: () => void): () => void {
  process.on('SIGUSR1', listener);
  return () => void process.off('SIGUSR1', listener);
}

export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export async function runUiWith(argv: readonly string[], io: Io, deps: UiDeps): Promise<number> {
  const parsed = parseUiArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`ubdg ui: ${parsed.error}\n${UI_USAGE}\n`);
    return 2;
  }
  const a = parsed.args;
  if (a.help) {
    io.stdout.write(`${UI_USAGE}\n`);
    return 0;
  }
  if (!isLoopbackHost(a.host)) {
    io.stderr.write(
      `ubdg ui: warning: listening on ${a.host}, not on loopback: other machines can reach this UI, which controls network bridging, ` +
        'over plain HTTP protected only by the one-time pairing URL and a session cookie. Prefer the default (127.0.0.1) and an SSH tunnel: ssh -L PORT:127.0.0.1:PORT this-host\n',
    );
  }
  const dataDir = a.dataDir ?? defaultDataDir();
  let backend: Backend;
  try {
    backend = await deps.makeBackend(dataDir);
  } catch (err) {
    io.stderr.write(`ubdg ui: cannot start the backend: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  let host;
  try {
    host = await startBrowserHost({
      backend,
      rendererDir: deps.rendererDir,
      host: a.host,
      port: a.port,
      log: (line) => io.stderr.write(`ubdg ui: ${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `port ${a.port} is already in use (pick another with --port, or 0 for any free port)`
        : code === 'EADDRNOTAVAIL'
          ? `${a.host} is not an address of this machine`
          : err instanceof Error
            ? err.message
            : String(err);
    io.stderr.write(`ubdg ui: cannot listen on ${a.host}:${a.port}: ${why}\n`);
    await backend.dispose();
    return 1;
  }
  const stopped = deps.untilStopped();
  io.stdout.write(`vxbridge UI: ${host.url}\n`);
  io.stderr.write(
    `ubdg ui: the URL above works ONCE: it signs one browser in (a session cookie) and is then spent. ` +
      `For a new one-time URL: kill -USR1 ${process.pid} (or restart ubdg ui). Ctrl-C stops.\n`,
  );
  deps.onListening?.(host.url);
  const unpair = deps.onPairRequest?.(() => {
    const fresh = host.newPairingUrl();
    io.stdout.write(`vxbridge UI: ${fresh}\n`);
    io.stderr.write('ubdg ui: new one-time URL above (the previous unused one no longer works).\n');
    deps.onListening?.(fresh);
  });
  let opened: OpenResult | void = undefined;
  if (a.open) {
    opened = deps.openBrowser(host.url);
    if (opened && !opened.opened) io.stderr.write(`ubdg ui: no browser opened: ${opened.reason ?? 'unknown reason'}\n`);
  }

  const auto = await backend.autoStart().catch(() => null);
  if (auto)
    io.stderr.write(
      auto.result.ok ? `ubdg ui: started profile "${auto.profile}" (auto-start)\n` : `ubdg ui: auto-start of profile "${auto.profile}" failed: ${auto.result.error}\n`,
    );

  const signal = await stopped;
  unpair?.();
  io.stderr.write(`ubdg ui: ${signal}: stopping\n`);
  await backend.dispose();
  await host.close();
  try {
    opened?.cleanup?.();
  } catch {
    // best effort
  }
  io.stderr.write('ubdg ui: stopped (bridge stopped, server closed).\n');
  return 0;
}

/** The entry point `ubdg ui ...` dispatches to. */
export async function runUi(argv: readonly string[], io: Io): Promise<number> {
  const root = findAppRoot(import.meta.url);
  return runUiWith(argv, io, {
    rendererDir: rendererDir(root),
    makeBackend: async (dataDir) => {
      const { createRealBackend } = await import('../backend/real-backend.js');
      const { nodeDataPlaneLauncher } = await import('../backend/data-plane/node-launcher.js');
      return createRealBackend({
        host: 'browser',
        version: readAppVersion(root),
        dataDir,
        dataPlane: nodeDataPlaneLauncher(),
        log: (l) => io.stderr.write(`ubdg ui: ${l}\n`),
      });
    },
    openBrowser: (url) => openBrowser(url),
    untilStopped: untilSignal,
    onPairRequest: onSigusr1,
  });
}
