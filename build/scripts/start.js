#!/usr/bin/env node
// `npm start`: builds if needed, then opens the Electron app. Where the Electron
// binary is missing (its npm install step downloads it from GitHub, which some
// machines cannot reach), says so and serves the same UI to the browser
// instead (`ubdg ui`). Arguments after `--` go to `ubdg ui` in that case.
//   npm start                 desktop window, or the browser UI as a fallback
//   npm start -- --browser    browser UI even where Electron exists
//   npm start -- --no-build   skip the build step

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const forceBrowser = argv.includes('--browser');
const noBuild = argv.includes('--no-build');
const passThrough = argv.filter((a) => a !== '--browser' && a !== '--no-build');
const say = (line) => process.stderr.write(`vxbridge: ${line}\n`);

const OUTPUTS = ['dist/electron/main/main.js', 'dist/electron/preload/preload.cjs', 'dist/electron/cli/ui-command.js', 'dist/renderer/index.html'];
const SOURCES = ['electron', 'native', 'renderer'];

/** Newest mtime under the source folders (tests excluded). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const s of SOURCES) walk(path.join(root, s));
  return newest;
}

function buildIfNeeded() {
  if (noBuild) return;
  const stamps = OUTPUTS.map((f) => {
    try {
      return fs.statSync(path.join(root, f)).mtimeMs;
    } catch {
      return -1;
    }
  });
  if (Math.min(...stamps) >= newestSource()) return;
  say('building (npm run build)...');
  const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    say('the build failed; see above.');
    process.exit(r.status ?? 1);
  }
}

/** The Electron executable, found the way the electron package finds it but
 *  without calling require('electron'): in Electron 45 that starts a download
 *  when the binary is missing, which hangs or fails on an offline machine. */
function findElectron() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the "electron" npm package is not installed (run npm install).' };
  }
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const pathTxt = path.join(pkgDir, 'path.txt');
  const exeName = fs.existsSync(pathTxt)
    ? fs.readFileSync(pathTxt, 'utf8').trim()
    : ({ win32: 'electron.exe', darwin: 'Electron.app/Contents/MacOS/Electron' }[process.platform] ?? 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const exe = override ? path.join(override, exeName) : path.join(pkgDir, 'dist', exeName);
  if (fs.existsSync(exe)) return { exe, version };
  const why = override
    ? `ELECTRON_OVERRIDE_DIST_PATH is set, but ${exe} does not exist.`
    : `${path.relative(root, path.join(pkgDir, 'dist'))} holds no Electron ${version} binary: the electron package downloads it from GitHub when it is installed, and that download did not happen on this machine (offline, blocked, or install scripts disabled).`;
  return { missing: why, version };
}

async function browserUi(reason) {
  if (reason) say(reason);
  say('serving the same UI to your browser instead (ubdg ui); Ctrl-C stops.');
  const { runUi } = await import(pathToFileURL(path.join(root, 'dist/electron/cli/ui-command.js')).href);
  process.exitCode = await runUi(passThrough, { stdout: process.stdout, stderr: process.stderr });
}

buildIfNeeded();

if (forceBrowser) {
  await browserUi('--browser given.');
} else {
  const electron = findElectron();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (electron.missing) {
    await browserUi(
      `Electron is not installed here: ${electron.missing}\n` +
        'vxbridge: to get the desktop window, install the binary on a machine with internet access (npx install-electron, or delete node_modules/electron and npm install),\n' +
        `vxbridge: or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron ${electron.version ?? ''} folder.`,
    );
  } else if (process.platform === 'linux' && isRoot) {
    // Chromium refuses to run as root unless its sandbox is turned off, which vxbridge does not do.
    await browserUi('running as root: Electron (Chromium) will not start as root with its sandbox on, and vxbridge keeps the sandbox on.');
  } else if (noDisplay) {
    await browserUi('no graphical display (DISPLAY / WAYLAND_DISPLAY unset).');
  } else {
    say(`starting Electron ${electron.version}`);
    const child = spawn(electron.exe, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
    child.on('error', async (err) => {
      await browserUi(`Electron could not be started (${err.message}).`);
    });
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal ? 1 : 0);
    });
  }
}
