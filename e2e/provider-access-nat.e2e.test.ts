// (g) Dynamic VTEPs across real NAT, the way a VPN server and clients behind
// PAT work. P has a public address; A and B sit behind their own NAT routers
// (nftables masquerade with a port range, so source ports are translated).
//
//   s1 (P):  ubdg 5000#V:E@203.0.113.5:0:8000 5000#W:E@lan1        provider
//   s2 (A):  ubdg 5000#V:E@*:203.0.113.5:8000 5000#W:E@lan2        access, behind r2 (203.0.113.11)
//   s3 (B):  ubdg 5000#V:E@*:203.0.113.5:8000 5000#W:E@lan3        access, behind r3 (203.0.113.12)
//
// Checked: P learns A and B from their keepalives alone, at the routers'
// public address and NAT port; every pair of hosts pings (A↔B through P's
// relay); P's LAN host never receives a keepalive; a stranger's datagram on
// the wrong VNI is dropped and counted; when A's NAT mapping changes (new
// masquerade port range, mappings flushed), A's next keepalive makes P learn
// the new IP:port, and once A sends a frame traffic flows both ways again.
// A known limitation is pinned with `it.fails`: until A sends a frame, P
// keeps A's MACs behind the dead mapping (unicast from P's side is lost).
//
// Runs in about 30 s; most of it is waiting for A's next keepalive (20 s
// period, not configurable in the CLI).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killTrackedChildren } from './lib/cleanup.js';
import { ipIn } from './lib/exec.js';
import {
  buildNatTopology,
  conntrackUdp,
  natMapping,
  PROVIDER_PUBLIC_IP,
  remapNat,
  STRANGER_IP,
  type AccessSite,
  type NatTopology,
  type PortRange,
} from './lib/nat-topology.js';
import { ping, waitForPing } from './lib/ping.js';
import { describePings, pingAllPairs } from './lib/scenario.js';
import { Capture } from './lib/tcpdump.js';
import { broadcastFrame, sendUdp, vxlanPacket } from './lib/udp-send.js';
import { findPeer, killAllUbdg, leg, peer, Ubdg, type BridgeSnapshot, type PeerSnapshot } from './lib/ubdg.js';

const VNI = 5000;
const PORT = 8000;
const V = 0;
const W = 1;
const FIRST_RANGE: PortRange = [20000, 20999];
const SECOND_RANGE: PortRange = [30000, 30999];
/** The CLI's keepalive period (not configurable) plus margin for the 1 s sweep and a snapshot. */
const KEEPALIVE_WAIT_MS = 20_000 + 5_000;

describe('ubdg: provider and access VTEPs across real NAT (PAT)', () => {
  let topo: NatTopology | undefined;
  const t = (): NatTopology => {
    if (!topo) throw new Error('topology not built (beforeAll failed?)');
    return topo;
  };
  beforeAll(async () => {
    topo = await buildNatTopology({ tag: 'nat', accessSites: 2, portRange: FIRST_RANGE });
  }, 60_000);
  afterAll(async () => {
    killAllUbdg();
    killTrackedChildren();
    await topo?.destroy();
  }, 60_000);

  let p: Ubdg;
  let a: Ubdg;
  let b: Ubdg;
  let lanCapture: Capture;
  /** "IP:PORT" as P sees each access site, by site number. */
  const seenAs = new Map<number, string>();
  const A = (): AccessSite => t().access[0]!;
  const B = (): AccessSite => t().access[1]!;

  it('P learns A and B from keepalives alone, at their routers’ public address and NAT port', async () => {
    const P = t().provider;
    // Everything P's LAN host receives, from before the bridge starts to the end.
    lanCapture = await Capture.start(P.host, P.hostIf, ['-e', '-Q', 'in']);

    p = new Ubdg(P.bridge, [`${VNI}#V:E@${PROVIDER_PUBLIC_IP}:0:${PORT}`, `${VNI}#W:E@${P.lanIf}`]);
    const s0 = await p.waitRunning();
    expect(leg(s0, V).local).toBe(`${PROVIDER_PUBLIC_IP}:${PORT}`);
    expect(s0.peers, 'a provider starts with no peers').toEqual([]);

    a = new Ubdg(A().bridge, [`${VNI}#V:E@*:${PROVIDER_PUBLIC_IP}:${PORT}`, `${VNI}#W:E@${A().lanIf}`]);
    b = new Ubdg(B().bridge, [`${VNI}#V:E@*:${PROVIDER_PUBLIC_IP}:${PORT}`, `${VNI}#W:E@${B().lanIf}`]);
    const sa = await a.waitRunning();
    const sb = await b.waitRunning();
    for (const s of [sa, sb]) expect(peer(s, `${PROVIDER_PUBLIC_IP}:${PORT}`, V).origin).toBe('configured');

    const s = await p.waitFor(
      (x) => [A(), B()].every((site) => learnedFrom(x, site.router.publicIp).length > 0),
      10_000,
      `learned peers from ${A().router.publicIp} and ${B().router.publicIp}`,
    );
    expect(s.peers.filter((x) => x.leg === V)).toHaveLength(2);
    for (const site of [A(), B()]) {
      const [pe] = learnedFrom(s, site.router.publicIp);
      const port = Number(pe!.address.split(':')[1]);
      // The address is the router's: PAT translated the access leg's ephemeral port.
      const local = leg(site === A() ? sa : sb, V).local!;
      const localPort = Number(local.split(':')[1]);
      const mapped = await natMapping(site.router, site.wanIp, PROVIDER_PUBLIC_IP, PORT);
      console.log(`provider-access-nat: ${site.wanIp}:${localPort} (access leg ${local}) → NAT ${site.router.publicIp}:${mapped} → P sees ${pe!.address}`);
      expect(pe!.origin).toBe('learned');
      expect(port, 'P learned the NAT port').toBe(mapped);
      expect(port).toBeGreaterThanOrEqual(FIRST_RANGE[0]);
      expect(port).toBeLessThanOrEqual(FIRST_RANGE[1]);
      expect(port, 'the NAT did translate the source port').not.toBe(localPort);
      // Keepalives only so far: the peer is known, yet it sent no frame.
      expect(pe!.rxPackets).toBe(0);
      expect(pe!.txPackets).toBe(0);
      seenAs.set(site.n, pe!.address);
    }
    expect(leg(s, V).rxPackets, 'no frame before any LAN traffic').toBe(0);
    expect(leg(s, W).txPackets, 'nothing injected on P’s LAN').toBe(0);
  });

  it('every pair of LAN hosts pings with 0 % loss (A↔B through the provider)', async () => {
    const ps = await pingAllPairs(t().sites);
    console.log(`provider-access-nat: ${describePings(ps)}`);
    for (const x of ps) expect(x.result.received, `h${x.from.n}→h${x.to.n}: ${x.result.output}`).toBe(x.result.transmitted);
  });

  it('P relays A → B: what P receives from A’s peer it sends to B’s peer, not to its LAN', async () => {
    const addrA = seenAs.get(A().n)!;
    const addrB = seenAs.get(B().n)!;
    const before = await p.fresh();
    const COUNT = 20;
    const r = await ping(A().host, B().hostIp, { count: COUNT, intervalS: 0.05 });
    expect(r.received, r.output).toBe(COUNT);
    const tx = (s: BridgeSnapshot, addr: string): number => peer(s, addr, V).txPackets;
    const rx = (s: BridgeSnapshot, addr: string): number => peer(s, addr, V).rxPackets;
    const after = await p.waitFor(
      (s) => tx(s, addrB) - tx(before, addrB) >= COUNT && tx(s, addrA) - tx(before, addrA) >= COUNT,
      10_000,
      `P to relay ≥ ${COUNT} requests to ${addrB} and ≥ ${COUNT} replies to ${addrA}`,
      p.snapshots.length,
    );
    const lanTx = leg(after, W).txPackets - leg(before, W).txPackets;
    console.log(
      `provider-access-nat: A→B ${COUNT} pings: P rx from A +${rx(after, addrA) - rx(before, addrA)}, tx to B +${tx(after, addrB) - tx(before, addrB)}, ` +
        `rx from B +${rx(after, addrB) - rx(before, addrB)}, tx to A +${tx(after, addrA) - tx(before, addrA)}, P LAN +${lanTx}`,
    );
    expect(rx(after, addrA) - rx(before, addrA)).toBeGreaterThanOrEqual(COUNT);
    expect(rx(after, addrB) - rx(before, addrB)).toBeGreaterThanOrEqual(COUNT);
    expect(lanTx, 'known unicast A→B was flooded to P’s LAN').toBeLessThan(COUNT / 2);
    // P knows both hosts' MACs behind the NAT addresses.
    const macA = await macOf(A().host, 'eth0');
    const macB = await macOf(B().host, 'eth0');
    expect(after.macs.find((m) => m.mac === macA)?.peer).toBe(addrA);
    expect(after.macs.find((m) => m.mac === macB)?.peer).toBe(addrB);
  });

  it('a stranger’s datagrams (wrong VNI, not VXLAN) are dropped and counted, and learn nothing', async () => {
    const before = await p.fresh();
    const d0 = leg(before, V).drops;
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, vxlanPacket(VNI + 1, broadcastFrame()));
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, vxlanPacket(VNI, broadcastFrame(), 0x00));
    const after = await p.waitFor(
      (s) => leg(s, V).drops['wrong-vni'] > d0['wrong-vni'] && leg(s, V).drops.malformed > d0.malformed,
      10_000,
      'the wrong-vni and malformed drops counted',
      p.snapshots.length,
    );
    const d1 = leg(after, V).drops;
    expect(d1['wrong-vni'] - d0['wrong-vni']).toBe(1);
    expect(d1.malformed - d0.malformed).toBe(1);
    expect(findPeer(after, STRANGER_IP), 'a stranger was learned as a peer').toBeUndefined();
    expect(after.peers.filter((x) => x.leg === V).map((x) => x.address).sort()).toEqual([...seenAs.values()].sort());
    // Had the frame been bridged, P's LAN host would have received it (ethertype
    // 0x88b5): the LAN capture checked in the last test catches that.
    // Nothing broke.
    const r = await ping(A().host, t().provider.hostIp, { count: 3, intervalS: 0.1 });
    expect(r.received, r.output).toBe(3);
  });

  /** State of the NAT-remap tests. */
  let remap: { oldAddr: string; newAddr: string; wan: Capture } | undefined;

  it('A’s NAT mapping changes: A’s next keepalive, with no LAN traffic, makes P learn the new IP:port', async () => {
    const router = A().router;
    const oldAddr = seenAs.get(A().n)!;
    const flow = { privateSrc: A().wanIp, dst: PROVIDER_PUBLIC_IP, dport: PORT };
    // What crosses the internet segment from now on (logged at the end).
    const wan = await Capture.start(t().internetCapture.ns, t().internetCapture.ifname, ['udp', 'port', String(PORT), 'or', 'icmp']);
    // New port range and flushed mappings: A's next packet leaves with a new port.
    await remapNat(router, SECOND_RANGE, flow);
    const tFlush = Date.now();

    const s = await p
      .waitFor(
        (x) => learnedFrom(x, router.publicIp).some((pe) => pe.address !== oldAddr),
        KEEPALIVE_WAIT_MS,
        `a new peer from ${router.publicIp} (A's next keepalive)`,
        p.snapshots.length,
      )
      .catch(async (e: unknown) => {
        const ct = (await conntrackUdp(router)).map((c) => c.line).join('\n    ');
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n  ${router.ns} conntrack (UDP):\n    ${ct || '(none)'}`);
      });
    const fresh = learnedFrom(s, router.publicIp).find((pe) => pe.address !== oldAddr)!;
    const newPort = Number(fresh.address.split(':')[1]);
    console.log(`provider-access-nat: A's mapping ${oldAddr} flushed; P learned ${fresh.address} ${Date.now() - tFlush} ms later`);
    expect(newPort).toBeGreaterThanOrEqual(SECOND_RANGE[0]);
    expect(newPort).toBeLessThanOrEqual(SECOND_RANGE[1]);
    expect(newPort, 'P learned the new NAT port').toBe(await natMapping(router, flow.privateSrc, flow.dst, flow.dport));
    expect(fresh.rxPackets, 'learned from a keepalive, not a frame').toBe(0);
    remap = { oldAddr, newAddr: fresh.address, wan };
    seenAs.set(A().n, fresh.address);
  });

  // Known limitation of the engine: P learns A's new mapping from the
  // keepalive, but its switch keeps A's MACs behind the old, dead mapping
  // until a frame *from* A moves them (or they age out after 300 s; the old
  // peer stays in the flood list as long). Unicast that P's side starts is
  // sent to the dead mapping; the router answers ICMP port unreachable, which
  // the provider never sees. Without the ARP entry forced below, P's host
  // got through only once its ARP entry failed and it broadcast (measured
  // 8 s, 21 s, > 30 s). When the engine handles this, this test fails: make
  // it a plain `it`.
  it.fails('known limitation: right after the remap, unicast started on P’s side reaches A (within 3 s)', async () => {
    const P = t().provider;
    const { oldAddr } = remap!;
    const macA = await macOf(A().host, 'eth0');
    // As right after any exchange with A's host: P's host has a fresh ARP
    // entry for it, so it sends unicast (no broadcast ARP that would be
    // flooded to the new mapping too). Deterministic, whatever the ARP timers did so far.
    const neighBefore = (await ipIn(P.host, ['neigh', 'show', A().hostIp])).stdout.trim();
    await ipIn(P.host, ['neigh', 'replace', A().hostIp, 'lladdr', macA, 'dev', P.hostIf, 'nud', 'reachable']);
    const before = await p.fresh();
    const r = await ping(P.host, A().hostIp, { count: 10, intervalS: 0.3, waitS: 1 });
    const after = await p.fresh();
    console.log(
      `provider-access-nat: P→A right after the remap (P's ARP entry was: ${neighBefore || 'none'}): ${r.received}/${r.transmitted} replies; ` +
        `P's MAC table has h${A().n} behind ${after.macs.find((m) => m.mac === macA)?.peer}; ` +
        `P sent ${peer(after, oldAddr, V).txPackets - peer(before, oldAddr, V).txPackets} frames to the old mapping ${oldAddr}`,
    );
    expect(r.received).toBeGreaterThan(0);
  });

  it('once A sends a frame, traffic flows both ways again at the new mapping', async () => {
    const P = t().provider;
    const router = A().router;
    const { oldAddr, newAddr, wan } = remap!;
    // A → P: the frame from A moves A's MAC to the new mapping at once.
    const aToPMs = await waitForPing(A().host, P.hostIp, { timeoutMs: 5_000 });
    const r1 = await ping(A().host, P.hostIp, { count: 5, intervalS: 0.1 });
    const r2 = await ping(P.host, A().hostIp, { count: 5, intervalS: 0.1 });
    const r3 = await ping(A().host, B().hostIp, { count: 5, intervalS: 0.1 });
    const r4 = await ping(B().host, A().hostIp, { count: 5, intervalS: 0.1 });
    for (const r of [r1, r2, r3, r4]) expect(r.received, r.output).toBe(5);
    const after = await p.fresh();
    const macA = await macOf(A().host, 'eth0');
    expect(after.macs.find((m) => m.mac === macA)?.peer, 'A’s MAC moved to the new mapping').toBe(newAddr);
    const np = peer(after, newAddr, V);
    expect(np.rxPackets).toBeGreaterThan(0);
    expect(np.txPackets).toBeGreaterThan(0);

    const old = findPeer(after, oldAddr, V);
    const lines = withoutQuotedDatagrams((await wan.stop()).split('\n'));
    const [, oldPort] = oldAddr.split(':');
    const [, newPort] = newAddr.split(':');
    const count = (needle: string): number => lines.filter((l) => l.includes(needle)).length;
    console.log(
      `provider-access-nat: first A→P reply ${aToPMs} ms after the first try; since the flush on the internet segment: ` +
        `P → old mapping ${oldAddr}: ${count(`${PROVIDER_PUBLIC_IP}.${PORT} > ${router.publicIp}.${oldPort}:`)} datagrams ` +
        `(UDP lengths ${JSON.stringify(udpLengths(lines, `${PROVIDER_PUBLIC_IP}.${PORT} > ${router.publicIp}.${oldPort}:`))}), ` +
        `ICMP port ${oldPort} unreachable from the router: ${count(`udp port ${oldPort} unreachable`)}, ` +
        `keepalives from ${newAddr}: ${count(`${router.publicIp}.${newPort} > ${PROVIDER_PUBLIC_IP}.${PORT}: UDP, length 8`)}; ` +
        `old peer ${old ? `still listed (last seen ${after.time - old.lastSeen} ms ago, ages out after 300 s)` : 'gone'}`,
    );
  });

  it('P’s LAN host never received a keepalive (only ARP and the pings; W tx matches)', async () => {
    const s1 = await p.fresh();
    const text = await lanCapture.stop();
    const s2 = await p.fresh();
    const frames = splitFrames(text);
    const other = frames.filter((f) => !/ethertype ARP \(0x0806\)/.test(f) && !/ethertype IPv4 \(0x0800\).*proto ICMP \(1\)/s.test(f));
    console.log(`provider-access-nat: P's host received ${frames.length} frames; P's W leg tx ${leg(s1, W).txPackets}..${leg(s2, W).txPackets}`);
    expect(other, 'frames other than ARP/ICMP reached P’s LAN host').toEqual([]);
    expect(frames.length).toBeGreaterThanOrEqual(leg(s1, W).txPackets);
    expect(frames.length).toBeLessThanOrEqual(leg(s2, W).txPackets);
    // The capture spanned more than one keepalive period of both access sites.
    expect(s2.time - Math.min(...s2.peers.map((x) => x.firstSeen))).toBeGreaterThan(20_000);
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled([p, a, b].map((u) => u.stop()));
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
});

/**
 * tcpdump -v prints the datagram an ICMP error quotes after the error (an IP
 * header line, then its addresses): drop those so that only datagrams really
 * on the wire are counted.
 */
function withoutQuotedDatagrams(lines: readonly string[]): string[] {
  const out: string[] = [];
  let quoting = false;
  for (const l of lines) {
    if (quoting) {
      if (/ > .*: UDP, length \d+/.test(l)) quoting = false;
      continue;
    }
    if (/ICMP .* unreachable, length \d+/.test(l)) quoting = true;
    out.push(l);
  }
  return out;
}

/** UDP payload length → count, over tcpdump lines containing `needle`. */
function udpLengths(lines: readonly string[], needle: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const m = l.includes(needle) ? /UDP, length (\d+)/.exec(l) : null;
    if (m) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  }
  return out;
}

function learnedFrom(s: BridgeSnapshot, ip: string): PeerSnapshot[] {
  return s.peers.filter((x) => x.leg === V && x.origin === 'learned' && x.address.startsWith(`${ip}:`));
}

/** tcpdump -e -v output, one string per frame (continuation lines joined). */
function splitFrames(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d\d:\d\d:\d\d\.\d+ /.test(line)) out.push(line);
    else if (line.trim() !== '' && out.length > 0) out[out.length - 1] += `\n${line}`;
  }
  return out;
}

async function macOf(ns: string, ifname: string): Promise<string> {
  const out = (await ipIn(ns, ['-br', 'link', 'show', ifname])).stdout;
  const m = /([0-9a-f]{2}(?::[0-9a-f]{2}){5})/.exec(out);
  if (!m) throw new Error(`no MAC in: ${out}`);
  return m[1]!;
}
