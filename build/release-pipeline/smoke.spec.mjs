#!/usr/bin/env node
// Release smoke test: starts the *packaged* app (the installed NSIS build on
// Windows, the installed deb on Linux; see .github/workflows/release.yml) and
// checks, through the Chrome DevTools protocol, that
//   1. the window opens on app://vxbridge/index.html (the privileged scheme, not file://),
//   2. the adapter panel shows the adapter picker or the capture guidance
//      (on Windows without Npcap: the Npcap text),
//   3. IPC round trips work: the header shows "v<package.json version>" (app:info),
//      and window.vxbridge.listProfiles() answers through the preload,
//   4. the renderer is isolated (no require/process) and its CSP refuses inline script.
//
//   node build/release-pipeline/smoke.spec.mjs <packaged executable> [--screenshot FILE]
//
// Why not playwright's `_electron.launch`: it drives the main process through
// Node's inspector (`--inspect=0`), which the EnableNodeCliInspectArguments fuse
// turns off in the packaged app (electron-builder.yml), so it would time out.
// `--remote-debugging-port` is a Chromium switch no fuse touches; connecting to it
// with `chromium.connectOverCDP` reaches the renderer, which is all this needs,
// and the binary under test is exactly the one that ships.

/* global window, document -- the page.evaluate() callbacks below run in the app's page */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** security.ts APP_INDEX_URL (this script runs without the TypeScript sources). */
export const APP_INDEX_URL = 'app://vxbridge/index.html';
const STEP_TIMEOUT_MS = 60_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Starts `executable` with a DevTools port and resolves with the child and the
 * browser's WebSocket endpoint (from Chromium's "DevTools listening on ws://…" line).
 */
export function launchWithDevTools(executable, args, env) {
  const child = spawn(executable, ['--remote-debugging-port=0', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const endpoint = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no DevTools endpoint after ${STEP_TIMEOUT_MS} ms; stderr:\n${stderr}`)), STEP_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the app exited (code ${code}, signal ${signal}) before opening DevTools; stderr:\n${stderr}`));
    });
  });
  child.stdout.on('data', (chunk) => process.stdout.write(chunk));
  return { child, endpoint, stderr: () => stderr };
}

/** The first page whose URL is `url`, polling every context until the deadline. */
export async function waitForPage(browser, url, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pages = browser.contexts().flatMap((c) => c.pages());
    const page = pages.find((p) => p.url() === url);
    if (page) return page;
    if (Date.now() > deadline) throw new Error(`no window on ${url} after ${timeoutMs} ms (pages: ${pages.map((p) => p.url()).join(', ') || 'none'})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Ends the app: SIGTERM on POSIX (the app quits cleanly on it), TerminateProcess on Windows. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function main(argv) {
  const executable = argv[0];
  const shotAt = argv.indexOf('--screenshot');
  const screenshot = shotAt >= 0 ? argv[shotAt + 1] : undefined;
  if (!executable || !fs.existsSync(executable)) {
    console.error(`usage: node build/release-pipeline/smoke.spec.mjs <packaged executable> [--screenshot FILE]${executable ? ` (${executable} does not exist)` : ''}`);
    return 2;
  }
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  // A fresh profile folder; the one-time Npcap dialog (a native window the
  // DevTools protocol cannot see) is marked as dismissed: the same text must show in the page.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxbridge-smoke-'));
  fs.writeFileSync(path.join(dataDir, 'npcap-notice-dismissed'), 'smoke test\n');
  const env = { ...process.env, VXBRIDGE_DATA_DIR: dataDir };
  delete env.ELECTRON_RUN_AS_NODE;

  const app = launchWithDevTools(executable, [], env);
  let browser;
  let page;
  const ok = (what) => console.log(`smoke: ok   ${what}`);
  try {
    browser = await chromium.connectOverCDP(await app.endpoint, { timeout: STEP_TIMEOUT_MS });

    // 1. The window, on the app's own origin.
    page = await waitForPage(browser, APP_INDEX_URL);
    await page.waitForLoadState('load', { timeout: STEP_TIMEOUT_MS });
    ok(`window open on ${page.url()}`);

    // 3a. app:info went through IPC to the backend and back into React.
    const versionText = (await page.locator('.brand-version').first().textContent({ timeout: STEP_TIMEOUT_MS }))?.trim();
    if (versionText !== `v${version}`) throw new Error(`header shows ${JSON.stringify(versionText)}, expected "v${version}"`);
    ok(`header shows ${versionText} (app:info over IPC)`);

    // 2. The adapter panel: the picker, and the guidance when capture is not possible.
    const panel = page.locator('.adapter-panel');
    await panel.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await page.locator('.adapter-panel .nic-trigger').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    const note = page.locator('.adapter-panel .panel-note');
    const guidance = (await note.count()) > 0 ? ((await note.first().textContent()) ?? '').trim() : '';
    if (process.platform === 'win32' && !fs.existsSync(path.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'wpcap.dll'))) {
      if (!/npcap/i.test(guidance)) throw new Error(`no Npcap guidance in the adapter panel (it shows ${JSON.stringify(guidance)})`);
    }
    ok(`adapter panel: picker shown${guidance ? `, guidance: ${guidance.slice(0, 100)}` : ', no capture problem'}`);

    // 3b. A round trip through the preload's named function.
    const profiles = await page.evaluate(() => window.vxbridge.listProfiles());
    if (!profiles?.ok || !Array.isArray(profiles.value)) throw new Error(`listProfiles() answered ${JSON.stringify(profiles)}`);
    ok(`listProfiles() over IPC: ${profiles.value.length} profiles`);

    // 4. Isolation and CSP, as the page sees them.
    const isolation = await page.evaluate(() => ({
      require: typeof window.require,
      process: typeof window.process,
      inline: (() => {
        const s = document.createElement('script');
        s.textContent = 'window.__smokeInline = true';
        document.head.append(s);
        return window.__smokeInline === true;
      })(),
    }));
    if (isolation.require !== 'undefined' || isolation.process !== 'undefined') throw new Error(`the page sees Node: ${JSON.stringify(isolation)}`);
    if (isolation.inline) throw new Error('an inline <script> ran: the CSP is not in force');
    ok('no Node in the page; the CSP refused an inline script');

    if (screenshot) await page.screenshot({ path: screenshot });
    console.log('smoke: OK');
    return 0;
  } catch (err) {
    console.error(`smoke: FAIL ${err instanceof Error ? err.message : String(err)}`);
    if (screenshot && page) await page.screenshot({ path: screenshot }).catch(() => undefined);
    const tail = app.stderr().split('\n').slice(-40).join('\n');
    if (tail.trim()) console.error(`smoke: the app's stderr (last lines):\n${tail}`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await stop(app.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await main(process.argv.slice(2));
}
