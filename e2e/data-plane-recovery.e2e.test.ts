// The data plane runs in a process of its own under `ubdg ui` (and Electron's
// utilityProcess in the app), supervised by the process that shows the UI.
// Killed with SIGKILL while traffic flows, it is started again with the same
// legs: the host lives on, says what happened, and ping resumes.
//   s1: ubdg ui (VXLAN leg to s2 + W leg on lan1, started through the host's WebSocket API)
//   s2: ubdg 5000#V:E@… 5000#W:E@lan2 (the CLI, in-process)
// Offloads are off on the host and LAN veths (e2e/lib/offloads.ts).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Background } from './lib/background.js';
import { ping, waitForPing } from './lib/ping.js';
import { FIXTURES } from './lib/repo.js';
import { useTopology } from './lib/scenario.js';
import type { Site } from './lib/topology.js';
import { Ubdg } from './lib/ubdg.js';
import { startUiHost, tempDataDir, type UiHost } from './ui/ui-harness.js';

const vxlan = (self: Site, other: Site) => [`5000#V:E@${self.wanIp}:${other.wanIp}`, `5000#W:E@${self.lanIf}`];

/** Session cookies, one per host: its printed URL works once, so pair once and reuse the cookie. */
const sessions = new WeakMap<UiHost, string>();
function sessionCookie(site: Site, host: UiHost): string {
  let cookie = sessions.get(host);
  if (cookie === undefined) {
    const out = execFileSync('ip', ['netns', 'exec', site.bridge, process.execPath, join(FIXTURES, 'ui-invoke.mjs'), 'pair', host.url], { encoding: 'utf8', timeout: 20_000 });
    cookie = out.trim();
    sessions.set(host, cookie);
  }
  return cookie;
}

/** One call to the host's API, from inside its namespace. */
function invoke(site: Site, host: UiHost, channel: string, args: unknown[] = []): { ok: boolean; value?: unknown; error?: string } {
  const cookie = sessionCookie(site, host);
  const out = execFileSync('ip', ['netns', 'exec', site.bridge, process.execPath, join(FIXTURES, 'ui-invoke.mjs'), host.origin, cookie, channel, JSON.stringify(args)], {
    encoding: 'utf8',
    timeout: 40_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { ok: boolean; value?: unknown; error?: string };
}

/** The data-plane process: the host's child running data-plane-main.js. */
function dataPlanePid(host: UiHost): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-P', String(host.process.pid), '-f', 'data-plane-main.js'], { encoding: 'utf8' }).trim();
    return out === '' ? undefined : Number(out.split('\n')[0]);
  } catch {
    return undefined; // pgrep exits 1 when nothing matches
  }
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ubdg ui: the data-plane process is supervised', () => {
  const topo = useTopology({ tag: 'dpr', sites: 2 });
  const data = tempDataDir();
  let host: UiHost;
  let peer: Ubdg;
  afterAll(async () => {
    await host?.stop();
    data.remove();
  });

  it('runs the bridge in a child process of the host, and h1 pings h2', async () => {
    const [a, b] = topo().sites as [Site, Site];
    host = await startUiHost(a.bridge, data.dir);
    peer = new Ubdg(b.bridge, vxlan(b, a));
    await peer.waitRunning();
    const started = invoke(a, host, 'bridge:start', [vxlan(a, b)]);
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
    expect(dataPlanePid(host)).toBeGreaterThan(0);
    await waitForPing(a.host, b.hostIp);
  });

  it('SIGKILL of the data plane while pinging: the host lives, restarts the bridge, ping resumes', async () => {
    const [a, b] = topo().sites as [Site, Site];
    const before = dataPlanePid(host)!;
    const flood = new Background(a.host, 'ping', ['-i', '0.05', '-w', '20', b.hostIp]); // traffic flowing during the kill
    await new Promise((r) => setTimeout(r, 500));
    process.kill(before, 'SIGKILL');
    const after = await waitFor('a new data-plane process', 15_000, () => {
      const pid = dataPlanePid(host);
      return pid !== undefined && pid !== before ? pid : undefined;
    });
    expect(after).not.toBe(before);
    const status = await waitFor('the bridge running again', 15_000, () => {
      const r = invoke(a, host, 'bridge:status') as { ok: boolean; value: { running: boolean; legs: { state: string }[] } | null };
      return r.ok && r.value?.running && r.value.legs.every((l) => l.state === 'running') ? r.value : undefined;
    });
    expect(status.legs).toHaveLength(2);
    const firstMs = await waitForPing(a.host, b.hostIp, { timeoutMs: 20_000 });
    const r = await ping(a.host, b.hostIp, { count: 10, intervalS: 0.1 });
    console.log(`data-plane-recovery: pid ${before} killed, ${after} took over; first reply ${firstMs} ms after; 10 pings: ${r.lossPct}% loss`);
    expect(r.received, r.output).toBe(10);
    await flood.stop('SIGINT', 25_000);
    expect(host.process.running, 'the UI host is still running').toBe(true);
    expect(host.process.stderr).toMatch(/data plane: The bridge's data-plane process stopped unexpectedly \(killed by SIGKILL\)/);
    expect(host.process.stderr).toMatch(/data plane: The bridge is running again/);
  });

  it('a stop from the UI stops the data-plane process too', async () => {
    expect(invoke(topo().sites[0]!, host, 'bridge:stop')).toMatchObject({ ok: true });
    await waitFor('the data-plane process to exit', 10_000, () => (dataPlanePid(host) === undefined ? true : undefined));
    await peer.stop();
  });
});
