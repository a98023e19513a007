// Shared by the UI specs (e2e/ui/*.e2e.test.ts): the real `ubdg ui` host (in
// the root namespace or inside a test namespace), Debian's Chromium through
// playwright-core (never `playwright install`), optionally started inside the
// same network namespace so that it reaches the host on that namespace's
// loopback, full-page screenshots in light and dark theme, and a direct call to
// the host's API from the page (to check what the host itself says).
//
// The specs FAIL (never skip) without a build or without Chromium: CI builds
// before the e2e tests, so a missing dist/ is a broken pipeline, not a reason
// to pass silently.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Background } from '../lib/background.js';
import { onExitSync } from '../lib/cleanup.js';
import { REPO_ROOT, UBDG_BIN } from '../lib/repo.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;
/** Gitignored (e2e/artifacts/). */
export const UI_ARTIFACTS = path.join(REPO_ROOT, 'e2e', 'artifacts', 'ui');

const BUILD_OUTPUTS = ['dist/renderer/index.html', 'dist/electron/cli/main.js'] as const;

/** Throws (so the spec fails, with what to run) when the build or Chromium is missing. */
export function assertUiPrerequisites(): void {
  const missing = BUILD_OUTPUTS.filter((f) => !existsSync(path.join(REPO_ROOT, f)));
  if (missing.length > 0) {
    throw new Error(
      `UI e2e specs need the build: ${missing.join(' and ')} missing under ${REPO_ROOT}. ` +
        'Run `npm run build` first (dist/electron for the `ubdg ui` host, dist/renderer for the page).',
    );
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `UI e2e specs need Debian's Chromium at ${CHROMIUM} (or CHROMIUM_PATH=…): run \`apt-get install chromium\` ` +
        '(build/setup.sh --dev installs it). Do not run `playwright install`.',
    );
  }
}

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches Chromium headless. With `netns`, Chromium runs inside that network
 * namespace (a generated wrapper does `exec ip netns exec NS chromium "$@"`,
 * keeping the pid and playwright's pipe), so 127.0.0.1 is the namespace's loopback.
 */
export async function launchChromium(opts: { netns?: string } = {}): Promise<LaunchedBrowser> {
  let executablePath = CHROMIUM;
  let wrapperDir: string | undefined;
  let unregister: (() => void) | undefined;
  if (opts.netns !== undefined) {
    if (!/^[\w.-]+$/.test(opts.netns)) throw new Error(`unexpected namespace name ${JSON.stringify(opts.netns)}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'vxbridge-ui-chromium-'));
    wrapperDir = dir;
    unregister = onExitSync(() => rmSync(dir, { recursive: true, force: true }));
    executablePath = path.join(dir, 'chromium-in-netns');
    writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec '${opts.netns}' '${CHROMIUM.replace(/'/g, `'\\''`)}' "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout: 60_000 });
  } catch (e) {
    if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
    unregister?.();
    throw e;
  }
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      if (wrapperDir) rmSync(wrapperDir, { recursive: true, force: true });
      unregister?.();
    },
  };
}

export interface UiHost {
  readonly process: Background;
  /** http://127.0.0.1:PORT/pair/<token> as printed: it works ONCE (page.goto it once, or pair with ui-invoke.mjs). */
  readonly url: string;
  /** http://127.0.0.1:PORT (no secret). */
  readonly origin: string;
  readonly dataDir: string;
  /** SIGINT; resolves with whether it exited in time and its exit code. */
  stop(): Promise<{ timedOut: boolean; code: number | null }>;
}

/** `node bin/ubdg.js ui --no-open --port 0 --data-dir DIR` in `ns` (null: root namespace, loopback only). */
export async function startUiHost(ns: string | null, dataDir: string): Promise<UiHost> {
  const proc = new Background(ns, process.execPath, [UBDG_BIN, 'ui', '--no-open', '--port', '0', '--data-dir', dataDir]);
  const m = await proc.waitForOutput(/vxbridge UI: (http:\/\/127\.0\.0\.1:\d+)(\/pair\/[0-9a-f]{64})/, 30_000, 'stdout');
  return {
    process: proc,
    url: m[1]! + m[2]!,
    origin: m[1]!,
    dataDir,
    async stop() {
      const r = await proc.stop('SIGINT', 10_000);
      return { timedOut: r.timedOut, code: r.code };
    },
  };
}

/** A fresh temporary data dir (profiles) for one host; removed by the returned function and at exit. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vxbridge-ui-e2e-'));
  const unregister = onExitSync(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
}

/** Console errors and uncaught exceptions of a page, collected from now on. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${String(e)}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  return errors;
}

export type Theme = 'light' | 'dark';

/** Sets the theme with the header's toggle (light → dark → system → …). */
export async function setTheme(page: Page, theme: Theme): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Theme: / });
  // A modal's backdrop covers the header: close it (the caller's `prepare` re-opens it).
  const dialog = page.getByRole('dialog');
  if (await dialog.isVisible()) {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  }
  for (let i = 0; i < 3; i++) {
    if ((await toggle.getAttribute('aria-label')) === `Theme: ${theme}`) break;
    await toggle.click();
  }
  const label = await toggle.getAttribute('aria-label');
  if (label !== `Theme: ${theme}`) throw new Error(`the theme toggle did not reach ${theme} (it says ${label})`);
  await page.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
}

/**
 * Full-page screenshots `NAME-light.png` and `NAME-dark.png` into e2e/artifacts/ui/,
 * switching with the theme toggle. `prepare` re-creates transient UI (an open
 * dropdown) that a click on the toggle closes. Returns the paths.
 */
export async function shootBothThemes(page: Page, name: string, prepare?: () => Promise<void>): Promise<string[]> {
  mkdirSync(UI_ARTIFACTS, { recursive: true });
  const out: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    await prepare?.();
    const file = path.join(UI_ARTIFACTS, `${name}-${theme}.png`);
    await fullAppScreenshot(page, file);
    out.push(file);
  }
  return out;
}

/**
 * The app scrolls inside its sidebar and main column, so a plain full-page
 * screenshot stops at the window's bottom edge. Grow the viewport to the
 * tallest column for the shot (bounded), then put it back.
 */
async function fullAppScreenshot(page: Page, file: string): Promise<void> {
  const vp = page.viewportSize();
  const needed = await page.evaluate(() => {
    // Runs in the page (this file is compiled without the DOM lib).
    type El = { scrollHeight: number; getBoundingClientRect(): { top: number } };
    const doc = (globalThis as unknown as { document: { documentElement: El; querySelectorAll(sel: string): ArrayLike<El> } }).document;
    let h = doc.documentElement.scrollHeight;
    for (const el of Array.from(doc.querySelectorAll('.sidebar, .main'))) {
      h = Math.max(h, Math.ceil(el.getBoundingClientRect().top + el.scrollHeight));
    }
    return h;
  });
  const tall = vp !== null && needed > vp.height;
  if (tall) await page.setViewportSize({ width: vp.width, height: Math.min(needed, 4000) });
  try {
    await page.screenshot({ path: file, fullPage: !tall, animations: 'disabled' });
  } finally {
    if (tall) await page.setViewportSize(vp);
  }
}

export type HostResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Calls one channel of the host's API over a second WebSocket opened from the
 * page (same origin and session cookie as the app, which the browser sends by
 * itself): what the host itself says, not what the UI shows. The host may live
 * in a namespace only the browser can reach.
 */
export async function hostInvoke<T = unknown>(page: Page, channel: string, args: readonly unknown[] = []): Promise<HostResult<T>> {
  return page.evaluate(
    async ({ channel, args }) => {
      // Runs in the page (this file is compiled without the DOM lib).
      const win = globalThis as unknown as { location: { host: string } };
      const ws = new WebSocket(`ws://${win.location.host}/ipc`);
      try {
        return await new Promise<{ ok: true; value: never } | { ok: false; error: string }>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no answer to ${channel} within 15 s`)), 15_000);
          ws.onerror = () => {
            clearTimeout(timer);
            reject(new Error('WebSocket to the host failed'));
          };
          ws.onclose = (ev) => {
            clearTimeout(timer);
            reject(new Error(`the host closed the WebSocket (${ev.code} ${ev.reason}): has this page been paired?`));
          };
          ws.onopen = () => ws.send(JSON.stringify({ id: 424242, channel, args }));
          ws.onmessage = (ev) => {
            const msg = JSON.parse(String(ev.data)) as { id?: number; result?: never };
            if (msg.id !== 424242) return; // a push
            clearTimeout(timer);
            resolve(msg.result!);
          };
        });
      } finally {
        ws.close();
      }
    },
    { channel, args: [...args] },
  ) as Promise<HostResult<T>>;
}
