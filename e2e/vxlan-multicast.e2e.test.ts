// (c) Three sites over VXLAN multicast: BUM to 239.1.1.1 on the WAN bridge
// (multicast snooping off, so the group floods to every site).
//   sN: ubdg 5000#V:E@10.99.0.N:239.1.1.1 5000#W:E@lanN
// No multicast route is added: the bridge host has only 10.99.0.0/24 on wanN,
// so sending to the group works only if ubdg sets IP_MULTICAST_IF (as the
// design says it does).

import { describe, expect, it } from 'vitest';
import { describePings, pingAllPairs, useTopology } from './lib/scenario.js';
import { otherWanIps } from './lib/topology.js';
import { findPeer, Ubdg } from './lib/ubdg.js';

const VNI = 5000;
const GROUP = '239.1.1.1';

describe('ubdg: three sites over VXLAN multicast', () => {
  const topo = useTopology({ tag: 'mc', sites: 3 });
  const bridges: Ubdg[] = [];

  it('starts a bridge in each site on group 239.1.1.1', async () => {
    for (const s of topo().sites) bridges.push(new Ubdg(s.bridge, [`${VNI}#V:E@${s.wanIp}:${GROUP}`, `${VNI}#W:E@${s.lanIf}`]));
    for (const u of bridges) await u.waitRunning();
  });

  it('every pair of hosts pings with 0 % loss', async () => {
    const ps = await pingAllPairs(topo().sites);
    console.log(`vxlan-multicast: ${describePings(ps)}`);
    for (const p of ps) expect(p.result.received, `h${p.from.n}→h${p.to.n}: ${p.result.output}`).toBe(p.result.transmitted);
  });

  it('each bridge learned the other two VTEPs from their traffic', async () => {
    const t = topo();
    for (const [i, u] of bridges.entries()) {
      const others = otherWanIps(t.sites, t.site(i + 1));
      const s = await u.waitFor((x) => others.every((ip) => findPeer(x, ip, 0) !== undefined), 10_000, `peers ${others.join(', ')}`);
      for (const ip of others) expect(findPeer(s, ip, 0)!.origin).toBe('learned');
    }
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled(bridges.map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});
