// The real UI in Debian's Chromium against the real `ubdg ui` host and engine:
// choose the data plane in Settings (kept across a reload), paste legs, see a
// parse error block Start, start, see which data plane runs, watch a VTEP being
// learned live from VXLAN packets the test sends, save a profile, stop, reload.
// Needs `npm run build` (dist/electron for the host, dist/renderer for the page)
// and Debian's Chromium; without them it fails (not skips) and says what to run.
// Traffic stays on 127.0.0.1.

import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { CONTROL_LEN, ControlType, NONCE_LEN, emptyControlPacket, readControl, writeControlKeepalive } from '../../electron/engine/codec/control.js';
import { Background } from '../lib/background.js';
import { assertUiPrerequisites, CHROMIUM, CHROMIUM_ARGS, shootBothThemes } from './ui-harness.js';
import { checkLayoutAtWidths } from './layout-check.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** VXB_DATA_PLANE as the host inherits it (test-all sets it): it wins over the setting this spec saves. */
const ENV_DATA_PLANE = ['auto', 'native', 'js'].includes(process.env.VXB_DATA_PLANE ?? '') ? process.env.VXB_DATA_PLANE : undefined;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** VXLAN (flags 0x08, VNI) around a broadcast Ethernet frame from `srcMac`. */
function vxlanPacket(vni: number, srcMac: readonly number[]): Buffer {
  const b = Buffer.alloc(8 + 14 + 46);
  b[0] = 0x08;
  b.writeUIntBE(vni, 4, 3);
  b.fill(0xff, 8, 14);
  Buffer.from(srcMac).copy(b, 14);
  b.writeUInt16BE(0x0800, 20);
  return b;
}

describe('UI in a browser over `ubdg ui`', () => {
  let host: Background;
  let browser: Browser;
  let page: Page;
  let url = '';
  let dataDir = '';
  let vtep: Socket;
  let providerPort = 0;
  let uLocal = 0;
  let uRemote = 0;
  let vtepPort = 0;

  beforeAll(async () => {
    assertUiPrerequisites();
    dataDir = mkdtempSync(path.join(tmpdir(), 'vxbridge-ui-e2e-'));
    [providerPort, uLocal, uRemote] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    host = new Background(null, process.execPath, [path.join(repo, 'bin/ubdg.js'), 'ui', '--no-open', '--port', '0', '--data-dir', dataDir]);
    url = (await host.waitForOutput(/http:\/\/127\.0\.0\.1:\d+\/pair\/[0-9a-f]+/, 20_000, 'stdout'))[0];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    page.setDefaultTimeout(15_000);
    vtep = createSocket('udp4');
    await new Promise<void>((r) => vtep.bind(0, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    vtep?.close();
    await browser?.close();
    if (host) {
      const exit = await host.stop('SIGINT');
      expect(exit.timedOut).toBe(false);
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('connects and shows a stopped bridge', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.getByTestId('link-state').getByText('Connected').waitFor();
    expect(await page.getByTestId('bridge-status').textContent()).toContain('Stopped');
    expect(errors).toEqual([]);
  });

  it('settings: the data plane is chosen with the keyboard, saved by the host and still chosen after a reload', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    let dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    // The focus is on the saved choice (Automatic); the arrow keys move it along the group.
    await page.locator('input[name="data-plane"][value="auto"]:focus').waitFor();
    expect(await dialog.getByRole('radio', { name: /^Automatic \(recommended\)/ }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('radio', { name: /^JavaScript \(portable\)/ }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'))).toEqual({ version: 1, dataPlane: 'js' });

    await page.reload();
    await page.getByTestId('link-state').getByText('Connected').waitFor();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    dialog = page.getByRole('dialog', { name: 'Settings' });
    await page.locator('input[name="data-plane"][value="js"]:focus').waitFor();
    expect(await dialog.getByRole('radio', { name: /^JavaScript \(portable\)/ }).isChecked()).toBe(true);
    expect(await dialog.getByTestId('settings-env-override').count()).toBe(ENV_DATA_PLANE === undefined ? 0 : 1);
    // The theme toggle closes the dialog: open it again for each shot.
    await shootBothThemes(page, 'settings-dialog', async () => {
      if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await dialog.waitFor();
    });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('a bad leg shows the parser error and cannot start', async () => {
    await page.getByRole('button', { name: 'Paste a ubdg command line', exact: true }).click();
    const box = page.getByLabel('ubdg command line', { exact: true });
    await box.fill(`ubdg 5000#V:E@127.0.0.1:0:${providerPort} 5000#U:E@127.0.0.1:${uLocal}:127.0.0.1:${uRemote}`);
    await page.getByRole('button', { name: 'Use these legs' }).click();
    await page.getByText(`VXLAN provider on 127.0.0.1`).first().waitFor();

    await page.locator('.leg-item-head').first().click();
    const local = page.getByLabel('Local address', { exact: true });
    await local.fill('127.0.0.300');
    await page.getByTestId('leg-error').getByText("'127.0.0.300' is not an IPv4 address", { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByTestId('start-blocker').textContent()).toMatch(/^Leg 1: /);
    await local.fill('127.0.0.1');
    expect(await page.getByTestId('leg-error').count()).toBe(0);
  });

  it('starts, and a VTEP appears in the peer table as it is learned', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByTestId('bridge-status').getByText('Running').waitFor({ timeout: 15_000 });
    const legsTable = page.getByRole('table', { name: 'Legs' });
    await expect.poll(() => legsTable.getByText('running').count(), { timeout: 10_000 }).toBe(2);
    // The data plane the host's data-plane process runs on: the one saved in Settings, unless VXB_DATA_PLANE says otherwise.
    const badge = page.getByTestId('data-plane-badge');
    await badge.waitFor();
    const label = (await badge.getAttribute('aria-label')) ?? '';
    if (ENV_DATA_PLANE === undefined) expect(label).toBe('Data plane: JavaScript, as chosen in Settings. Open Settings');
    else expect(label).toContain(`chosen by VXB_DATA_PLANE=${ENV_DATA_PLANE}`);
    if (ENV_DATA_PLANE === 'native') expect(label).toMatch(/^Data plane: Native,/);

    const mac = [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30];
    vtepPort = vtep.address().port;
    // A plain provider learns a VTEP only once it proved it receives at its address:
    // a keepalive, the provider's cookie back (echoing the keepalive's nonce), a keepalive with it.
    let cookie: Buffer | null = null;
    const nonce = randomBytes(NONCE_LEN);
    const control = emptyControlPacket();
    vtep.on('message', (m) => {
      const c = readControl(m, 0, m.length, control);
      if (c?.type === ControlType.COOKIE && m.subarray(c.nonceAt, c.nonceAt + NONCE_LEN).equals(nonce)) cookie = Buffer.from(m.subarray(c.cookieAt, c.cookieAt + 16));
    });
    const keepalive = Buffer.alloc(CONTROL_LEN);
    const send = () => {
      writeControlKeepalive(keepalive, 0, 5000, 20, 0x5eed, nonce, cookie);
      vtep.send(keepalive, providerPort, '127.0.0.1');
      vtep.send(vxlanPacket(5000, mac), providerPort, '127.0.0.1');
    };
    send();
    const timer = setInterval(send, 200);
    try {
      const row = page
        .getByRole('table', { name: 'Remote VTEPs' })
        .getByRole('row')
        .filter({ hasText: `127.0.0.1:${vtepPort}` });
      await row.waitFor({ timeout: 15_000 });
      expect(await row.textContent()).toContain('new');
      await page.getByRole('tab', { name: /MAC table/ }).click();
      await page.getByRole('table', { name: 'MAC table' }).getByText('02:00:5e:10:20:30').waitFor({ timeout: 10_000 });
      await page.getByRole('tab', { name: /Remote VTEPs/ }).click();
    } finally {
      clearInterval(timer);
    }
  });

  it('fits windows from 1024 px wide up, light and dark, while running (screenshots in e2e/artifacts/ui/)', async () => {
    const { problems, shots } = await checkLayoutAtWidths(page, 'running-layout');
    console.log(`ui layout screenshots:\n  ${shots.join('\n  ')}`);
    expect(problems).toEqual([]);
  });

  it('reload while running: the page shows what runs (legs read-only, unsaved), the MAC table and the recent events', async () => {
    await page.reload();
    await page.getByTestId('link-state').getByText('Connected').waitFor();
    await page.getByTestId('bridge-status').getByText('Running').waitFor();
    // The legs in the editor, as started, and locked.
    const subs = page.locator('.legs-panel .leg-item-sub');
    await expect.poll(() => subs.allTextContents()).toEqual([`5000#V:E@127.0.0.1:0:${providerPort}`, `5000#U:E@127.0.0.1:${uLocal}:127.0.0.1:${uRemote}`]);
    expect(await page.getByText('No legs yet').count()).toBe(0);
    await page.getByText('The bridge is running: stop it to change the legs.').waitFor();
    expect(await page.getByRole('button', { name: 'Add leg' }).isDisabled()).toBe(true);
    expect(await page.locator('.header-profile-name').textContent()).toBe('Unsaved setup');
    // Which data plane runs: from the host, not from this page's memory.
    await page.getByTestId('data-plane-badge').waitFor();
    // The MAC learned before the reload: counted, and in the table.
    const macKpi = page.locator('.kpi').filter({ hasText: 'MAC addresses' }).locator('.kpi-value');
    await expect.poll(async () => Number(await macKpi.textContent())).toBeGreaterThan(0);
    await page.getByRole('tab', { name: /MAC table/ }).click();
    await page.getByRole('table', { name: 'MAC table' }).getByText('02:00:5e:10:20:30').waitFor();
    // The events from before the reload, replayed by the host.
    await page.getByRole('tab', { name: /Events/ }).click();
    await page.getByText(`Learned VTEP 127.0.0.1:${vtepPort} on leg 1`, { exact: false }).first().waitFor();
    await page.getByRole('tab', { name: /Remote VTEPs/ }).click();
    expect(await page.getByRole('button', { name: 'Save as…' }).isEnabled()).toBe(true);
  });

  it('saves the setup as a profile (after the reload, while running)', async () => {
    await page.getByRole('button', { name: 'Save as…' }).click();
    await page.getByLabel('Name', { exact: true }).fill('e2e lab');
    await page.getByRole('dialog').getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.profile-row').filter({ hasText: 'e2e lab' }).waitFor();
    expect(existsSync(dataDir)).toBe(true);
  });

  it('reload while running again: the profile it was saved as, unmodified', async () => {
    await page.reload();
    await page.getByTestId('bridge-status').getByText('Running').waitFor();
    await page.locator('.header-profile-name').getByText('e2e lab').waitFor();
    expect(await page.locator('.profiles-panel .badge').filter({ hasText: 'modified' }).count()).toBe(0);
    expect(await page.locator('.leg-item').count()).toBe(2);
  });

  it('stops, and after a reload loads the recent profile', async () => {
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByTestId('bridge-status').getByText('Stopped').waitFor({ timeout: 10_000 });
    await page.reload();
    await page.getByTestId('link-state').getByText('Connected').waitFor();
    await page.locator('.header-profile-name').getByText('e2e lab').waitFor({ timeout: 10_000 });
    expect(await page.locator('.leg-item').count()).toBe(2);
  });

  it('shows the disconnected state when the host goes away', async () => {
    await host.stop('SIGINT');
    await page.getByTestId('disconnected-banner').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('link-state').textContent()).not.toBe('Connected');
  });
});
