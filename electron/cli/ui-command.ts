// `ubdg ui [--port N] [--host ADDR] [--no-open] [--data-dir DIR]`: serves the
// desktop app's renderer to a browser on 127.0.0.1, backed by the same IPC
// handlers (electron/backend) over a WebSocket, until SIGINT/SIGTERM.

import { spawn } from 'node:child_process';
import type { Backend } from '../backend/backend.js';
import { DEFAULT_UI_HOST, isLoopbackHost, startBrowserHost } from '../backend/browser-host.js';
import type { Io } from './io.js';
import { defaultDataDir, findAppRoot, readAppVersion, rendererDir } from '../backend/app-paths.js';

export const UI_USAGE = `Usage: ubdg ui [--port N] [--host ADDR] [--no-open] [--data-dir DIR]
Serves the vxbridge UI to a browser at http://127.0.0.1:PORT/?token=... until Ctrl-C.
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
  readonly openBrowser: (url: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); tests resolve it themselves. */
  readonly untilStopped: () => Promise<string>;
  /** Called once the server listens (tests use it to find the URL). */
  readonly onListening?: (url: string) => void;
}

/** Best effort: xdg-open / open / the Windows URL handler; failures are ignored. */
export function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here (headless server): the printed URL is enough
  }
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
        'over plain HTTP protected only by the token. Prefer the default (127.0.0.1) and an SSH tunnel: ssh -L PORT:127.0.0.1:PORT this-host\n',
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
  io.stderr.write('ubdg ui: open the URL above in a browser (the token in it is the password for this run); Ctrl-C stops.\n');
  deps.onListening?.(host.url);
  if (a.open) deps.openBrowser(host.url);

  const auto = await backend.autoStart().catch(() => null);
  if (auto)
    io.stderr.write(
      auto.result.ok ? `ubdg ui: started profile "${auto.profile}" (auto-start)\n` : `ubdg ui: auto-start of profile "${auto.profile}" failed: ${auto.result.error}\n`,
    );

  const signal = await stopped;
  io.stderr.write(`ubdg ui: ${signal}: stopping\n`);
  await backend.dispose();
  await host.close();
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
    openBrowser,
    untilStopped: untilSignal,
  });
}
