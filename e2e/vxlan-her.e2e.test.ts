// (b) Three sites over VXLAN with head-end replication on a WAN bridge.
//   sN: ubdg 5000#V:E@10.99.0.N:<the other two joined by +> 5000#W:E@lanN

import { describe, expect, it } from 'vitest';
import { describePings, pingAllPairs, useTopology } from './lib/scenario.js';
import { otherWanIps } from './lib/topology.js';
import { leg, peer, Ubdg } from './lib/ubdg.js';

const VNI = 5000;

describe('ubdg: three sites over VXLAN HER', () => {
  const topo = useTopology({ tag: 'her', sites: 3 });
  const bridges: Ubdg[] = [];

  it('starts a bridge in each site with the other two as HER peers', async () => {
    const t = topo();
    for (const s of t.sites) {
      bridges.push(new Ubdg(s.bridge, [`${VNI}#V:E@${s.wanIp}:${otherWanIps(t.sites, s).join('+')}`, `${VNI}#W:E@${s.lanIf}`]));
    }
    for (const [i, u] of bridges.entries()) {
      const s = await u.waitRunning();
      expect(leg(s, 0).kind).toBe('V');
      for (const ip of otherWanIps(t.sites, t.site(i + 1))) expect(peer(s, `${ip}:4789`, 0).origin).toBe('configured');
    }
  });

  it('every pair of hosts pings with 0 % loss', async () => {
    const ps = await pingAllPairs(topo().sites);
    console.log(`vxlan-her: ${describePings(ps)}`);
    for (const p of ps) expect(p.result.received, `h${p.from.n}→h${p.to.n}: ${p.result.output}`).toBe(p.result.transmitted);
  });

  it('each bridge exchanged traffic with both configured peers', async () => {
    const t = topo();
    for (const [i, u] of bridges.entries()) {
      const others = otherWanIps(t.sites, t.site(i + 1));
      await u.waitFor(
        (s) => others.every((ip) => peer(s, `${ip}:4789`, 0).rxPackets > 0 && peer(s, `${ip}:4789`, 0).txPackets > 0),
        10_000,
        `rx and tx from/to ${others.join(', ')}`,
      );
    }
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled(bridges.map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});
