// What the engine tells a data plane's fast path (ports/fast-path-port.ts),
// with the in-memory twin: attached legs, peer sets as peers come, move and
// go, every MAC place the switch settles, and what it takes back (counters,
// peers and MACs seen). The native fast path forwards only by this mirror.
import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import { parseMac } from './codec/mac.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryFastPath } from './ports/memory-fast-path.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { BROADCAST, ethFrame, settle } from './test-support/frames.js';
import { legs } from './test-support/legs.js';

const MAC = (n: number) => `02:00:00:00:00:0${n}`;

describe('the engine mirrors its switch into a fast path', () => {
  const bridges: BridgeHandle[] = [];
  let now = 1_000_000;
  const clock = { now: () => now };
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });

  async function site(net: MemoryNetwork, address: string, legStrings: string[], fast: MemoryFastPath | null, opts: { nat?: string } = {}) {
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    if (opts.nat) net.nat.set(address, { publicAddress: opts.nat, portOffset: 1000 });
    const bridge = createBridge(
      legs(...legStrings),
      { capture, udp: net.host(address), clock, ...(fast ? { fastPath: () => fast } : {}) },
      { peerAgeingMs: 60_000, keepaliveMs: 20_000 },
    );
    bridges.push(bridge);
    await bridge.start();
    return { bridge, nic };
  }

  it('HER: both legs attached, the configured VTEPs mirrored by address (any source port), MACs placed as learned, moved and aged', async () => {
    const net = new MemoryNetwork();
    const fast = new MemoryFastPath();
    const a = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2+10.0.0.3', '5000#W:E@lan'], fast);
    const b = await site(net, '10.0.0.2', ['5000#V:E@10.0.0.2:10.0.0.1', '5000#W:E@lan'], null);
    expect(fast.tunnels.get(0)).toEqual({ raw: false, vni: 5000 }); // plain: no Sealer
    expect(fast.adapters.has(1)).toBe(true);
    const peers = fast.peers.get(0)!;
    expect(peers.map((p) => [p.address, p.port, p.matchPort]).sort()).toEqual([
      ['10.0.0.2', 4789, 0],
      ['10.0.0.3', 4789, 0],
    ]);
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'from-b'));
    await settle();
    const viaB = peers.find((p) => p.address === '10.0.0.2')!.key;
    expect(fast.macs.get(parseMac(MAC(1)))).toEqual({ leg: 1, peer: -1 });
    expect(fast.macs.get(parseMac(MAC(2)))).toEqual({ leg: 0, peer: viaB });
    // MAC 2 shows up on the adapter: it moves there in the mirror as in the switch.
    now += 10_000;
    a.nic.receive(ethFrame(BROADCAST, MAC(2), 'moved'));
    await settle();
    expect(fast.macs.get(parseMac(MAC(2)))).toEqual({ leg: 1, peer: -1 });
    // Seen by the fast path only: the sweep refreshes it, so it outlives an unseen MAC.
    now += 200_000;
    fast.pending.macs.push(parseMac(MAC(2)));
    (a.bridge as unknown as { sweep(): void }).sweep();
    now += 150_000;
    (a.bridge as unknown as { sweep(): void }).sweep();
    expect(fast.macs.has(parseMac(MAC(1)))).toBe(false);
    expect(fast.macs.has(parseMac(MAC(2)))).toBe(true);
    expect(a.bridge.snapshot().macs.map((m) => m.mac)).toEqual([MAC(2)]);
  });

  it('takes back what the fast path forwarded: leg and peer counters, and a peer seen', async () => {
    const net = new MemoryNetwork();
    const fast = new MemoryFastPath();
    const a = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan'], fast);
    const key = fast.peers.get(0)![0]!.key;
    fast.pending.legs.push([0, 10, 1000, 20, 2000], [1, 20, 2000, 10, 1000]);
    fast.pending.peers.push([0, key, 10, 1000, 20, 2000, true]);
    (a.bridge as unknown as { sweep(): void }).sweep();
    const s = a.bridge.snapshot();
    expect(s.legs[0]).toMatchObject({ rxPackets: 10, rxBytes: 1000, txPackets: 20, txBytes: 2000 });
    expect(s.legs[1]).toMatchObject({ rxPackets: 20, txPackets: 10 });
    expect(s.peers[0]).toMatchObject({ rxPackets: 10, txPackets: 20, lastSeen: now });
  });

  it('provider: a VTEP joins the mirror (by address and port) only once verified, follows its NAT move, and leaves with its MACs', async () => {
    const net = new MemoryNetwork();
    const fast = new MemoryFastPath();
    const hub = await site(net, '203.0.113.5', ['5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan'], fast);
    expect(fast.peers.get(0)).toEqual([]);
    const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], null, { nat: '198.51.100.1' });
    await settle();
    const [p] = fast.peers.get(0)!;
    expect(p).toMatchObject({ address: '198.51.100.1' });
    expect(p!.matchPort).toBe(p!.port); // a provider's VTEPs are (address, port)
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
    await settle();
    expect(fast.macs.get(parseMac(MAC(1)))).toEqual({ leg: 0, peer: p!.key });
    // Silent past its expiry: gone from the peer set, its MAC with it.
    await a.bridge.stop();
    now += 120_000;
    (hub.bridge as unknown as { sweep(): void }).sweep();
    expect(fast.peers.get(0)).toEqual([]);
    expect(fast.macs.has(parseMac(MAC(1)))).toBe(false);
  });

  it("keyed legs: attached with the leg's Sealer; a peer gets its session's Opener only once confirmed, a new one when it restarts, none once gone", async () => {
    const net = new MemoryNetwork();
    const fast = new MemoryFastPath();
    const KEY = '*a-long-enough-test-key-123';
    const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2${KEY}`, '5000#W:E@lan'], fast);
    const b = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1${KEY}`, '5000#W:E@lan'], null);
    const encap = fast.tunnels.get(0)!;
    expect(encap).toMatchObject({ raw: false, vni: 5000 });
    expect(encap.sealer?.nextCounter).toBe(0n);
    expect(fast.adapters.has(1)).toBe(true);
    // Configured, not confirmed: in the mirror (frames to it may be sealed below), but none of its frames are opened there.
    expect(fast.peers.get(0)!.map((p) => [p.address, p.opener])).toEqual([['10.0.0.2', undefined]]);
    const confirm = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
        b.nic.receive(ethFrame(BROADCAST, MAC(2), 'from-b'));
        await settle();
      }
    };
    await confirm();
    const [peer] = fast.peers.get(0)!;
    const bSession = BigInt('0x' + a.bridge.snapshot().peers[0]!.session!);
    expect(peer!.opener).toBeDefined();
    expect(peer!.opener!.highest).toBeGreaterThan(0n); // the very window the engine checked B's packets against
    expect(encap.sealer!.nextCounter).toBeGreaterThan(0n); // and the counter the engine sealed with
    expect(fast.macs.get(parseMac(MAC(2)))).toEqual({ leg: 0, peer: peer!.key });
    // B restarts: a new session, confirmed anew, replaces the old Opener.
    await b.bridge.stop();
    const b2 = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1${KEY}`, '5000#W:E@lan'], null);
    for (let i = 0; i < 3; i++) {
      a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
      b2.nic.receive(ethFrame(BROADCAST, MAC(2), 'from-b2'));
      await settle();
    }
    const after = fast.peers.get(0)![0]!;
    expect(BigInt('0x' + a.bridge.snapshot().peers[0]!.session!)).not.toBe(bSession);
    expect(after.opener).toBeDefined();
    expect(after.opener).not.toBe(peer!.opener);
    await a.bridge.stop();
    expect(fast.tunnels.size).toBe(0);
  });

  it('a stopped bridge leaves nothing attached', async () => {
    const net = new MemoryNetwork();
    const fast = new MemoryFastPath();
    const a = await site(net, '10.0.0.1', ['7#U:E@10.0.0.1:40000:10.0.0.2:40001', '7#W:E@lan'], fast);
    expect(fast.tunnels.get(0)).toEqual({ raw: true, vni: 0 });
    expect(fast.peers.get(0)!.map((p) => p.matchPort)).toEqual([0]);
    await a.bridge.stop();
    expect(fast.tunnels.size + fast.adapters.size + fast.macs.size).toBe(0);
  });
});
