// The browser host in a real browser (Debian's Chromium through playwright-core):
// the page loads under the strict CSP (header + the renderer's <meta> tag), its
// module script reaches the backend over the WebSocket, an inline script is
// blocked, and a page from another origin cannot open the WebSocket.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../contract/csp.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createBackend, type Backend } from './backend.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';
import { createFakeBridge } from './fake-bridge.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);

const APP_JS = `
const ws = new WebSocket('ws://' + location.host + '/ipc');
ws.onopen = () => ws.send(JSON.stringify({ id: 1, channel: 'app:info', args: [] }));
ws.onmessage = (e) => { const m = JSON.parse(e.data); if (m.id === 1) document.getElementById('out').textContent = m.result.value.host; };
ws.onerror = () => { document.getElementById('out').textContent = 'ws-error'; };
`;

describe.skipIf(!haveChromium)('browser host in Chromium', () => {
  let tmp: string;
  let backend: Backend;
  let host: BrowserHost;
  let browser: Browser;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-chromium-'));
    const dir = path.join(tmp, 'renderer');
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'index.html'),
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}">` +
        `<title>t</title></head><body><div id="out">none</div><div id="inline">not run</div>` +
        `<script>document.getElementById('inline').textContent = 'inline ran'</script>` +
        `<script type="module" src="./assets/app.js"></script></body></html>`,
    );
    fs.writeFileSync(path.join(dir, 'assets', 'app.js'), APP_JS);
    backend = createBackend({
      host: 'browser',
      version: '1.2.3',
      profiles: createProfileStore({ dataDir: path.join(tmp, 'data') }),
      createBridge: (legs) => createFakeBridge(legs),
      listNics: async () => [],
    });
    host = await startBrowserHost({ backend, rendererDir: dir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await backend?.dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs the module script, blocks the inline one, talks over the WebSocket', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(host.url);
    expect(page.url()).toBe(`${host.origin}/`); // the token left the address bar
    await expect.poll(() => page.textContent('#out'), { timeout: 10_000 }).toBe('browser');
    expect(await page.textContent('#inline')).toBe('not run');
    expect(violations.some((v) => /inline script/i.test(v))).toBe(true);
    await page.close();
  }, 30_000);

  it('a page from another origin cannot use the WebSocket, even in a paired browser', async () => {
    const page = await browser.newPage();
    // about:blank has an opaque origin; the WebSocket carries Origin: null (or none).
    const result = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `${host.origin.replace('http://', 'ws://')}/ipc`,
    );
    expect(result).toBe('refused');
    await page.close();
  }, 30_000);

  it('pairs through a redirect file opened from disk, then the pairing URL is spent', async () => {
    const pairUrl = host.newPairingUrl();
    const file = path.join(tmp, 'open.html');
    fs.writeFileSync(file, `<!doctype html><meta http-equiv="refresh" content="0;url=${pairUrl}"><title>r</title>`, { mode: 0o600 });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`file://${file}`);
    await expect.poll(() => page.textContent('#out').catch(() => null), { timeout: 15_000 }).toBe('browser');
    expect(page.url()).toBe(`${host.origin}/`);
    const cookies = await context.cookies(host.origin);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: host.cookieName, httpOnly: true, sameSite: 'Strict', path: '/' });
    // A fresh browser (no cookie) with the spent URL: refused, and the page says what to do.
    const other = await browser.newContext();
    const p2 = await other.newPage();
    const res = await p2.goto(pairUrl);
    expect(res?.status()).toBe(403);
    expect(await p2.textContent('body')).toContain('SIGUSR1');
    await other.close();
    await context.close();
  }, 30_000);
});
