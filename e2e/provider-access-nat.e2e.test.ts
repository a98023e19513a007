// (g) Dynamic VTEPs across real NAT, the way a VPN server and clients behind
// PAT work. P has a public address; A and B sit behind their own NAT routers
// (nftables masquerade with a port range, so source ports are translated).
// Plain legs (no key). Offloads: off on the hosts' eth0 and the bridges' LAN
// ports (lib/offloads.ts); on (veth defaults) on the WAN/internet veths, where
// only ubdg's UDP datagrams travel.
//
//   s1 (P):  ubdg 5000#V:E@203.0.113.5:0:8000 5000#W:E@lan1                       provider
//   s2 (A):  ubdg --keepalive 3 5000#V:E@*:203.0.113.5:8000 5000#W:E@lan2         access, behind r2 (203.0.113.11)
//   s3 (B):  ubdg --keepalive 3 5000#V:E@*:203.0.113.5:8000 5000#W:E@lan3         access, behind r3 (203.0.113.12)
//
// Checked: P learns A and B from their keepalives alone, at the routers'
// public address and NAT port, and only once each proved with a cookie that
// it receives there (first keepalive: no cookie → P answers one cookie → the
// access leg sends a second keepalive at once, carrying it); every pair of
// hosts pings (A↔B through P's relay); a stranger's datagram on the wrong VNI
// is dropped and counted, and a stranger's keepalive gets one cookie, is
// counted 'unverified' and learns nothing; when A's NAT mapping changes (new
// masquerade port range, mappings flushed), A's next keepalive (same VTEP id,
// new IP:port, the old mapping's cookie) is answered with a new cookie, and
// the keepalive that carries it makes P *move* A's peer record there: the old
// address is gone, one entry, counters and first-seen are kept, A's MACs
// follow, P prints "remote VTEP moved", and unicast started on P's side
// reaches A at once, before A sends any frame; nothing is sent to the dead
// mapping. On the wire every keepalive is a 40-byte control packet
// (electron/engine/codec/control.ts: flags 0x00 = VXLAN I flag clear, 0xC1,
// type 1, VNI, period 3 s, a per-VTEP id that survives the remap, a nonce new
// in every keepalive, cookie), P sends only 40-byte cookies (type 2) that echo
// the nonce of the keepalive they answer, one per unverified address, and P's
// LAN host never receives a control packet. Once A's ubdg stops, P forgets A
// (peer and MACs) after 3 silent keepalive periods, not the 300 s ageing.
//
// Runs in about 50 s: the access sites' keepalive period is 3 s (--keepalive),
// so the remap is noticed within ~4 s and A expires ~15 s after its last one.

import { describe, expect, it } from 'vitest';
import { ipIn } from './lib/exec.js';
import { buildNatTopology, conntrackUdp, natMapping, PROVIDER_PUBLIC_IP, remapNat, STRANGER_IP, type AccessSite, type NatTopology, type PortRange } from './lib/nat-topology.js';
import { ping } from './lib/ping.js';
import { describePings, pingAllPairs, useBuilt } from './lib/scenario.js';
import { Capture } from './lib/tcpdump.js';
import { broadcastFrame, sendUdp, vxlanPacket } from './lib/udp-send.js';
import { findPeer, leg, peer, Ubdg, type BridgeSnapshot, type PeerSnapshot } from './lib/ubdg.js';
import { delay, waitUntil } from './lib/wait.js';
import { CONTROL_COOKIE, CONTROL_KEEPALIVE, CONTROL_LEN, CONTROL_MARKER, controlKeepalive, decodeControl, parseHexCapture, type Datagram } from './lib/wire.js';

const VNI = 5000;
const PORT = 8000;
const V = 0;
const W = 1;
const FIRST_RANGE: PortRange = [20000, 20999];
const SECOND_RANGE: PortRange = [30000, 30999];
/** Access sites' keepalive period (ubdg --keepalive; the default is 20 s). */
const KEEPALIVE_S = 3;
const KEEPALIVE_MS = KEEPALIVE_S * 1000;
/** A learned VTEP that announced its period is forgotten after this many silent periods (engine). */
const PERIODS_TO_EXPIRE = 3;
/** Announced periods below this count as this for expiry (engine: no churn on tiny periods). */
const MIN_EXPIRY_PERIOD_MS = 5_000;
/** How long P keeps a silent access VTEP. */
const EXPIRE_MS = PERIODS_TO_EXPIRE * Math.max(MIN_EXPIRY_PERIOD_MS, KEEPALIVE_MS);
/** Cookie bytes of a keepalive from a VTEP that has none yet. */
const NO_COOKIE = '00'.repeat(16);
/**
 * Time until an access site's next keepalive: the period, + 1 s because the
 * 1 s sweep may send it one sweep late, + margin for the snapshot (1 s) and load.
 */
const KEEPALIVE_WAIT_MS = KEEPALIVE_MS + 1_000 + 3_000;
const ACCESS_ARGS = ['--keepalive', String(KEEPALIVE_S), `${VNI}#V:E@*:${PROVIDER_PUBLIC_IP}:${PORT}`];

describe('ubdg: provider and access VTEPs across real NAT (PAT)', () => {
  const t: () => NatTopology = useBuilt(() => buildNatTopology({ tag: 'nat', accessSites: 2, portRange: FIRST_RANGE }));

  let p: Ubdg;
  let a: Ubdg;
  let b: Ubdg;
  let lanCapture: Capture;
  /** Every datagram to or from P's VXLAN port on the internet segment, hex included, from before A and B start. */
  let portCapture: Capture;
  /** "IP:PORT" as P sees each access site, by site number. */
  const seenAs = new Map<number, string>();
  const A = (): AccessSite => t().access[0]!;
  const B = (): AccessSite => t().access[1]!;

  it('P learns A and B from keepalives alone, at their routers’ public address and NAT port', async () => {
    const P = t().provider;
    // Everything P's LAN host receives, from before the bridge starts to the end.
    lanCapture = await Capture.start(P.host, P.hostIf, ['-e', '-Q', 'in']);
    portCapture = await Capture.start(t().internetCapture.ns, t().internetCapture.ifname, ['-tt', '-x', 'udp', 'port', String(PORT)]);

    p = new Ubdg(P.bridge, [`${VNI}#V:E@${PROVIDER_PUBLIC_IP}:0:${PORT}`, `${VNI}#W:E@${P.lanIf}`]);
    const s0 = await p.waitRunning();
    expect(leg(s0, V).local).toBe(`${PROVIDER_PUBLIC_IP}:${PORT}`);
    expect(s0.peers, 'a provider starts with no peers').toEqual([]);

    a = new Ubdg(A().bridge, [...ACCESS_ARGS, `${VNI}#W:E@${A().lanIf}`]);
    b = new Ubdg(B().bridge, [...ACCESS_ARGS, `${VNI}#W:E@${B().lanIf}`]);
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
      expect(pe!.verified, 'learned only once it returned P’s cookie').toBe(true);
      expect(pe!.session, 'a plain leg has no session').toBeUndefined();
      expect(port, 'P learned the NAT port').toBe(mapped);
      expect(port).toBeGreaterThanOrEqual(FIRST_RANGE[0]);
      expect(port).toBeLessThanOrEqual(FIRST_RANGE[1]);
      expect(port, 'the NAT did translate the source port').not.toBe(localPort);
      // Keepalives only so far: the peer is known, yet it sent no frame.
      expect(pe!.rxPackets).toBe(0);
      expect(pe!.txPackets).toBe(0);
      seenAs.set(site.n, pe!.address);
    }
    // Each access leg's first keepalive carried no cookie: unverified, answered with one.
    expect(leg(s, V).drops.unverified, 'first keepalives of A and B (no cookie yet)').toBe(2);
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

  it('a stranger’s datagrams (wrong VNI, not VXLAN, a keepalive without cookie, A’s keepalive replayed) are dropped and counted, and learn or move nothing', async () => {
    // A's latest keepalive that carried a cookie, as captured on the internet segment.
    const addrA = seenAs.get(A().n)!;
    const aKeepalives = parseHexCapture(portCapture.text).filter(
      (d) => d.src === addrA && d.payload.length === CONTROL_LEN && decodeControl(d.payload).type === CONTROL_KEEPALIVE && decodeControl(d.payload).cookie !== NO_COOKIE,
    );
    expect(aKeepalives.length, 'A’s keepalives with a cookie in the capture').toBeGreaterThan(0);
    const replayed = aKeepalives[aKeepalives.length - 1]!.payload;
    const before = await p.fresh();
    const d0 = leg(before, V).drops;
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, vxlanPacket(VNI + 1, broadcastFrame()));
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, vxlanPacket(VNI, broadcastFrame(), 0x00));
    // A keepalive of the stranger's own (no cookie), and a replay of A's (A's VTEP id and A's cookie, which is bound to A's address).
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, controlKeepalive(VNI, KEEPALIVE_S, 0x5eed0001));
    await sendUdp(t().stranger, STRANGER_IP, PROVIDER_PUBLIC_IP, PORT, replayed);
    const after = await p.waitFor(
      (s) => leg(s, V).drops['wrong-vni'] > d0['wrong-vni'] && leg(s, V).drops.malformed > d0.malformed && leg(s, V).drops.unverified >= d0.unverified + 2,
      10_000,
      'the wrong-vni, malformed and unverified drops counted',
      p.snapshots.length,
    );
    const d1 = leg(after, V).drops;
    console.log(`provider-access-nat: stranger's datagrams: drops ${JSON.stringify(d0)} → ${JSON.stringify(d1)}; replayed A's keepalive ${replayed.toString('hex')}`);
    expect(d1['wrong-vni'] - d0['wrong-vni']).toBe(1);
    expect(d1.malformed - d0.malformed).toBe(1);
    expect(d1.unverified - d0.unverified, 'the two keepalives whose cookie is not for the stranger’s address').toBe(2);
    expect(peer(after, addrA, V).address, 'A’s peer stayed where it is').toBe(addrA);
    expect(findPeer(after, STRANGER_IP), 'a stranger was learned as a peer').toBeUndefined();
    expect(
      after.peers
        .filter((x) => x.leg === V)
        .map((x) => x.address)
        .sort(),
    ).toEqual([...seenAs.values()].sort());
    // Had the frame been bridged, P's LAN host would have received it (ethertype
    // 0x88b5): the LAN capture checked later catches that.
    // Nothing broke.
    const r = await ping(A().host, t().provider.hostIp, { count: 3, intervalS: 0.1 });
    expect(r.received, `${r.output}\n${await legCounters({ P: p, A: a })}`).toBe(3);
  });

  /** State of the NAT-remap tests. */
  let remap: { oldAddr: string; newAddr: string; wan: Capture; moved: PeerSnapshot } | undefined;

  it('A’s NAT mapping changes: A’s next keepalive, with no LAN traffic, moves A’s peer on P to the new IP:port (same record, MACs follow)', async () => {
    const router = A().router;
    const oldAddr = seenAs.get(A().n)!;
    const addrB = seenAs.get(B().n)!;
    const macA = await macOf(A().host, 'eth0');
    const macB = await macOf(B().host, 'eth0');
    const flow = { privateSrc: A().wanIp, dst: PROVIDER_PUBLIC_IP, dport: PORT };
    // From here on the hosts send nothing by themselves: with static ARP
    // entries no ARP probe (a host sends one ~5 s after reusing a stale entry)
    // crosses the bridges, so A's only packets are keepalives and "A sent no
    // frame" below is exact. It also makes P's host send unicast to A at once
    // in the next test (no broadcast ARP, which would be flooded to every
    // peer and hide a MAC left behind the dead mapping).
    await pinArp(t().sites);
    await delay(300);
    const before = await p.fresh();
    const old = peer(before, oldAddr, V);
    // The pings above went through A's peer: its counters are not zero, so "kept" below means something.
    expect(old.rxPackets).toBeGreaterThan(0);
    expect(old.txPackets).toBeGreaterThan(0);
    expect(before.macs.find((m) => m.mac === macA)?.peer).toBe(oldAddr);
    const stderrFrom = p.stderr.length;
    // What crosses the internet segment from now on.
    const wan = await Capture.start(t().internetCapture.ns, t().internetCapture.ifname, ['udp', 'port', String(PORT), 'or', 'icmp']);
    // New port range and flushed mappings: A's next packet leaves with a new port.
    await remapNat(router, SECOND_RANGE, flow);
    const tFlush = Date.now();

    const s = await p
      .waitFor(
        (x) => findPeer(x, oldAddr, V) === undefined || learnedFrom(x, router.publicIp).some((pe) => pe.address !== oldAddr),
        KEEPALIVE_WAIT_MS,
        `A's peer to leave ${oldAddr} (A's next keepalive)`,
        p.snapshots.length,
      )
      .catch(async (e: unknown) => {
        const ct = (await conntrackUdp(router)).map((c) => c.line).join('\n    ');
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n  ${router.ns} conntrack (UDP):\n    ${ct || '(none)'}\n  P's stderr: ${p.stderr}`);
      });
    const fromA = learnedFrom(s, router.publicIp);
    expect(
      fromA.map((x) => x.address),
      `exactly one peer at ${router.publicIp}, not at the old mapping ${oldAddr}`,
    ).toHaveLength(1);
    const moved = fromA[0]!;
    const newAddr = moved.address;
    const newPort = Number(newAddr.split(':')[1]);
    console.log(
      `provider-access-nat: A's mapping ${oldAddr} flushed; ${s.time - tFlush} ms later P has A at ${newAddr} ` +
        `(first seen ${moved.firstSeen} was ${old.firstSeen}; rx ${old.rxPackets}→${moved.rxPackets}, tx ${old.txPackets}→${moved.txPackets} packets)`,
    );
    expect(findPeer(s, oldAddr, V), 'the old mapping is no longer a peer').toBeUndefined();
    expect(
      s.peers
        .filter((x) => x.leg === V)
        .map((x) => x.address)
        .sort(),
    ).toEqual([newAddr, addrB].sort());
    expect(newAddr).not.toBe(oldAddr);
    expect(newPort).toBeGreaterThanOrEqual(SECOND_RANGE[0]);
    expect(newPort).toBeLessThanOrEqual(SECOND_RANGE[1]);
    expect(newPort, 'P moved A to the new NAT port').toBe(await natMapping(router, flow.privateSrc, flow.dst, flow.dport));
    // The same record moved: first seen and counters kept, not a new peer.
    expect(moved.origin).toBe('learned');
    expect(moved.firstSeen, 'first seen kept (same peer record)').toBe(old.firstSeen);
    expect(moved.rxPackets, 'rx counters kept; and A sent no frame: the keepalive moved it').toBe(old.rxPackets);
    expect(moved.rxBytes).toBe(old.rxBytes);
    expect(moved.txPackets, 'tx counters kept').toBe(old.txPackets);
    expect(moved.txBytes).toBe(old.txBytes);
    expect(moved.lastSeen, 'refreshed by the keepalive from the new mapping').toBeGreaterThanOrEqual(tFlush);
    // A's MAC followed the peer, although no frame came from A since.
    expect(s.macs.find((m) => m.mac === macA)?.peer, 'A’s MAC moved with its peer').toBe(newAddr);
    expect(s.macs.find((m) => m.mac === macB)?.peer).toBe(addrB);
    expect(
      s.macs.filter((m) => m.peer === oldAddr),
      'MACs left behind the dead mapping',
    ).toEqual([]);

    // ubdg says so on stderr, once.
    const movedLine = `remote VTEP moved from ${oldAddr} to ${newAddr} (its NAT mapping changed)`;
    await waitUntil(() => p.stderr.slice(stderrFrom).includes(movedLine), { timeoutMs: 3_000, what: `"${movedLine}" on P's stderr` }).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}; P's stderr since the flush:\n${p.stderr.slice(stderrFrom)}`);
    });
    const lines = p.stderr
      .slice(stderrFrom)
      .split('\n')
      .filter((l) => l.trim() !== '');
    console.log(`provider-access-nat: P's stderr since the flush:\n  ${lines.join('\n  ')}`);
    expect(lines.filter((l) => l.includes('moved from'))).toHaveLength(1);
    expect(
      lines.filter((l) => l.includes('expired')),
      'nothing expired',
    ).toEqual([]);

    remap = { oldAddr, newAddr, wan, moved };
    seenAs.set(A().n, newAddr);
  });

  it('right after the move, unicast started on P’s side reaches A at once (A sent no frame first)', async () => {
    const P = t().provider;
    const { newAddr, moved } = remap!;
    const macA = await macOf(A().host, 'eth0');
    // P's host has a static ARP entry for A's host (previous test): its first
    // ping is unicast to A's MAC, which P's switch sends wherever A's MAC sits.
    const neighBefore = (await ipIn(P.host, ['neigh', 'show', A().hostIp])).stdout.trim();
    const before = await p.fresh();
    const pa = peer(before, newAddr, V);
    expect(pa.rxPackets, 'A sent a frame since the move').toBe(moved.rxPackets);
    expect(before.macs.find((m) => m.mac === macA)?.peer).toBe(newAddr);
    const COUNT = 10;
    const r = await ping(P.host, A().hostIp, { count: COUNT, intervalS: 0.2, waitS: 1 });
    const after = await p.fresh();
    const txA = peer(after, newAddr, V).txPackets - pa.txPackets;
    const rxA = peer(after, newAddr, V).rxPackets - pa.rxPackets;
    console.log(
      `provider-access-nat: P→A right after the move (P's ARP entry was: ${neighBefore || 'none'}): ${r.received}/${r.transmitted} replies, ` +
        `rtt ${r.rtt ? `${r.rtt.min}/${r.rtt.avg}/${r.rtt.max} ms` : '-'}; P sent ${txA} frames to ${newAddr}, received ${rxA}`,
    );
    expect(r.received, `${r.output}\n${await legCounters({ P: p, A: a })}`).toBe(COUNT);
    expect(txA).toBeGreaterThanOrEqual(COUNT);
    expect(rxA).toBeGreaterThanOrEqual(COUNT);
    expect(after.macs.find((m) => m.mac === macA)?.peer).toBe(newAddr);
  });

  it('traffic flows every way at the new mapping; nothing goes to the dead one; control packets on the wire are 40 bytes', async () => {
    const P = t().provider;
    const router = A().router;
    const { oldAddr, newAddr, wan } = remap!;
    const r1 = await ping(A().host, P.hostIp, { count: 5, intervalS: 0.1 });
    const r2 = await ping(P.host, A().hostIp, { count: 5, intervalS: 0.1 });
    const r3 = await ping(A().host, B().hostIp, { count: 5, intervalS: 0.1 });
    const r4 = await ping(B().host, A().hostIp, { count: 5, intervalS: 0.1 });
    for (const r of [r1, r2, r3, r4]) expect(r.received, `${r.output}\n${await legCounters({ P: p, A: a, B: b })}`).toBe(5);
    const after = await p.fresh();
    const macA = await macOf(A().host, 'eth0');
    expect(after.macs.find((m) => m.mac === macA)?.peer).toBe(newAddr);
    expect(findPeer(after, oldAddr, V)).toBeUndefined();

    const lines = withoutQuotedDatagrams((await wan.stop()).split('\n'));
    const [, oldPort] = oldAddr.split(':');
    const [, newPort] = newAddr.split(':');
    const count = (needle: string): number => lines.filter((l) => l.includes(needle)).length;
    const toOld = `${PROVIDER_PUBLIC_IP}.${PORT} > ${router.publicIp}.${oldPort}:`;
    const fromNew = `${router.publicIp}.${newPort} > ${PROVIDER_PUBLIC_IP}.${PORT}:`;
    const toNew = `${PROVIDER_PUBLIC_IP}.${PORT} > ${router.publicIp}.${newPort}:`;
    const keepalivesFromNew = count(`${fromNew} UDP, length ${CONTROL_LEN}`);
    const cookiesToNew = count(`${toNew} UDP, length ${CONTROL_LEN}`);
    console.log(
      `provider-access-nat: since the flush on the internet segment: P → old mapping ${oldAddr}: ${count(toOld)} datagrams, ` +
        `ICMP port ${oldPort} unreachable: ${count(`udp port ${oldPort} unreachable`)}, ` +
        `from the new mapping ${newAddr}: UDP lengths ${JSON.stringify(udpLengths(lines, fromNew))} (${keepalivesFromNew} keepalives), ` +
        `to it: ${JSON.stringify(udpLengths(lines, toNew))} (${cookiesToNew} cookies)`,
    );
    expect(count(toOld), 'P sent datagrams to the dead mapping').toBe(0);
    expect(count(`udp port ${oldPort} unreachable`)).toBe(0);
    // The first from the new mapping (old cookie) and the one at once with the new cookie, at least.
    expect(keepalivesFromNew, 'A’s keepalives from the new mapping').toBeGreaterThanOrEqual(2);
    expect(cookiesToNew, 'P’s cookies to the new mapping: one, for the keepalive with the old mapping’s cookie').toBe(1);
    expect(
      lines.filter((l) => /UDP, length (8|20|32)$/.test(l)),
      'old-style keepalives (a bare 8-byte VXLAN header, VXLAN + VXBK, the 32-byte control packet without nonce)',
    ).toEqual([]);
  });

  it('on the wire: 40-byte control packets (I flag clear, 0xC1, VNI, period, VTEP id kept across A’s remap, a new nonce each); P sends only cookies, one per unverified address, echoing the keepalive’s nonce; the access leg returns each at once', async () => {
    const router = A().router;
    const { oldAddr, newAddr } = remap!;
    const addrB = seenAs.get(B().n)!;
    const dgrams = parseHexCapture(await portCapture.stop());
    const toP = dgrams.filter((d) => d.dst === `${PROVIDER_PUBLIC_IP}:${PORT}`);
    const fromP = dgrams.filter((d) => d.src === `${PROVIDER_PUBLIC_IP}:${PORT}`);
    type Ctl = Datagram & { readonly k: ReturnType<typeof decodeControl> };
    const kas: Ctl[] = toP.filter((d) => d.payload.length === CONTROL_LEN).map((d) => ({ ...d, k: decodeControl(d.payload) }));
    const cookies: Ctl[] = fromP.filter((d) => d.payload.length <= CONTROL_LEN).map((d) => ({ ...d, k: decodeControl(d.payload) }));
    const by = (xs: readonly Ctl[], prefix: string) => xs.filter((d) => d.src.startsWith(prefix));
    const fromA = by(kas, `${router.publicIp}:`);
    const fromB = by(kas, `${B().router.publicIp}:`);
    const fromStranger = by(kas, `${STRANGER_IP}:`);
    const ids = (xs: readonly Ctl[]) => [...new Set(xs.map((d) => d.k.vtepId))];
    const fmt = (xs: readonly Ctl[]) => [...new Set(xs.map((d) => `${d.src}×${xs.filter((y) => y.src === d.src).length}`))].join(', ');
    const cookieTo = (addr: string) => cookies.filter((d) => d.dst === addr);
    const kasFrom = (addr: string) => kas.filter((d) => d.src === addr);
    // Periodic keepalives only: from the second on (the first had no valid cookie, the second answered P's cookie at once).
    const gapsA = gaps(
      kasFrom(newAddr)
        .slice(1)
        .map((d) => d.time),
    );
    const gapsB = gaps(
      kasFrom(addrB)
        .slice(1)
        .map((d) => d.time),
    );
    console.log(
      `provider-access-nat: ${dgrams.length} datagrams on port ${PORT}; keepalives to P: A ${fmt(fromA)} id ${ids(fromA).map(hex32).join(',')}, ` +
        `B ${fmt(fromB)} id ${ids(fromB).map(hex32).join(',')}, stranger ${fmt(fromStranger)}; cookies from P: ${[...new Set(cookies.map((d) => d.dst))].map((x) => `${x}×${cookieTo(x).length}`).join(', ')}; ` +
        `intervals (s) A ${gapsA.map((g) => (g / 1000).toFixed(2)).join(' ')}, B ${gapsB.map((g) => (g / 1000).toFixed(2)).join(' ')}; ` +
        `first keepalive: ${kas[0]?.payload.toString('hex')}, first cookie: ${cookies[0]?.payload.toString('hex')}`,
    );
    expect(
      toP.filter((d) => d.payload.length < CONTROL_LEN).map((d) => `${d.src} ${d.payload.toString('hex')}`),
      'short datagrams to P (old 8- or 20-byte keepalive?)',
    ).toEqual(
      // The stranger's two frames are longer; nothing is shorter than a control packet.
      [],
    );
    for (const d of kas) {
      expect(d.k.flags, `${d.src}: flags (VXLAN I flag clear)`).toBe(0x00);
      expect(d.k.marker, `${d.src}: marker`).toBe(CONTROL_MARKER);
      expect(d.k.type, `${d.src}: keepalive`).toBe(CONTROL_KEEPALIVE);
      expect(d.k.reserved3).toBe(0);
      expect(d.k.reserved7).toBe(0);
      expect(d.k.vni, `${d.src}: VNI`).toBe(VNI);
      expect(d.k.periodS, `${d.src}: announced period`).toBe(KEEPALIVE_S);
      expect(d.k.zero10).toBe(0);
    }
    const own = [...fromA, ...fromB];
    expect(new Set(own.map((d) => d.k.nonce)).size, 'a new nonce in every keepalive of A and B').toBe(own.length);
    for (const d of cookies) {
      expect(d.k.flags, `cookie to ${d.dst}: flags`).toBe(0x00);
      expect(d.k.marker).toBe(CONTROL_MARKER);
      expect(d.k.type, `P sent something else than a cookie to ${d.dst}: ${d.payload.toString('hex')}`).toBe(CONTROL_COOKIE);
      expect(d.k.vni).toBe(VNI);
      expect(d.k.cookieZeros, 'bytes 16..23 of a cookie packet').toBe('00'.repeat(8));
      expect(d.k.cookie).not.toBe(NO_COOKIE);
    }
    expect(fromA.some((d) => d.src === oldAddr) && fromA.some((d) => d.src === newAddr), 'A’s keepalives from both mappings').toBe(true);
    expect(fromA.every((d) => d.src === oldAddr || d.src === newAddr)).toBe(true);
    expect(ids(fromA), 'one VTEP id for A, before and after the remap').toHaveLength(1);
    expect(ids(fromB)).toHaveLength(1);
    expect(ids(fromB)[0], 'A and B have different VTEP ids').not.toBe(ids(fromA)[0]);
    expect(new Set(fromB.map((d) => d.src)).size, 'B’s mapping never changed').toBe(1);
    expect(fromB[0]!.src).toBe(addrB);
    expect(kas.length, `every ${CONTROL_LEN}-byte datagram to P is from A, B or the stranger`).toBe(fromA.length + fromB.length + fromStranger.length);
    expect(fromStranger, 'the stranger’s two keepalives').toHaveLength(2);

    // One cookie per address that sent a keepalive without a valid cookie, none more.
    expect(cookies.length, 'cookies: A old, A new, B, and the stranger’s two sources').toBe(5);
    for (const x of fromStranger) {
      expect(cookieTo(x.src), `cookie to the stranger’s ${x.src}`).toHaveLength(1);
      expect(cookieTo(x.src)[0]!.k.nonce).toBe(x.k.nonce);
    }
    // The handshake at each mapping: keepalive without a valid cookie → one cookie → the next keepalive carries it, at once.
    const oldCookie = cookieTo(oldAddr)[0]?.k.cookie;
    for (const [addr, firstCookie] of [
      [oldAddr, NO_COOKIE],
      [addrB, NO_COOKIE],
      [newAddr, oldCookie],
    ] as const) {
      const cs = cookieTo(addr);
      expect(cs, `cookies to ${addr}`).toHaveLength(1);
      const cookie = cs[0]!;
      const ks = kasFrom(addr);
      expect(ks[0]!.k.cookie, `${addr}: the first keepalive’s cookie (none yet, or the old mapping’s)`).toBe(firstCookie);
      expect(cookie.k.nonce, `${addr}: the cookie echoes the nonce of the keepalive it answers`).toBe(ks[0]!.k.nonce);
      expect(ks[0]!.time).toBeLessThanOrEqual(cookie.time);
      const next = ks.filter((k) => k.time >= cookie.time);
      expect(next.length, `${addr}: a keepalive after P’s cookie`).toBeGreaterThan(0);
      expect(
        next.map((k) => k.k.cookie),
        `${addr}: every keepalive after the cookie returns it`,
      ).toEqual(next.map(() => cookie.k.cookie));
      expect(ks.indexOf(next[0]!), `${addr}: only one keepalive before the cookie`).toBe(1);
      const answerMs = next[0]!.time - cookie.time;
      console.log(`provider-access-nat: ${addr}: cookie answered by a keepalive ${answerMs.toFixed(1)} ms later`);
      // Sent on receipt of the cookie, not at the next period.
      expect(answerMs).toBeLessThan(KEEPALIVE_MS / 2);
    }
    // The period is honoured (the 1 s sweep may send one a sweep late).
    expect(gapsB.length).toBeGreaterThanOrEqual(4);
    expect(median(gapsB)).toBeGreaterThanOrEqual(KEEPALIVE_MS - 500);
    expect(median(gapsB)).toBeLessThanOrEqual(KEEPALIVE_MS + 1_500);
  });

  it('P’s LAN host never received a control packet (only ARP and the pings; W tx matches)', async () => {
    const s1 = await p.fresh();
    const text = await lanCapture.stop();
    const s2 = await p.fresh();
    const frames = splitFrames(text);
    const other = frames.filter((f) => !/ethertype ARP \(0x0806\)/.test(f) && !/ethertype IPv4 \(0x0800\).*proto ICMP \(1\)/s.test(f));
    console.log(`provider-access-nat: P's host received ${frames.length} frames; P's W leg tx ${leg(s1, W).txPackets}..${leg(s2, W).txPackets}`);
    expect(other, 'frames other than ARP/ICMP reached P’s LAN host').toEqual([]);
    expect(frames.length).toBeGreaterThanOrEqual(leg(s1, W).txPackets);
    expect(frames.length).toBeLessThanOrEqual(leg(s2, W).txPackets);
    // The capture spanned several keepalive periods of both access sites.
    expect(s2.time - Math.min(...s2.peers.map((x) => x.firstSeen))).toBeGreaterThan(3 * KEEPALIVE_MS);
  });

  it(`once A’s ubdg stops, P forgets A (peer and MACs) after ${PERIODS_TO_EXPIRE} silent keepalive periods (each at least 5 s); B stays`, async () => {
    // A's and B's addresses as P has them now (whatever the tests before did).
    const now = await p.fresh();
    const [addrA, addrB] = [A(), B()].map((site) => {
      const xs = learnedFrom(now, site.router.publicIp);
      expect(xs, `P has one peer at ${site.router.publicIp}`).toHaveLength(1);
      return xs[0]!.address;
    }) as [string, string];
    const macA = await macOf(A().host, 'eth0');
    const macB = await macOf(B().host, 'eth0');
    const stderrFrom = p.stderr.length;
    const from = p.snapshots.length;
    await a.stop();
    const tStop = Date.now();
    const gone = await p.waitFor((s) => findPeer(s, addrA, V) === undefined, EXPIRE_MS + 10_000, `P to forget ${addrA}`, from);
    const during = p.snapshots.slice(from);
    const lastWithA = [...during].reverse().find((s) => findPeer(s, addrA, V) !== undefined);
    // A's last keepalive as P saw it (its last sign of life).
    const lastSeen = lastWithA ? peer(lastWithA, addrA, V).lastSeen : NaN;
    const silentMs = gone.time - lastSeen;
    console.log(
      `provider-access-nat: A stopped; P forgot ${addrA} ${gone.time - tStop} ms after the stop, ${silentMs} ms after its last keepalive ` +
        `(${PERIODS_TO_EXPIRE} × max(${MIN_EXPIRY_PERIOD_MS}, ${KEEPALIVE_MS}) ms; last snapshot with A ${lastWithA ? gone.time - lastWithA.time : '?'} ms before)`,
    );
    expect(lastWithA, 'A was still listed after the stop').toBeDefined();
    expect(lastSeen).toBeLessThanOrEqual(tStop);
    // Not before 3 periods of silence, and within the next sweep and snapshot (+ margin).
    expect(silentMs).toBeGreaterThanOrEqual(EXPIRE_MS);
    expect(silentMs).toBeLessThanOrEqual(EXPIRE_MS + 2_500);
    expect(gone.time - tStop, 'forgotten within one more period of the stop').toBeLessThanOrEqual(EXPIRE_MS + KEEPALIVE_MS);
    expect(
      gone.macs.find((m) => m.mac === macA),
      'A’s MAC forgotten with its peer',
    ).toBeUndefined();
    expect(gone.macs.filter((m) => m.peer === addrA)).toEqual([]);
    // B's keepalives keep it alive all along.
    for (const s of during) expect(findPeer(s, addrB, V), `B missing at ${s.time}`).toBeDefined();
    expect(gone.peers.filter((x) => x.leg === V).map((x) => x.address)).toEqual([addrB]);
    expect(gone.macs.find((m) => m.mac === macB)?.peer).toBe(addrB);
    await waitUntil(() => p.stderr.slice(stderrFrom).includes(`remote VTEP ${addrA} expired (silent too long)`), {
      timeoutMs: 3_000,
      what: `"remote VTEP ${addrA} expired" on P's stderr (got: ${p.stderr.slice(stderrFrom)})`,
    });
    // P and B still bridge.
    const r = await ping(t().provider.host, B().hostIp, { count: 3, intervalS: 0.1 });
    expect(r.received, r.output).toBe(3);
  });

  it('stops cleanly on SIGTERM (exit 0 within 5 s)', async () => {
    const results = await Promise.allSettled([p, b].map((u) => u.stop()));
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

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((x, i) => x - times[i]!);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
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

/** Each bridge's leg counters and drops, for failure messages (a lost ping: where?). */
async function legCounters(bridges: Record<string, Ubdg>): Promise<string> {
  const out: string[] = [];
  for (const [name, u] of Object.entries(bridges)) {
    const s = u.running ? await u.fresh().catch(() => u.latest()) : u.latest();
    const legs = (s?.legs ?? []).map((l) => `${l.leg}: rx ${l.rxPackets} tx ${l.txPackets} drops ${JSON.stringify(l.drops)}`);
    out.push(`  ${name}: ${legs.join('; ') || '(no snapshot)'}`);
  }
  return `leg counters:\n${out.join('\n')}`;
}

/** Static (permanent) ARP entries between every pair of LAN hosts. */
async function pinArp(sites: readonly { host: string; hostIf: string; hostIp: string }[]): Promise<void> {
  const macs = await Promise.all(sites.map((x) => macOf(x.host, x.hostIf)));
  for (const [i, x] of sites.entries()) {
    for (const [j, y] of sites.entries()) {
      if (i !== j) await ipIn(x.host, ['neigh', 'replace', y.hostIp, 'lladdr', macs[j]!, 'dev', x.hostIf, 'nud', 'permanent']);
    }
  }
}

async function macOf(ns: string, ifname: string): Promise<string> {
  const out = (await ipIn(ns, ['-br', 'link', 'show', ifname])).stdout;
  const m = /([0-9a-f]{2}(?::[0-9a-f]{2}){5})/.exec(out);
  if (!m) throw new Error(`no MAC in: ${out}`);
  return m[1]!;
}
