// Several engines wired through the in-memory network and adapters: the whole
// forwarding path (NIC → switch → tunnel → switch → NIC) with no OS.

import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from './bridge.js';
import { createBridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { BROADCAST, ethFrame, settle, tagOf } from './test-support/frames.js';
import { CONTROL_LEN, NONCE_LEN, writeControlKeepalive } from './codec/control.js';
import { legs } from './test-support/legs.js';

interface Site {
  bridge: BridgeHandle;
  nic: MemoryNic;
}

const MAC = (n: number) => `02:00:00:00:00:0${n}`;

describe('bridge over the in-memory network', () => {
  const bridges: BridgeHandle[] = [];
  let now = 1_000_000;
  const clock = { now: () => now };
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });

  async function site(net: MemoryNetwork, address: string, legStrings: string[], opts: { echoes?: boolean; nat?: string } = {}): Promise<Site> {
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan', opts.echoes ?? false));
    if (opts.nat) net.nat.set(address, { publicAddress: opts.nat, portOffset: 1000 });
    const bridge = createBridge(legs(...legStrings), { capture, udp: net.host(address), clock }, { peerAgeingMs: 60_000, keepaliveMs: 20_000 });
    bridges.push(bridge);
    await bridge.start();
    for (const l of bridge.snapshot().legs) expect(l.state, l.error).toBe('running');
    return { bridge, nic };
  }

  it('joins two sites over Ethernet-over-UDP (U legs) both ways', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', ['7#U:E@10.0.0.1:40000:10.0.0.2:40001', '7#W:E@lan']);
    const b = await site(net, '10.0.0.2', ['7#U:E@10.0.0.2:40001:10.0.0.1:40000', '7#W:E@lan']);
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'hello'));
    await settle();
    expect(b.nic.take().map(tagOf)).toEqual(['hello']);
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'reply'));
    await settle();
    expect(a.nic.take().map(tagOf)).toEqual(['reply']);
    // The U datagram is the bare frame.
    expect(net.sent[0]!.data.length).toBe(60);
    const s = a.bridge.snapshot();
    expect(s.legs[0]).toMatchObject({ txPackets: 1, rxPackets: 1 });
    expect(s.peers).toEqual([expect.objectContaining({ address: '10.0.0.2:40001', origin: 'configured', rxPackets: 1, txPackets: 1 })]);
  });

  it('three VXLAN HER sites: BUM replicated to each peer once, never re-flooded; unicast only to the learned peer', async () => {
    const net = new MemoryNetwork();
    const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const sites = await Promise.all(ips.map((ip) => site(net, ip, [`5000#V:E@${ip}:${ips.filter((x) => x !== ip).join('+')}`, '5000#W:E@lan'])));
    const [s1, s2, s3] = sites as [Site, Site, Site];
    s1.nic.receive(ethFrame(BROADCAST, MAC(1), 'arp-who-has'));
    await settle();
    expect(s2.nic.take().map(tagOf)).toEqual(['arp-who-has']);
    expect(s3.nic.take().map(tagOf)).toEqual(['arp-who-has']);
    expect(net.sent.length).toBe(2); // s1 → s2, s1 → s3; nobody re-floods (split horizon)
    expect(net.sent.every((d) => d.data.readUInt8(0) === 0x08 && d.data.readUIntBE(4, 3) === 5000)).toBe(true);

    s2.nic.receive(ethFrame(MAC(1), MAC(2), 'arp-reply'));
    await settle();
    expect(s1.nic.take().map(tagOf)).toEqual(['arp-reply']);
    expect(s3.nic.take()).toEqual([]); // MAC 1 was learned behind s1: not replicated to s3
    net.sent.length = 0;
    for (let i = 0; i < 50; i++) s1.nic.receive(ethFrame(MAC(2), MAC(1), `u${i}`));
    await settle();
    expect(net.sent.map((d) => d.to)).toEqual(Array(50).fill('10.0.0.2:4789'));
    expect(s2.nic.take()).toHaveLength(50);
    expect(s3.nic.take()).toEqual([]);
    const macs = s1.bridge.snapshot().macs;
    expect(macs).toEqual(expect.arrayContaining([expect.objectContaining({ mac: MAC(1), leg: 1 }), expect.objectContaining({ mac: MAC(2), leg: 0, peer: '10.0.0.2:4789' })]));
  });

  it('refuses VXLAN from addresses outside the HER list, wrong VNIs and garbage, and keeps running', async () => {
    const net = new MemoryNetwork();
    const s1 = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan']);
    const good = Buffer.concat([Buffer.from('0800000000138800', 'hex'), ethFrame(BROADCAST, MAC(9), 'x')]);
    net.inject(good, '10.0.0.66', 4789, '10.0.0.1', 4789); // stranger
    const wrongVni = Buffer.from(good);
    wrongVni.writeUIntBE(5001, 4, 3);
    net.inject(wrongVni, '10.0.0.2', 4789, '10.0.0.1', 4789);
    net.inject(Buffer.from('deadbeef', 'hex'), '10.0.0.2', 4789, '10.0.0.1', 4789);
    const noFlag = Buffer.from(good);
    noFlag[0] = 0;
    net.inject(noFlag, '10.0.0.2', 4789, '10.0.0.1', 4789);
    const runt = Buffer.concat([good.subarray(0, 8), Buffer.alloc(5)]);
    net.inject(runt, '10.0.0.2', 4789, '10.0.0.1', 4789);
    await settle();
    expect(s1.nic.take()).toEqual([]);
    const l = s1.bridge.snapshot().legs[0]!;
    expect(l.drops).toMatchObject({ 'unknown-peer': 1, 'wrong-vni': 1, malformed: 3 });
    expect(l.state).toBe('running');
    net.inject(good, '10.0.0.2', 4789, '10.0.0.1', 4789);
    await settle();
    expect(s1.nic.take().map(tagOf)).toEqual(['x']);
  });

  it('multicast mode: BUM goes once to the group, replies go unicast to the learned VTEP', async () => {
    const net = new MemoryNetwork();
    const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const [s1, s2, s3] = (await Promise.all(ips.map((ip) => site(net, ip, [`5000#V:E@${ip}:239.1.1.1:8472`, '5000#W:E@lan'])))) as [Site, Site, Site];
    s1.nic.receive(ethFrame(BROADCAST, MAC(1), 'who'));
    await settle();
    expect(net.sent.map((d) => d.to)).toEqual(['239.1.1.1:8472']);
    expect(s2.nic.take().map(tagOf)).toEqual(['who']);
    expect(s3.nic.take().map(tagOf)).toEqual(['who']);
    net.sent.length = 0;
    s3.nic.receive(ethFrame(MAC(1), MAC(3), 'me'));
    await settle();
    expect(net.sent.map((d) => d.to)).toEqual(['10.0.0.1:8472']);
    expect(s1.nic.take().map(tagOf)).toEqual(['me']);
    expect(s1.bridge.snapshot().peers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: '239.1.1.1:8472', origin: 'configured' }),
        expect.objectContaining({ address: '10.0.0.3:8472', origin: 'learned' }),
      ]),
    );
  });

  it('provider relays between access VTEPs behind NAT, learns them by IP:port and ages them out', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, '203.0.113.5', ['5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan']);
    const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.1' });
    const b = await site(net, '192.168.2.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.2' });
    await settle();
    // Keepalives alone make the provider learn both, with their NAT ports.
    const learned = hub.bridge
      .snapshot()
      .peers.filter((p) => p.origin === 'learned')
      .map((p) => p.address)
      .sort();
    expect(learned).toHaveLength(2);
    expect(learned[0]).toMatch(/^198\.51\.100\.1:\d+$/);
    expect(learned[1]).toMatch(/^198\.51\.100\.2:\d+$/);
    expect(hub.nic.take()).toEqual([]); // keepalives never reach a NIC

    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
    await settle();
    expect(hub.nic.take().map(tagOf)).toEqual(['from-a']);
    expect(b.nic.take().map(tagOf)).toEqual(['from-a']); // relayed by the hub
    expect(a.nic.take()).toEqual([]); // not back to the sender
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'b-to-a'));
    await settle();
    expect(a.nic.take().map(tagOf)).toEqual(['b-to-a']);
    expect(hub.nic.take()).toEqual([]); // unicast relayed peer to peer only

    // Both access legs go silent: after the ageing time the provider forgets them.
    await a.bridge.stop();
    await b.bridge.stop();
    now += 61_000;
    (hub.bridge as Bridge).sweep();
    expect(hub.bridge.snapshot().peers).toEqual([]);
    expect(hub.bridge.snapshot().macs.filter((m) => m.leg === 0)).toEqual([]);
  });

  it('access mode sends a keepalive every period so the NAT mapping stays open', async () => {
    const net = new MemoryNetwork();
    await site(net, '203.0.113.5', ['5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan']);
    const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.1' });
    await settle();
    const keepalives = () => net.sent.filter((d) => d.to === '203.0.113.5:8000' && d.data.length === CONTROL_LEN).length;
    // The first, then at once again with the cookie the provider answered with.
    expect(keepalives()).toBe(2);
    now += 19_000;
    (a.bridge as Bridge).sweep();
    expect(keepalives()).toBe(2);
    now += 1_000;
    (a.bridge as Bridge).sweep();
    expect(keepalives()).toBe(3);
    // Each keepalive carries a nonce of its own (bytes 16..23): a cookie must echo one.
    const nonces = net.sent.filter((d) => d.to === '203.0.113.5:8000' && d.data.length === CONTROL_LEN).map((d) => d.data.subarray(16, 16 + NONCE_LEN).toString('hex'));
    expect(new Set(nonces).size).toBe(3);
  });

  it('provider moves an access VTEP whose NAT mapping changed at its next keepalive; its MACs follow', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, '203.0.113.5', ['5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan']);
    const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.1' });
    const moves: string[] = [];
    const learnedEvents: string[] = [];
    hub.bridge.onEvent((e) => {
      if (e.type === 'peer-moved') moves.push(`${e.from} -> ${e.to}`);
      if (e.type === 'peer-learned') learnedEvents.push(e.address);
    });
    await settle();
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'hello'));
    await settle();
    expect(hub.nic.take().map(tagOf)).toEqual(['hello']);
    const before = hub.bridge.snapshot().peers.map((p) => p.address);
    expect(before).toHaveLength(1);

    // The NAT forgets the mapping and picks a new public port; A stays silent but for its keepalive.
    net.nat.set('192.168.1.10', { publicAddress: '198.51.100.1', portOffset: 2000 });
    now += 20_000;
    (a.bridge as Bridge).sweep();
    await settle();
    const after = hub.bridge.snapshot();
    expect(after.peers.map((p) => p.address)).toEqual([before[0]!.replace(/:(\d+)$/, (_, p) => `:${Number(p) + 1000}`)]);
    expect(moves).toEqual([`${before[0]} -> ${after.peers[0]!.address}`]);
    expect(learnedEvents).toEqual([before[0]]); // the move is no new VTEP
    expect(after.peers[0]!.rxPackets).toBe(1); // same record: counters kept
    expect(after.macs.find((m) => m.mac === MAC(1))?.peer).toBe(after.peers[0]!.address);
    // Unicast started on the provider's side reaches A at once.
    hub.nic.receive(ethFrame(MAC(1), MAC(5), 'to-a'));
    await settle();
    expect(a.nic.take().map(tagOf)).toEqual(['to-a']);
  });

  it('provider forgets an access VTEP after three silent keepalive periods, not the full ageing time', async () => {
    const net = new MemoryNetwork();
    const capture = new MemoryCapturePort();
    capture.add(new MemoryNic('lan'));
    const hub = createBridge(legs('5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan'), { capture, udp: net.host('203.0.113.5'), clock }, { peerAgeingMs: 300_000 });
    bridges.push(hub);
    await hub.start();
    const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.1' });
    await settle();
    expect(hub.snapshot().peers).toHaveLength(1);
    await a.bridge.stop();
    now += 59_000;
    (hub as Bridge).sweep();
    expect(hub.snapshot().peers).toHaveLength(1);
    now += 1_000;
    (hub as Bridge).sweep();
    expect(hub.snapshot().peers).toEqual([]);
  });

  it('provider: forged sources are never learned and get at most one cookie, no larger than what they sent', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, '203.0.113.5', ['5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan']);
    const hello = Buffer.from('0800000000138800', 'hex'); // a bare VXLAN header
    const keepalive = Buffer.alloc(CONTROL_LEN);
    const nonce = Buffer.alloc(NONCE_LEN, 0x5a);
    writeControlKeepalive(keepalive, 0, 5000, 20, 0x1234, nonce, null);
    const forged = Buffer.concat([hello, ethFrame(BROADCAST, MAC(9), 'forged')]);
    for (let port = 10000; port < 10300; port++) {
      net.inject(hello, '198.51.100.66', port, '203.0.113.5', 8000);
      net.inject(forged, '198.51.100.66', port, '203.0.113.5', 8000);
      net.inject(keepalive, '198.51.100.66', port, '203.0.113.5', 8000);
    }
    await settle();
    const s = hub.bridge.snapshot();
    expect(s.peers).toEqual([]);
    expect(s.macs).toEqual([]);
    expect(hub.nic.take()).toEqual([]);
    expect(s.legs[0]!.drops['unknown-peer']).toBe(600);
    expect(s.legs[0]!.drops.unverified).toBe(300);
    const replies = net.sent.filter((d) => d.from === '203.0.113.5:8000');
    expect(replies).toHaveLength(300); // one cookie per keepalive, nothing for data
    expect(replies.every((d) => d.data.length <= CONTROL_LEN)).toBe(true);
    expect(replies.every((d) => d.data.subarray(8, 8 + NONCE_LEN).equals(nonce))).toBe(true); // each echoes the keepalive it answers
    // A real access VTEP still gets in.
    await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000', '5000#W:E@lan'], { nat: '198.51.100.7' });
    await settle();
    expect(hub.bridge.snapshot().peers.map((p) => `${p.origin} ${p.verified}`)).toEqual(['learned true']);
  });

  it('never re-bridges frames the capture layer hands back after injection (Npcap echo)', async () => {
    const net = new MemoryNetwork();
    const s1 = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan'], { echoes: true });
    await site(net, '10.0.0.2', ['5000#V:E@10.0.0.2:10.0.0.1', '5000#W:E@lan']);
    const vx = Buffer.concat([Buffer.from('0800000000138800', 'hex'), ethFrame(BROADCAST, MAC(2), 'from-remote')]);
    net.inject(vx, '10.0.0.2', 4789, '10.0.0.1', 4789);
    await settle();
    expect(s1.nic.take().map(tagOf)).toEqual(['from-remote']);
    const s = s1.bridge.snapshot();
    expect(s.legs[1]!.drops.echo).toBe(1);
    expect(net.sent.filter((d) => d.from.startsWith('10.0.0.1'))).toEqual([]); // nothing went back out
    // MAC 2 stays learned behind the tunnel, not moved to the NIC by the echo.
    expect(s.macs.find((m) => m.mac === MAC(2))).toMatchObject({ leg: 0 });
  });

  it('a leg that cannot bind goes to error with the cause and fix; the other legs keep running', async () => {
    const net = new MemoryNetwork();
    const udp = net.host('10.0.0.1');
    await udp.bind(
      { address: '10.0.0.1', port: 4789 },
      () => {},
      () => {},
    );
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    const b = createBridge(legs('5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan', '6#U:E@10.0.0.1:5000:10.0.0.2:5000', '6#W:E@lan'), {
      capture,
      udp,
      clock,
    });
    bridges.push(b);
    await b.start();
    const s = b.snapshot();
    expect(s.legs.map((l) => l.state)).toEqual(['error', 'running', 'running', 'running']);
    expect(s.legs[0]!.error).toMatch(/in use.*Fix: /);
    expect(s.running).toBe(true);
    nic.receive(ethFrame(BROADCAST, MAC(1), 'still-works'));
    await settle();
    expect(net.sent.map((d) => d.to)).toEqual(['10.0.0.2:5000']);
  });

  it('a multicast leg on an address this host does not have fails with the fix and frees its port', async () => {
    const net = new MemoryNetwork();
    const udp = net.host('10.0.0.1');
    const capture = new MemoryCapturePort();
    capture.add(new MemoryNic('lan'));
    const b = createBridge(legs('5000#V:E@10.9.9.9:239.1.1.1', '5000#W:E@lan'), { capture, udp, clock });
    bridges.push(b);
    await b.start();
    const l = b.snapshot().legs[0]!;
    expect(l.state).toBe('error');
    expect(l.error).toMatch(/cannot join multicast group 239\.1\.1\.1 on 10\.9\.9\.9.*Fix: use an IPv4 address of this machine/);
    // The port is free again: a correct leg can bind it.
    await expect(
      udp.bind(
        { address: '0.0.0.0', port: 4789 },
        () => {},
        () => {},
      ),
    ).resolves.toBeDefined();
  });

  it('drops over-MTU (offload) frames from a NIC and says how to fix it', async () => {
    const net = new MemoryNetwork();
    const s1 = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan']);
    const events: string[] = [];
    s1.bridge.onEvent((e) => e.type === 'warning' && events.push(e.message));
    s1.nic.receive(ethFrame(BROADCAST, MAC(1), 'gso', 9000));
    await settle();
    expect(net.sent).toEqual([]);
    const l = s1.bridge.snapshot().legs[1]!;
    expect(l.drops.oversize).toBe(1);
    expect(l.warnings.join()).toMatch(/ethtool -K lan/);
    expect(events).toHaveLength(1);
  });

  it('stop closes every leg and is idempotent', async () => {
    const net = new MemoryNetwork();
    const s1 = await site(net, '10.0.0.1', ['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan']);
    await s1.bridge.stop();
    await s1.bridge.stop();
    expect(s1.bridge.snapshot().legs.map((l) => l.state)).toEqual(['stopped', 'stopped']);
    expect(s1.bridge.snapshot().running).toBe(false);
    s1.nic.receive(ethFrame(BROADCAST, MAC(1), 'after-stop'));
    await settle();
    expect(net.sent).toEqual([]);
  });
});

describe('socket buffers', () => {
  it('warns with the sysctl fix when the OS grants a smaller UDP receive buffer than wanted', async () => {
    const net = new MemoryNetwork();
    net.maxBufferBytes = 212_992;
    const capture = new MemoryCapturePort();
    capture.add(new MemoryNic('lan'));
    const b = createBridge(legs('5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan'), { capture, udp: net.host('10.0.0.1') });
    await b.start();
    expect(b.snapshot().legs[0]!.warnings.join()).toMatch(/net\.core\.rmem_max=4194304/);
    expect(b.snapshot().legs[0]!.state).toBe('running');
    await b.stop();
  });
});

describe('snapshot size', () => {
  it('keeps the lists bounded when outsiders fill the tables, with totals and the newest entries', async () => {
    const net = new MemoryNetwork();
    const capture = new MemoryCapturePort();
    let now = 1_000_000;
    const nic = capture.add(new MemoryNic('lan'));
    const b = createBridge(legs('5000#V:E@10.0.0.1:239.1.1.1', '5000#W:E@lan'), { capture, udp: net.host('10.0.0.1'), clock: { now: () => now } });
    await b.start();
    nic.receive(ethFrame(BROADCAST, '02:ff:00:00:00:01', 'local host')); // frames below go to it only, no flooding
    // 3000 multicast VTEPs (learned by address) each with one MAC, the newest last.
    for (let i = 0; i < 3000; i++) {
      now += 1000;
      const f = Buffer.concat([
        Buffer.from('0800000000138800', 'hex'),
        ethFrame('02:ff:00:00:00:01', `02:00:00:00:${((i >> 8) & 0xff).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`, 'x'),
      ]);
      net.inject(f, `10.2.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`, 4789, '10.0.0.1', 4789);
    }
    await settle();
    const s = b.snapshot();
    expect(s.peerCount).toBe(3001); // and the group
    expect(s.macCount).toBe(3001);
    expect(s.peers).toHaveLength(2000);
    expect(s.macs).toHaveLength(2000);
    expect(s.macs.some((m) => m.mac === '02:00:00:00:0b:b7')).toBe(true); // the newest (i = 2999)
    expect(s.macs.some((m) => m.mac === '02:00:00:00:00:00')).toBe(false); // the oldest
    expect(JSON.stringify(s).length).toBeLessThan(1_000_000);
    await b.stop();
  });
});

describe('adapter failures', () => {
  it('a NIC that refuses frames is counted and explained once', async () => {
    const net = new MemoryNetwork();
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    const b = createBridge(legs('5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@lan'), { capture, udp: net.host('10.0.0.1') });
    await b.start();
    nic.refuse = true; // as pcap does for an adapter that went down
    const vx = Buffer.concat([Buffer.from('0800000000138800', 'hex'), ethFrame(BROADCAST, '02:00:00:00:00:02', 'x')]);
    for (let i = 0; i < 3; i++) net.inject(vx, '10.0.0.2', 4789, '10.0.0.1', 4789);
    await settle();
    const w = b.snapshot().legs[1]!;
    expect(w.drops['send-error']).toBe(3);
    expect(w.warnings.filter((m) => m.includes('refused a frame'))).toHaveLength(1);
    expect(b.snapshot().legs.map((l) => l.state)).toEqual(['running', 'running']);
    await b.stop();
  });
});
