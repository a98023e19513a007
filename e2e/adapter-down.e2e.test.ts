// A captured adapter goes down while bridging (cable pulled, USB NIC removed,
// `ip link set … down`): ubdg must not die with it. The capture module used to
// abort the whole process on this (an assertion in cap 0.2.1's poll callback;
// build/scripts/rebuild-cap.js builds it without assertions). Now the process
// lives on, the tunnel leg keeps receiving, and the failed injects are counted.

import { describe, expect, it } from 'vitest';
import { ipIn } from './lib/exec.js';
import { waitForPing } from './lib/ping.js';
import { useTopology } from './lib/scenario.js';
import type { Site } from './lib/topology.js';
import { leg, Ubdg } from './lib/ubdg.js';

const V = 0;
const W = 1;
const legs = (self: Site, other: Site) => [`5000#V:E@${self.wanIp}:${other.wanIp}`, `5000#W:E@${self.lanIf}`];

describe('ubdg: a bridged adapter goes down while running', () => {
  const topo = useTopology({ tag: 'down', sites: 2 });
  let b1: Ubdg;
  let b2: Ubdg;

  it('bridges two sites', async () => {
    const [s1, s2] = topo().sites as [Site, Site];
    b1 = new Ubdg(s1.bridge, legs(s1, s2));
    b2 = new Ubdg(s2.bridge, legs(s2, s1));
    await b1.waitRunning();
    await b2.waitRunning();
    await waitForPing(s1.host, s2.hostIp);
  });

  it('survives its adapter going down: snapshots go on, the tunnel leg still receives, failed injects are counted', async () => {
    const [s1, s2] = topo().sites as [Site, Site];
    await ipIn(s1.bridge, ['link', 'set', s1.lanIf, 'down']);
    const before = await b1.fresh();
    // h2 keeps asking for h1: the frames reach s1's tunnel leg, and cannot be injected.
    const pinger = ipIn(s2.host, ['neigh', 'flush', 'all']).then(() => waitForPing(s2.host, s1.hostIp, { timeoutMs: 4_000 }).catch(() => undefined));
    const after = await b1.waitFor(
      (s) => leg(s, V).rxPackets > leg(before, V).rxPackets && leg(s, W).drops['send-error'] > leg(before, W).drops['send-error'],
      15_000,
      'tunnel rx and W-leg send errors growing while lan1 is down',
    );
    await pinger;
    expect(b1.running, b1.describe()).toBe(true);
    expect(leg(after, V).state).toBe('running');
    expect(leg(after, W).warnings.join('\n')).toMatch(/lan1: the adapter refused a frame.*restart the bridge/);
    // Still alive a few seconds later, still reporting.
    const t = Date.now();
    await b1.waitFor((s) => s.time >= t + 2_000, 10_000, 'snapshots 2 s later');
    expect(b1.running).toBe(true);
  });

  it('stops cleanly afterwards', async () => {
    await b1.stop();
    await b2.stop();
  });
});
