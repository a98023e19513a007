// (e) TCP across two sites over VXLAN (HER): iperf3 for a few seconds, and a
// 32 MiB pseudo-random transfer h1 → h2 compared by SHA-256 on both ends.

import { describe, expect, it } from 'vitest';
import { blastResult, startBlastReceiver, startBlastSender } from './lib/fixtures.js';
import { iperfClient, startIperfServer } from './lib/iperf.js';
import { waitForPing } from './lib/ping.js';
import { useTopology } from './lib/scenario.js';
import type { Site } from './lib/topology.js';
import { legOfKind, Ubdg } from './lib/ubdg.js';

const VNI = 5000;
const BYTES = 32 * 1024 * 1024;
const IPERF_SECONDS = 5;

describe('ubdg: TCP over VXLAN between two sites', () => {
  const topo = useTopology({ tag: 'tcp', sites: 2 });
  const bridges: Ubdg[] = [];

  it('starts both bridges; h1 reaches h2', async () => {
    const [a, b] = topo().sites as [Site, Site];
    bridges.push(
      new Ubdg(a.bridge, [`${VNI}#V:E@${a.wanIp}:${b.wanIp}`, `${VNI}#W:E@${a.lanIf}`]),
      new Ubdg(b.bridge, [`${VNI}#V:E@${b.wanIp}:${a.wanIp}`, `${VNI}#W:E@${b.lanIf}`]),
    );
    for (const u of bridges) await u.waitRunning();
    await waitForPing(a.host, b.hostIp);
  });

  it(`iperf3 TCP h1 → h2 for ${IPERF_SECONDS} s completes`, async () => {
    const [a, b] = topo().sites as [Site, Site];
    const server = await startIperfServer(b.host, b.hostIp);
    try {
      const r = await iperfClient(a.host, b.hostIp, { seconds: IPERF_SECONDS });
      console.log(
        `tcp-transfer: iperf3 TCP h1→h2 over ubdg VXLAN: ${r.receivedMbps.toFixed(1)} Mbit/s received ` + `(${r.sentMbps.toFixed(1)} sent, ${r.retransmits} retransmits)`,
      );
      expect(r.receivedMbps).toBeGreaterThan(0);
    } finally {
      server.kill();
    }
  });

  it('32 MiB of pseudo-random bytes arrive intact (SHA-256 equal on both ends)', async () => {
    const [a, b] = topo().sites as [Site, Site];
    const port = 9000;
    const rx = await startBlastReceiver(b.host, b.hostIp, port);
    const tx = startBlastSender(a.host, b.hostIp, port, BYTES);
    const t0 = Date.now();
    try {
      const [sent, got] = await Promise.all([blastResult(tx, 100_000), blastResult(rx, 100_000)]);
      const s = (Date.now() - t0) / 1000;
      console.log(`tcp-transfer: 32 MiB in ${s.toFixed(1)} s (${((BYTES * 8) / s / 1e6).toFixed(1)} Mbit/s), sha256 ${got.sha256}`);
      expect(sent.bytes).toBe(BYTES);
      expect(got.bytes).toBe(BYTES);
      expect(got.sha256).toBe(sent.sha256);
    } finally {
      tx.kill();
      rx.kill();
    }
  });

  it('no frame was dropped as oversize (offloads are off, MTU 1400 fits the tunnel)', async () => {
    for (const u of bridges) {
      const s = await u.fresh();
      expect(legOfKind(s, 'W').drops.oversize).toBe(0);
    }
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled(bridges.map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});
