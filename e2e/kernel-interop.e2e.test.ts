// (d) Interop with the Linux kernel: site 3 is a kernel vxlan device + Linux
// bridge (no ubdg), sites 1 and 2 run ubdg. HER and multicast, on the IANA
// port 4789 and on the Linux legacy port 8472. One case also captures the WAN
// and checks that tcpdump decodes every packet as VXLAN with the right VNI.

import { describe, expect, it } from 'vitest';
import { addKernelVxlanSite, removeKernelVxlanSite } from './lib/kernel-vxlan.js';
import { describePings, pingAllPairs, useTopology } from './lib/scenario.js';
import { Capture, parseVxlanLines } from './lib/tcpdump.js';
import { otherWanIps, type Site, type Topology } from './lib/topology.js';
import { Ubdg } from './lib/ubdg.js';

const VNI = 5000;
const GROUP = '239.1.1.1';

interface Case {
  readonly name: string;
  readonly port: 4789 | 8472;
  readonly mode: 'her' | 'multicast';
  readonly capture?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'HER on port 4789', port: 4789, mode: 'her', capture: true },
  { name: 'HER on port 8472', port: 8472, mode: 'her' },
  { name: 'multicast on port 4789', port: 4789, mode: 'multicast' },
  { name: 'multicast on port 8472', port: 8472, mode: 'multicast' },
];

function ubdgLegs(t: Topology, s: Site, c: Case): string[] {
  const remote = c.mode === 'her' ? otherWanIps(t.sites, s).join('+') : GROUP;
  const port = c.port === 4789 ? '' : `:${c.port}`; // 4789 is the default: leave it implicit
  return [`${VNI}#V:E@${s.wanIp}:${remote}${port}`, `${VNI}#W:E@${s.lanIf}`];
}

describe('ubdg ↔ Linux kernel vxlan', () => {
  const topo = useTopology({ tag: 'kif', sites: 3 });

  for (const c of CASES) {
    it(`${c.name}: every pair pings (sites 1, 2 ubdg; site 3 kernel)`, async () => {
      const t = topo();
      const kernel = t.site(3);
      const bridges: Ubdg[] = [];
      let capture: Capture | undefined;
      try {
        await addKernelVxlanSite(kernel, c.mode === 'her' ? { vni: VNI, port: c.port, peers: otherWanIps(t.sites, kernel) } : { vni: VNI, port: c.port, group: GROUP });
        for (const s of [t.site(1), t.site(2)]) bridges.push(new Ubdg(s.bridge, ubdgLegs(t, s, c)));
        for (const u of bridges) await u.waitRunning();
        if (c.capture) capture = await Capture.start(t.wanCapture.ns, t.wanCapture.ifname, ['udp', 'port', String(c.port)]);

        const ps = await pingAllPairs(t.sites);
        console.log(`kernel-interop ${c.name}: ${describePings(ps)}`);
        for (const p of ps) expect(p.result.received, `h${p.from.n}→h${p.to.n}: ${p.result.output}`).toBe(p.result.transmitted);

        if (capture) {
          const text = await capture.stop();
          capture = undefined;
          checkCapture(text, c.port);
        }
        const stops = await Promise.allSettled(bridges.map((u) => u.stop()));
        for (const r of stops) if (r.status === 'rejected') throw r.reason;
      } finally {
        if (capture) await capture.stop();
        for (const u of bridges) u.kill();
        await removeKernelVxlanSite(kernel);
      }
    });
  }
});

/** Every UDP packet on the port is decoded as VXLAN flags [I] (0x08), vni 5000; all three VTEPs sent some. */
function checkCapture(text: string, port: number): void {
  const lines = parseVxlanLines(text);
  const udpLines = text.split('\n').filter((l) => new RegExp(`\\.${port}: `).test(l) && /> \d/.test(l));
  expect(lines.length, `tcpdump decoded no VXLAN packets:\n${text.slice(0, 2000)}`).toBeGreaterThan(0);
  // Every packet to/from the port was decoded as VXLAN (none as plain UDP or garbage).
  expect(
    lines.length,
    `some packets on port ${port} were not decoded as VXLAN:\n${udpLines
      .filter((l) => !/VXLAN/.test(l))
      .slice(0, 5)
      .join('\n')}`,
  ).toBe(udpLines.length);
  for (const l of lines) {
    expect(l.flags).toBe('[I] (0x08)');
    expect(l.vni).toBe(VNI);
    expect(l.dport).toBe(port);
  }
  const senders = new Set(lines.map((l) => l.src));
  expect([...senders].sort()).toEqual(['10.99.0.1', '10.99.0.2', '10.99.0.3']);
  const sample = text.split('\n').find((l) => /VXLAN, flags \[I\] \(0x08\), vni 5000/.test(l) && /10\.99\.0\.[12]\.\d+ >/.test(l));
  console.log(`kernel-interop tcpdump: ${lines.length} VXLAN packets; a ubdg one: ${sample?.trim()}`);
}
