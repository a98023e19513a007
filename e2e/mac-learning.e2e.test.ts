// (f) MAC learning over HER: once h1 and h2 have talked, unicast between them
// goes only to the peer behind which the destination MAC sits, never flooded
// to the third site.

import { describe, expect, it } from 'vitest';
import { ipIn } from './lib/exec.js';
import { ping, waitForPing } from './lib/ping.js';
import { useTopology } from './lib/scenario.js';
import { otherWanIps } from './lib/topology.js';
import { leg, peer, Ubdg } from './lib/ubdg.js';

const VNI = 5000;
const V = 0;
const BURST = 500;
/** Broadcasts (ARP refreshes and the like) that may legitimately reach site 3 during the burst. */
const SMALL = 20;

describe('ubdg: MAC learning keeps unicast off uninvolved sites', () => {
  const topo = useTopology({ tag: 'mac', sites: 3 });
  const bridges: Ubdg[] = [];

  it('starts three HER bridges; h1 and h2 ping each other', async () => {
    const t = topo();
    for (const s of t.sites) {
      bridges.push(new Ubdg(s.bridge, [`${VNI}#V:E@${s.wanIp}:${otherWanIps(t.sites, s).join('+')}`, `${VNI}#W:E@${s.lanIf}`]));
    }
    for (const u of bridges) await u.waitRunning();
    await waitForPing(t.site(1).host, t.site(2).hostIp);
    await waitForPing(t.site(2).host, t.site(1).hostIp);
  });

  it(`s1 learned h2's MAC behind peer 10.99.0.2`, async () => {
    const t = topo();
    const h2mac = await macOf(t.site(2).host, 'eth0');
    const s = await bridges[0]!.waitFor((x) => x.macs.some((m) => m.mac === h2mac), 10_000, `MAC ${h2mac} in s1's table`);
    const entry = s.macs.find((m) => m.mac === h2mac)!;
    expect(entry.leg).toBe(V);
    expect(entry.peer).toMatch(/^10\.99\.0\.2(:|$)/);
  });

  it(`a unicast burst h1 → h2 (${BURST} pings) goes only to peer 10.99.0.2`, async () => {
    const t = topo();
    const [s1, , s3] = bridges as [Ubdg, Ubdg, Ubdg];
    const before1 = await s1.fresh();
    const before3 = await s3.fresh();

    const r = await ping(t.site(1).host, t.site(2).hostIp, { count: BURST, intervalS: 0.01 });
    expect(r.received, r.output).toBeGreaterThanOrEqual(BURST * 0.95);

    const to2 = (s: Parameters<typeof peer>[0]): number => peer(s, '10.99.0.2', V).txPackets;
    const to3 = (s: Parameters<typeof peer>[0]): number => peer(s, '10.99.0.3', V).txPackets;
    // The counters lag by up to one snapshot: wait until s1 shows the requests it forwarded.
    const after1 = await s1.waitFor((s) => to2(s) - to2(before1) >= r.received, 15_000, `≥ ${r.received} more frames sent to 10.99.0.2`);
    const after3 = await s3.fresh();

    const sentTo3 = to3(after1) - to3(before1);
    const rx3 = leg(after3, V).rxPackets - leg(before3, V).rxPackets;
    console.log(`mac-learning: burst ${BURST}: s1 → 10.99.0.2 +${to2(after1) - to2(before1)}, s1 → 10.99.0.3 +${sentTo3}, s3 V rx +${rx3}`);
    expect(sentTo3, 's1 flooded unicast to 10.99.0.3').toBeLessThan(SMALL);
    expect(rx3, 's3 received the burst').toBeLessThan(SMALL);
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled(bridges.map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});

async function macOf(ns: string, ifname: string): Promise<string> {
  const out = (await ipIn(ns, ['-br', 'link', 'show', ifname])).stdout;
  const m = /([0-9a-f]{2}(?::[0-9a-f]{2}){5})/.exec(out);
  if (!m) throw new Error(`no MAC in: ${out}`);
  return m[1]!;
}
