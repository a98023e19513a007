// Screenshots of the dev preview in Debian's Chromium (never `playwright install`).
//   node renderer/dev/screenshot.mjs [outDir] [query...]
// Defaults: light and dark into renderer/docs/.

import { createServer } from 'vite';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = process.argv[2] ?? `${here}../docs`;
const extra = process.argv.slice(3);
const shots =
  extra.length > 0
    ? extra.map((q, i) => ({ name: `shot-${i}`, query: q }))
    : [
        { name: 'screenshot-light', query: 'theme=light' },
        { name: 'screenshot-dark', query: 'theme=dark' },
      ];

const server = await createServer({ configFile: `${here}../vite.config.ts`, server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
await server.listen();
const addr = server.httpServer.address();
const base = `http://127.0.0.1:${addr.port}/dev/preview.html`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const s of shots) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}?${s.query}`);
    await page.waitForTimeout(Number(process.env.SHOT_WAIT ?? 5000));
    for (const sel of (process.env.SHOT_CLICK ?? '').split(',').filter(Boolean)) {
      await page.click(sel);
      await page.waitForTimeout(400);
    }
    if (process.env.SHOT_SCROLL) await page.evaluate((sel) => document.querySelectorAll(sel).forEach((e) => (e.scrollTop = e.scrollHeight)), process.env.SHOT_SCROLL);
    if (process.env.SHOT_SCROLL) await page.waitForTimeout(300);
    await page.screenshot({ path: `${outDir}/${s.name}.png`, fullPage: process.env.SHOT_FULL === '1' });
    console.log(`${outDir}/${s.name}.png`, errors.length ? `errors: ${errors.join(' | ')}` : '');
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
