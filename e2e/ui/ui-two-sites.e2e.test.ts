// The real UI configures a real bridge. Two sites (harness topology):
//   s1: `ubdg ui` (NOT the CLI bridge) — the page, in Debian's Chromium running
//       inside s1 too (the host listens on s1's loopback), is how the bridge of
//       s1 gets its adapter lan1 (veth to h1) and its VXLAN leg on wan1;
//   s2: a plain CLI bridge, ubdg 5000#V:E@<s2 wan>:<s1 wan> 5000#W:E@lan2.
// Steps (one test each, in order): pick the NIC, add a VXLAN leg by the form,
// bad input blocks Start (and the host starts nothing), paste command lines,
// Start (h1 pings h2, VTEP in the peer table, counters move), save a profile,
// reload while running (the app reconnects and adopts the bridge), Stop,
// reload and load the profile with one click, run it again, Stop.
// Full-page screenshots (light and dark) go to e2e/artifacts/ui/.
// Needs root and `npm run build`; fails (does not skip) without the build or Chromium.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Background } from '../lib/background.js';
import { ipIn, nsExec } from '../lib/exec.js';
import { ping, waitForPing } from '../lib/ping.js';
import { useTopology } from '../lib/scenario.js';
import type { Site } from '../lib/topology.js';
import { findPeer, Ubdg, type BridgeSnapshot } from '../lib/ubdg.js';
import { checkLayoutAtWidths } from './layout-check.js';
import {
  assertUiPrerequisites,
  collectPageErrors,
  hostInvoke,
  launchChromium,
  shootBothThemes,
  startUiHost,
  tempDataDir,
  type LaunchedBrowser,
  type UiHost,
} from './ui-harness.js';

const VNI = 5000;
const PROFILE = 'e2e two sites';
/** Every wait in the page: generous, the machine may be loaded. */
const UI_WAIT_MS = 30_000;
/** expect.poll's default (1 s) is too short on a loaded machine. */
const POLL = { timeout: UI_WAIT_MS, interval: 200 } as const;

const text = async (l: Locator): Promise<string> => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function macOf(ns: string, ifname: string): Promise<string> {
  const r = await ipIn(ns, ['-j', 'link', 'show', ifname]);
  const [link] = JSON.parse(r.stdout) as Array<{ address: string }>;
  return link!.address;
}

/** UDP sockets bound in `ns` (`ss -Huln`: local address:port, one per line). */
async function udpSockets(ns: string): Promise<string[]> {
  const r = await nsExec(ns, 'ss', ['-Huln']);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[3] ?? '')
    .filter((a) => a !== '');
}

/** Every *.json under `dir` (the host's profile files). */
function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (e.endsWith('.json')) out.push(p);
  }
  return out;
}

describe('UI in Chromium drives `ubdg ui` in site 1 against a CLI bridge in site 2', () => {
  // First hook: without a build or Chromium, fail here with what to run.
  beforeAll(() => assertUiPrerequisites());
  const topo = useTopology({ tag: 'ui', sites: 2 });

  let s1: Site;
  let s2: Site;
  let data: ReturnType<typeof tempDataDir> | undefined;
  let host: UiHost | undefined;
  let chrome: LaunchedBrowser | undefined;
  let page: Page;
  let errors: string[] = [];
  let site2: Ubdg | undefined;
  let traffic: Background | undefined;
  const shots: string[] = [];
  /** What the form says for a lone multicast group in unicast mode (quoted in the log). */
  let multicastAloneMessage = '';

  const peerAddr = () => `${s2.wanIp}:4789`;
  const vLeg = () => `${VNI}#V:E@${s1.wanIp}:${s2.wanIp}`;
  const wLeg = () => `${VNI}#W:E@${s1.lanIf}`;

  // Locators (the page's labels and roles).
  const status = () => page.getByTestId('bridge-status');
  const startButton = () => page.getByRole('button', { name: 'Start', exact: true });
  const stopButton = () => page.getByRole('button', { name: 'Stop', exact: true });
  const adapterTrigger = () => page.locator('.adapter-panel').getByRole('button', { name: 'Network adapter', exact: true });
  const legItems = () => page.locator('.legs-panel .leg-item');
  const editor = () => page.locator('.legs-panel .leg-editor');
  const peersTable = () => page.getByRole('table', { name: 'Remote VTEPs' });
  const peerRow = () => peersTable().getByRole('row').filter({ hasText: peerAddr() });
  const profileRow = () => page.locator('.profile-row').filter({ hasText: PROFILE });

  const shoot = async (name: string, prepare?: () => Promise<void>) => shots.push(...(await shootBothThemes(page, name, prepare)));

  /** The cell of the peer row under the column headed `header`. */
  async function peerCell(header: string): Promise<Locator> {
    const headers = (await peersTable().getByRole('columnheader').allTextContents()).map((h) => h.replace(/[▲▼]/g, '').trim());
    const i = headers.indexOf(header);
    if (i < 0) throw new Error(`no column '${header}' in the peer table: ${headers.join(' | ')}`);
    return peerRow().getByRole('cell').nth(i);
  }

  async function waitConnected(): Promise<void> {
    await page.getByTestId('link-state').getByText('Connected', { exact: true }).waitFor({ timeout: UI_WAIT_MS });
  }

  async function waitStatus(word: 'Running' | 'Stopped'): Promise<void> {
    await status().getByText(word, { exact: true }).waitFor({ timeout: UI_WAIT_MS });
  }

  async function legSubs(): Promise<string[]> {
    return (await page.locator('.legs-panel .leg-item-sub').allTextContents()).map((s) => s.trim());
  }

  /** The host has no bridge and s1 has no UDP socket: nothing was started. */
  async function expectNothingStarted(): Promise<void> {
    const st = await hostInvoke<BridgeSnapshot | null>(page, 'bridge:status');
    expect(st).toEqual({ ok: true, value: null });
    expect(await udpSockets(s1.bridge), 'UDP sockets bound in s1').toEqual([]);
    expect(await text(status())).toContain('Stopped');
  }

  /** Waits until every leg row of the live Legs table shows `state`. */
  async function waitLegStates(state: string, count: number): Promise<void> {
    await expect.poll(async () => (await page.locator('.legs-table-card .pill').allTextContents()).map((s) => s.trim()), POLL).toEqual(Array.from({ length: count }, () => state));
  }

  /** The peer row's traffic total changes (read twice, with new packets in between) and its receive rate is non-zero. */
  async function expectPeerCountersMove(): Promise<void> {
    await peerRow().waitFor({ timeout: UI_WAIT_MS });
    const total = await peerCell('Traffic');
    const rate = await peerCell('Rate');
    const first = await text(total);
    await expect.poll(() => text(total), POLL).not.toBe(first);
    // The Rate cell: receive (↓) over send (↑).
    await expect.poll(async () => text(rate.locator('.num').first()), POLL).toMatch(/^↓ [1-9][\d.]* (bit|kbit|Mbit)\/s$/);
    expect(await text(total)).toMatch(/↓ [1-9][\d.]* (B|KiB|MiB) ↑ [1-9][\d.]* (B|KiB|MiB)/);
  }

  function startTraffic(): void {
    traffic?.kill();
    // Continuous ICMP h1 → h2 through both bridges, so the counters keep moving.
    traffic = new Background(s1.host, 'ping', ['-n', '-i', '0.2', s2.hostIp]);
  }

  async function stopTraffic(): Promise<void> {
    await traffic?.stop('SIGINT', 5_000);
    traffic = undefined;
  }

  beforeAll(async () => {
    const t = topo();
    [s1, s2] = [t.site(1), t.site(2)];
    data = tempDataDir();
    // The host runs in s1's namespace: what it lists are s1's adapters, what it binds is s1's.
    host = await startUiHost(s1.bridge, data.dir);
    chrome = await launchChromium({ netns: s1.bridge });
    const context = await chrome.browser.newContext({ viewport: { width: 1500, height: 950 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(UI_WAIT_MS);
    errors = collectPageErrors(page);
    site2 = new Ubdg(s2.bridge, [`${VNI}#V:E@${s2.wanIp}:${s1.wanIp}`, `${VNI}#W:E@${s2.lanIf}`]);
    await site2.waitRunning(30_000);
  }, 120_000);

  afterAll(async () => {
    traffic?.kill();
    await chrome?.close();
    let hostExit: { timedOut: boolean; code: number | null } | undefined;
    if (host) hostExit = await host.stop();
    await site2?.stop().catch(() => site2?.kill());
    data?.remove();
    if (shots.length > 0) console.log(`ui-two-sites screenshots:\n  ${shots.join('\n  ')}`);
    if (multicastAloneMessage) console.log(`ui-two-sites: lone multicast peer in unicast mode → "${multicastAloneMessage}"`);
    if (hostExit) expect(hostExit, `ubdg ui exit: ${host?.process.describe()}`).toEqual({ timedOut: false, code: 0 });
  }, 60_000);

  it('the adapter dropdown lists lan1 with its flags, and the user picks it', async () => {
    await page.goto(host!.url);
    await waitConnected();
    await waitStatus('Stopped');
    await page.getByText('No legs yet').waitFor();

    const lan1Mac = await macOf(s1.bridge, s1.lanIf);
    const list = page.getByRole('listbox', { name: 'Network adapter' });
    const openList = async () => {
      if ((await adapterTrigger().getAttribute('aria-expanded')) !== 'true') await adapterTrigger().click();
      await list.waitFor();
    };
    await openList();
    // s1's own adapters, as the host in s1 sees them: lan1, wan1 and lo.
    const lan1 = list.getByRole('option').filter({ hasText: s1.lanIf });
    await lan1.waitFor();
    expect(await list.getByRole('option').count()).toBe(3);
    const lan1Text = await text(lan1);
    expect(lan1Text).toContain(lan1Mac);
    expect(lan1Text).toContain('no IPv4 address');
    expect(lan1Text).not.toMatch(/down|not usable|loopback|Wi-Fi/);
    expect(await lan1.getAttribute('aria-disabled')).toBe('false');
    expect(await lan1.getAttribute('title')).toMatch(/promiscuous/);
    const wan = list.getByRole('option').filter({ hasText: s1.wanIf });
    expect(await text(wan)).toContain(s1.wanIp);
    const lo = list.getByRole('option').filter({ hasText: 'loopback' });
    expect(await text(lo)).toContain('127.0.0.1');
    expect(await text(lo)).toContain('not usable');
    expect(await lo.getAttribute('aria-disabled')).toBe('true');
    await shoot('01-adapter-dropdown', openList);

    await openList();
    await lan1.click();
    await list.waitFor({ state: 'detached' });
    expect(await text(adapterTrigger())).toContain(s1.lanIf);
    await expect.poll(legSubs, POLL).toEqual([wLeg()]);
    expect(await text(legItems().first().locator('.leg-item-title'))).toBe(s1.lanIf);
  });

  it('adds a VXLAN unicast (HER) leg through the form', async () => {
    await page.getByRole('button', { name: 'Add leg' }).click();
    await page.getByRole('menuitem', { name: /VXLAN/ }).click();
    const ed = editor();
    await ed.waitFor();
    const kind = ed.getByRole('radiogroup', { name: 'Leg kind' }).getByRole('radio', { name: 'VXLAN', exact: true });
    await kind.click();
    expect(await kind.getAttribute('aria-checked')).toBe('true');
    const mode = ed.getByRole('radiogroup', { name: 'VXLAN mode' }).getByRole('radio', { name: 'Unicast', exact: true });
    await mode.click();
    expect(await mode.getAttribute('aria-checked')).toBe('true');
    await ed.getByLabel('VNI (segment)', { exact: true }).fill(String(VNI));
    // The local-address suggestions come from s1's adapters.
    expect(await ed.locator(`datalist option[value="${s1.wanIp}"]`).count()).toBe(1);
    await ed.getByLabel('Local address', { exact: true }).fill(s1.wanIp);
    await ed.getByLabel('Remote VTEP 1', { exact: true }).fill(s2.wanIp);

    expect(await ed.getByLabel(/^Leg string/).inputValue()).toBe(vLeg());
    await ed.locator('.leg-verdict.ok').waitFor();
    expect(await page.getByTestId('leg-error').count()).toBe(0);
    await expect.poll(legSubs, POLL).toEqual([wLeg(), vLeg()]);
    expect(await text(legItems().nth(1).locator('.leg-item-title'))).toBe(`VXLAN to ${s2.wanIp}`);
    expect(await startButton().isEnabled()).toBe(true);
    await shoot('02-vxlan-leg-form');
  });

  it('bad input shows the error on its field, blocks Start, and the host starts nothing', async () => {
    const ed = editor();
    const peer1 = ed.getByLabel('Remote VTEP 1', { exact: true });
    const blocker = page.getByTestId('start-blocker');

    // A peer that is not an address.
    await peer1.fill('300.1.1.1');
    const peerErr1 = ed.locator('.peer-row').nth(0).getByRole('alert');
    await peerErr1.waitFor();
    expect(await text(peerErr1)).toBe("'300.1.1.1' is not an IPv4 address (300 is more than 255)");
    expect(await peer1.getAttribute('aria-invalid')).toBe('true');
    expect(await startButton().isDisabled()).toBe(true);
    expect(await text(blocker)).toBe("Leg 2: '300.1.1.1' is not an IPv4 address (300 is more than 255)");
    // Too long for the header: cut with an ellipsis, the whole text in the tooltip.
    expect(await blocker.getAttribute('title')).toBe("Leg 2: '300.1.1.1' is not an IPv4 address (300 is more than 255)");
    expect(await page.locator('.legs-panel .leg-item.invalid').count()).toBe(1);
    await shoot('03-bad-peer');
    // A click on the disabled button does nothing.
    await startButton().click({ force: true });
    await expectNothingStarted();

    // A multicast group in the head-end replication list.
    await peer1.fill(s2.wanIp);
    await ed.getByRole('button', { name: 'Add a VTEP' }).click();
    const peer2 = ed.getByLabel('Remote VTEP 2', { exact: true });
    await peer2.fill('239.1.1.1');
    const peerErr2 = ed.locator('.peer-row').nth(1).getByRole('alert');
    await peerErr2.waitFor();
    expect(await text(peerErr2)).toBe("multicast group '239.1.1.1' cannot be in a list of peers (use it alone for multicast mode)");
    expect(await peer2.getAttribute('aria-invalid')).toBe('true');
    expect(await peer1.getAttribute('aria-invalid')).toBeNull();
    expect(await startButton().isDisabled()).toBe(true);
    expect(await text(blocker)).toMatch(/^Leg 2: multicast group '239\.1\.1\.1' cannot be in a list of peers/);
    await shoot('04-multicast-in-her-list');
    await ed.getByRole('button', { name: 'Remove VTEP 2' }).click();

    // A multicast group alone in the unicast list (the form's mode says unicast):
    // blocked, and the leg string's verdict says why (its field's error: see the next test).
    await peer1.fill('239.1.1.1');
    const verdict = page.getByTestId('leg-error');
    await verdict.waitFor();
    multicastAloneMessage = await text(verdict.locator('.leg-error-msg'));
    expect(multicastAloneMessage).toMatch(/multicast/i);
    expect(await startButton().isDisabled()).toBe(true);
    expect(await text(blocker)).toMatch(/^Leg 2: .*multicast/);
    await shoot('04b-multicast-alone-in-unicast-mode');
    await expectNothingStarted();
    await peer1.fill(s2.wanIp);
    await verdict.waitFor({ state: 'detached' });

    // A VNI out of range (24 bits).
    const vni = ed.getByLabel('VNI (segment)', { exact: true });
    await vni.fill('16777216');
    const vniErr = ed
      .locator('.field.has-error')
      .filter({ has: page.getByLabel('VNI (segment)', { exact: true }) })
      .getByRole('alert');
    await vniErr.waitFor();
    expect(await text(vniErr)).toBe('segment 16777216 is out of range (a VNI has 24 bits)');
    expect(await vni.getAttribute('aria-invalid')).toBe('true');
    expect(await startButton().isDisabled()).toBe(true);
    await page.keyboard.press('Enter'); // nothing submits
    await expectNothingStarted();

    // Fixed: valid again.
    await vni.fill(String(VNI));
    await page.locator('.legs-panel .leg-item.invalid').waitFor({ state: 'detached' });
    expect(await page.getByTestId('leg-error').count()).toBe(0);
    await expect.poll(legSubs, POLL).toEqual([wLeg(), vLeg()]);
    expect(await startButton().isEnabled()).toBe(true);
    await expectNothingStarted();
  });

  // Was a known bug (the mode-mismatch error named the field but not the row, so
  // the Remote VTEP field showed nothing and the verdict said "Unexpected mode multicast").
  it('a lone multicast group as the unicast peer gets its error on the Remote VTEP field', async () => {
    const ed = editor();
    const peer1 = ed.getByLabel('Remote VTEP 1', { exact: true });
    try {
      await peer1.fill('239.1.1.1');
      await page.getByTestId('leg-error').waitFor();
      expect(await peer1.getAttribute('aria-invalid')).toBe('true');
      const rowErr = ed.locator('.peer-row').nth(0).getByRole('alert');
      await rowErr.waitFor({ timeout: 3_000 });
      expect(await text(rowErr)).toBe('239.1.1.1 is a multicast group: choose Multicast mode, or enter unicast VTEP addresses');
      const verdict = await text(page.getByTestId('leg-error').locator('.leg-error-msg'));
      expect(verdict).not.toMatch(/unexpected mode/i);
      expect(verdict).toMatch(/— expected unicast VTEP addresses/);
      expect(await text(legItems().nth(1).locator('.leg-item-title'))).toBe('Invalid leg');
    } finally {
      await peer1.fill(s2.wanIp);
      await page.getByTestId('leg-error').waitFor({ state: 'detached' });
    }
  });

  it('pasting `ubdg` command lines replaces and adds legs (a bad line is refused)', async () => {
    const dialog = page.getByRole('dialog');
    const box = dialog.getByLabel('ubdg command line', { exact: true });
    const openPaste = async (line: string) => {
      if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Paste a ubdg command line', exact: true }).click();
      await box.fill(line);
    };

    const bad = `ubdg ${VNI}#V:E@${s1.wanIp}:300.1.1.1 ${wLeg()}`;
    await openPaste(bad);
    const pasteErr = dialog.locator('.paste-error');
    await pasteErr.waitFor();
    expect(await text(pasteErr)).toContain("'300.1.1.1' is not an IPv4 address");
    expect(await dialog.getByRole('button', { name: 'Replace the legs' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Add to the legs' }).isDisabled()).toBe(true);
    await shoot('05-paste-error', () => openPaste(bad));

    // Replace every leg with the VXLAN leg alone…
    await openPaste(`ubdg ${vLeg()}`);
    await dialog.locator('.paste-preview li').first().waitFor();
    expect(await dialog.locator('.paste-preview li').count()).toBe(1);
    expect(await text(dialog.locator('.paste-preview li code'))).toBe(vLeg());
    await dialog.getByRole('button', { name: 'Replace the legs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(legSubs, POLL).toEqual([vLeg()]);
    expect(await text(adapterTrigger())).toContain('Choose the adapter to bridge');

    // …then add the adapter leg from a second line.
    await openPaste(`ubdg ${wLeg()}`);
    await dialog.getByRole('button', { name: 'Add to the legs' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(legSubs, POLL).toEqual([vLeg(), wLeg()]);
    expect(await text(adapterTrigger())).toContain(s1.lanIf);
    expect(await page.locator('.legs-panel .leg-item.invalid').count()).toBe(0);
    expect(await startButton().isEnabled()).toBe(true);
    await shoot('06-pasted-legs');
    await expectNothingStarted();
  });

  it('Start: legs run, h1 pings h2 through the bridges, the remote VTEP appears and its counters move', async () => {
    await startButton().click();
    await waitStatus('Running');
    await waitLegStates('running', 2);
    expect(await udpSockets(s1.bridge)).toContain(`${s1.wanIp}:4789`);
    const st = await hostInvoke<BridgeSnapshot | null>(page, 'bridge:status');
    expect(st.ok && st.value?.legs.map((l) => [l.leg, l.state])).toEqual([
      [vLeg(), 'running'],
      [wLeg(), 'running'],
    ]);

    await waitForPing(s1.host, s2.hostIp, { timeoutMs: 30_000 });
    const p = await ping(s1.host, s2.hostIp, { count: 10, intervalS: 0.1 });
    expect(p.received, p.output).toBe(p.transmitted);
    startTraffic();

    await peerRow().waitFor({ timeout: UI_WAIT_MS });
    expect(await text(peerRow())).toContain('configured');
    await expectPeerCountersMove();
    await expect.poll(() => text(page.locator('.kpi').filter({ hasText: 'Receive' }).locator('.kpi-value')), POLL).not.toBe('0 bit/s');

    // The host's own numbers agree: packets both ways with site 2.
    const after = await hostInvoke<BridgeSnapshot | null>(page, 'bridge:status');
    const peer = after.ok && after.value ? findPeer(after.value, peerAddr()) : undefined;
    expect(peer?.rxPackets ?? 0).toBeGreaterThan(0);
    expect(peer?.txPackets ?? 0).toBeGreaterThan(0);
    await site2!.waitFor((s) => (findPeer(s, `${s1.wanIp}:4789`)?.rxPackets ?? 0) > 0, 15_000, 'site 2 receives from site 1');

    // h2 is learned behind the remote VTEP, h1 locally.
    const h2Mac = await macOf(s2.host, s2.hostIf);
    const h1Mac = await macOf(s1.host, s1.hostIf);
    await page.getByRole('tab', { name: /MAC table/ }).click();
    const macs = page.getByRole('table', { name: 'MAC table' });
    const h2Row = macs.getByRole('row').filter({ hasText: h2Mac });
    await h2Row.waitFor({ timeout: UI_WAIT_MS });
    expect(await text(h2Row)).toContain(peerAddr());
    expect(await text(macs.getByRole('row').filter({ hasText: h1Mac }))).toContain('local');
    await shoot('07-running-mac-table');
    await page.getByRole('tab', { name: /Remote VTEPs/ }).click();
    await peerRow().waitFor();
    await shoot('08-running');
  });

  it('fits windows from 1024 px wide up, light and dark, with a configured peer and an adapter leg running', async () => {
    const { problems, shots: taken } = await checkLayoutAtWidths(page, '08b-running-layout');
    shots.push(...taken);
    expect(problems).toEqual([]);
  });

  it('reload while running, unsaved: the legs (read-only), the adapter, the MAC table and the events come back', async () => {
    await page.reload();
    await waitConnected();
    await waitStatus('Running');
    await expect.poll(legSubs, POLL).toEqual([vLeg(), wLeg()]);
    expect(await text(page.locator('.header-profile-name'))).toBe('Unsaved setup');
    await page.getByText('The bridge is running: stop it to change the legs.').waitFor();
    expect(await adapterTrigger().isDisabled()).toBe(true);
    expect(await text(adapterTrigger())).toContain(s1.lanIf);
    const macKpi = page.locator('.kpi').filter({ hasText: 'MAC addresses' }).locator('.kpi-value');
    await expect.poll(async () => Number(await text(macKpi)), POLL).toBeGreaterThanOrEqual(2);
    await page.getByRole('tab', { name: /MAC table/ }).click();
    await page
      .getByRole('table', { name: 'MAC table' })
      .getByRole('row')
      .filter({ hasText: await macOf(s2.host, s2.hostIf) })
      .waitFor();
    await page.getByRole('tab', { name: /Events/ }).click();
    await page.getByText('Leg 1 is running', { exact: true }).first().waitFor();
    await page.getByRole('tab', { name: /Remote VTEPs/ }).click();
    expect(await page.getByRole('button', { name: 'Save as…' }).isEnabled()).toBe(true);
  });

  it('saves the setup as a profile', async () => {
    await page.getByRole('button', { name: 'Save as…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill(PROFILE);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await profileRow().waitFor();
    expect(await text(profileRow().locator('.profile-meta'))).toMatch(/^2 legs · /);
    expect(await text(page.locator('.header-profile-name'))).toBe(PROFILE);
    expect(await page.locator('.profiles-panel .badge').filter({ hasText: 'modified' }).count()).toBe(0);
    // On the host's disk, in the data dir it was given.
    const files = jsonFiles(data!.dir).map((f) => JSON.parse(readFileSync(f, 'utf8')) as { name?: string; legs?: string[] });
    expect(files.find((f) => f.name === PROFILE)?.legs).toEqual([vLeg(), wLeg()]);
    await shoot('09-profile-saved');
  });

  it('reload while running: the app reconnects, adopts the running bridge and keeps counting', async () => {
    const url = page.url();
    // Paired: the one-time token left the address bar, the session cookie carries the reload.
    expect(url).not.toMatch(/pair|token/);
    await page.reload();
    await waitConnected();
    await waitStatus('Running');
    await waitLegStates('running', 2);
    // The recent profile is back in the editor.
    await page.locator('.header-profile-name').getByText(PROFILE, { exact: true }).waitFor();
    await expect.poll(legSubs, POLL).toEqual([vLeg(), wLeg()]);
    // Another profile cannot be loaded while the bridge runs.
    expect(await profileRow().locator('.profile-load').isDisabled()).toBe(true);
    await expectPeerCountersMove();
    await shoot('10-reloaded-running');
  });

  it('Stop: the host stops the bridge and s1 releases its socket', async () => {
    await stopTraffic();
    await stopButton().click();
    await waitStatus('Stopped');
    await waitLegStates('stopped', 2);
    const st = await hostInvoke<BridgeSnapshot | null>(page, 'bridge:status');
    expect(st.ok && (st.value === null || st.value.running === false)).toBe(true);
    await expect.poll(() => udpSockets(s1.bridge), POLL).toEqual([]);
    const p = await ping(s1.host, s2.hostIp, { count: 2, intervalS: 0.2, waitS: 1 });
    expect(p.received, 'h1 must not reach h2 with site 1 stopped').toBe(0);
    // Nothing stale on screen: no rate but 0 or —, nothing "new".
    const legend = (await page.locator('.chart-card .legend-item b').allTextContents()).map((v) => v.trim());
    expect(
      legend.every((v) => v === '—'),
      `chart legend after Stop: ${legend.join(', ')}`,
    ).toBe(true);
    expect(await page.locator('.chart-card .legend-peak').count()).toBe(0);
    expect(await text(page.locator('.kpi').filter({ hasText: 'Receive' }).locator('.kpi-value'))).toBe('0 bit/s');
    expect(await text(page.locator('.kpi').filter({ hasText: 'Remote VTEPs' }))).not.toContain('new');
    expect(await text(page.getByRole('tab', { name: /Remote VTEPs/ }))).not.toContain('new');
    expect(await peersTable().locator('.peer-new').count()).toBe(0);
    await shoot('11-stopped');
  });

  it('after a reload, a click in the profile list loads the profile and its legs', async () => {
    await page.reload();
    await waitConnected();
    await waitStatus('Stopped');
    // Start from an empty editor so that the click is what brings the legs.
    await page.getByRole('button', { name: 'New setup' }).click();
    await page.getByText('No legs yet').waitFor();
    expect(await text(page.locator('.header-profile-name'))).toBe('Unsaved setup');

    await profileRow().locator('.profile-load').click();
    await expect.poll(legSubs, POLL).toEqual([vLeg(), wLeg()]);
    expect(await text(page.locator('.header-profile-name'))).toBe(PROFILE);
    expect(await text(legItems().nth(0).locator('.leg-item-title'))).toBe(`VXLAN to ${s2.wanIp}`);
    expect(await text(legItems().nth(1).locator('.leg-item-title'))).toBe(s1.lanIf);
    expect(await text(adapterTrigger())).toContain(s1.lanIf);
    expect(await page.locator('.profiles-panel .badge').filter({ hasText: 'modified' }).count()).toBe(0);
    expect(await startButton().isEnabled()).toBe(true);
    await shoot('12-profile-loaded');
    await expectNothingStarted();
  });

  it('the loaded profile runs the same bridge again, and Stop ends it', async () => {
    await startButton().click();
    await waitStatus('Running');
    await waitLegStates('running', 2);
    await waitForPing(s1.host, s2.hostIp, { timeoutMs: 30_000 });
    startTraffic();
    await expectPeerCountersMove();
    await stopTraffic();
    await stopButton().click();
    await waitStatus('Stopped');
    await expect.poll(() => udpSockets(s1.bridge), POLL).toEqual([]);
    expect(errors, 'console errors / uncaught exceptions in the page').toEqual([]);
  });
});
