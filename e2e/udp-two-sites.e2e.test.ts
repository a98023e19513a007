// (a) Two sites joined by Ethernet-over-UDP (U legs), one NIC (W) leg each.
//   s1: ubdg 7#U:E@10.99.0.1:40000:10.99.0.2:40000 7#W:E@lan1
//   s2: the mirror. h1 pings h2.

import { describe, expect, it } from 'vitest';
import { ping, waitForPing } from './lib/ping.js';
import { useTopology } from './lib/scenario.js';
import type { Site } from './lib/topology.js';
import { leg, Ubdg } from './lib/ubdg.js';

const PORT = 40000;
const U = 0; // leg ids = position on the command line
const W = 1;

function uLegs(self: Site, other: Site): string[] {
  return [`7#U:E@${self.wanIp}:${PORT}:${other.wanIp}:${PORT}`, `7#W:E@${self.lanIf}`];
}

describe('ubdg: two sites over Ethernet-over-UDP', () => {
  const topo = useTopology({ tag: 'udp', sites: 2 });
  const bridges: Ubdg[] = [];

  it('starts a bridge in each site; every leg reports running', async () => {
    const [a, b] = topo().sites as [Site, Site];
    bridges.push(new Ubdg(a.bridge, uLegs(a, b)), new Ubdg(b.bridge, uLegs(b, a)));
    for (const u of bridges) {
      const s = await u.waitRunning();
      expect(s.legs.map((l) => l.kind)).toEqual(['U', 'W']);
      expect(s.legs.map((l) => l.segment)).toEqual([7, 7]);
    }
  });

  it('h1 pings h2 with 0 % loss once ARP is resolved', async () => {
    const [a, b] = topo().sites as [Site, Site];
    const firstMs = await waitForPing(a.host, b.hostIp);
    const r = await ping(a.host, b.hostIp, { count: 20, intervalS: 0.1 });
    console.log(`udp-two-sites: first reply after ${firstMs} ms; 20 pings: ${r.lossPct}% loss, rtt avg ${r.rtt?.avg} ms`);
    expect(r.received, r.output).toBe(20);
  });

  it('counters move on both legs of both bridges', async () => {
    const [a, b] = topo().sites as [Site, Site];
    const n = 10;
    const r = await ping(a.host, b.hostIp, { count: n, intervalS: 0.05 });
    expect(r.received, r.output).toBe(n);
    // Every request crosses W rx → U tx on s1 and U rx → W tx on s2; replies the other way.
    for (const u of bridges) {
      const s = await u.waitFor((x) => [U, W].every((id) => leg(x, id).rxPackets >= n && leg(x, id).txPackets >= n), 10_000, `rx and tx ≥ ${n} on both legs`);
      for (const id of [U, W]) {
        expect(leg(s, id).rxBytes).toBeGreaterThanOrEqual(n * 98);
        expect(leg(s, id).txBytes).toBeGreaterThanOrEqual(n * 98);
      }
    }
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled(bridges.map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});
