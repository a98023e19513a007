// Encrypted V legs (`*KEY`) end to end over the in-memory network: sealing,
// session confirmation (challenge/response), replay, wrong keys, roaming
// behind NAT. README "Secure legs: wire format".

import { afterEach, describe, expect, it } from 'vitest';
import type { Bridge } from './bridge.js';
import { createBridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import { parseLeg } from '../model/leg-grammar.js';
import type { LegSpec } from '../model/leg-spec.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { BROADCAST, ethFrame, settle, tagOf } from './test-support/frames.js';
import { SECURE_MIN_LEN } from './crypto/secure-header.js';

const KEY = 'correct-horse-battery-staple';
const MAC = (n: number) => `02:00:00:00:00:0${n}`;
const legs = (...s: string[]): LegSpec[] =>
  s.map((x) => {
    const r = parseLeg(x);
    if (!r.ok) throw new Error(r.error.message);
    return r.spec;
  });

describe('encrypted VXLAN legs', () => {
  const bridges: BridgeHandle[] = [];
  let now = 1_000_000;
  const clock = { now: () => now };
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });

  async function site(net: MemoryNetwork, address: string, leg: string, opts: { nat?: string } = {}) {
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    if (opts.nat) net.nat.set(address, { publicAddress: opts.nat, portOffset: 1000 });
    const bridge = createBridge(legs(leg, '5000#W:E@lan'), { capture, udp: net.host(address), clock }, { keepaliveMs: 20_000 });
    bridges.push(bridge);
    await bridge.start();
    for (const l of bridge.snapshot().legs) expect(l.state, l.error).toBe('running');
    return { bridge, nic };
  }

  /** Until both ends confirmed each other: a frame each way, the replies to the challenges settle. */
  async function confirm(a: { nic: MemoryNic }, b: { nic: MemoryNic }) {
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'hello-a'));
    await settle(30);
    b.nic.receive(ethFrame(BROADCAST, MAC(2), 'hello-b'));
    await settle(30);
    a.nic.take();
    b.nic.take();
  }

  it('two sites with the same key: frames cross sealed, both ways, after the sessions are confirmed', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', `5000#V:E@10.0.0.1:10.0.0.2*${KEY}`);
    const b = await site(net, '10.0.0.2', `5000#V:E@10.0.0.2:10.0.0.1*${KEY}`);
    await confirm(a, b);
    a.nic.receive(ethFrame(MAC(2), MAC(1), 'secret-payload'));
    await settle(30);
    expect(b.nic.take().map(tagOf)).toEqual(['secret-payload']);
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'reply'));
    await settle(30);
    expect(a.nic.take().map(tagOf)).toEqual(['reply']);
    for (const d of net.sent) {
      expect(d.data[0], 'the VXLAN I flag is clear').toBe(0x00);
      expect(d.data.includes(Buffer.from('secret-payload')), 'no plaintext on the wire').toBe(false);
    }
    const peer = a.bridge.snapshot().peers[0]!;
    expect(peer).toMatchObject({ verified: true, origin: 'configured' });
    expect(peer.session).toMatch(/^[0-9a-f]{16}$/);
    expect(a.bridge.snapshot().legs[0]!.encrypted).toBe(true);
  });

  it('a wrong key gives no connectivity and a growing authentication-failure count', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', `5000#V:E@10.0.0.1:10.0.0.2*${KEY}`);
    const b = await site(net, '10.0.0.2', '5000#V:E@10.0.0.2:10.0.0.1*not-the-same-key-at-all');
    for (let i = 0; i < 5; i++) {
      a.nic.receive(ethFrame(BROADCAST, MAC(1), `try-${i}`));
      await settle(10);
    }
    expect(b.nic.take()).toEqual([]);
    expect(b.bridge.snapshot().legs[0]!.drops.auth).toBe(5);
    expect(b.bridge.snapshot().peers[0]!.verified).toBe(true); // configured, but no session
    expect(b.bridge.snapshot().peers[0]!.session).toBeUndefined();
  });

  it('replayed packets are rejected and counted; after a restart a recording cannot confirm its session', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', `5000#V:E@10.0.0.1:10.0.0.2*${KEY}`);
    const b = await site(net, '10.0.0.2', `5000#V:E@10.0.0.2:10.0.0.1*${KEY}`);
    await confirm(a, b);
    const start = net.sent.length;
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'once'));
    await settle(30);
    expect(b.nic.take().map(tagOf)).toEqual(['once']);
    const recorded = net.sent.slice(start).filter((d) => d.from === '10.0.0.1:4789' && d.data.length > 64);
    expect(recorded).toHaveLength(1);
    for (let i = 0; i < 3; i++) net.inject(recorded[0]!.data, '10.0.0.1', 4789, '10.0.0.2', 4789);
    await settle(10);
    expect(b.nic.take()).toEqual([]);
    expect(b.bridge.snapshot().legs[0]!.drops.replay).toBe(3);

    // B restarts: it no longer knows A's session. The recording authenticates but is not live.
    await b.bridge.stop();
    const b2 = await site(net, '10.0.0.2', `5000#V:E@10.0.0.2:10.0.0.1*${KEY}`);
    await a.bridge.stop(); // A cannot answer B2's challenge: only the recording speaks
    net.inject(recorded[0]!.data, '10.0.0.1', 4789, '10.0.0.2', 4789);
    await settle(30);
    expect(b2.nic.take()).toEqual([]);
    expect(b2.bridge.snapshot().legs[0]!.drops.unverified).toBe(1);
    expect(b2.bridge.snapshot().peers[0]!.session).toBeUndefined();
  });

  it('provider relays between encrypted access VTEPs behind NAT; a NAT change moves the VTEP (one entry), a replayed keepalive moves nobody', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, '203.0.113.5', `5000#V:E@203.0.113.5:0*${KEY}:8000`);
    const a = await site(net, '192.168.1.10', `5000#V:E@*:203.0.113.5*${KEY}:8000`, { nat: '198.51.100.1' });
    const b = await site(net, '192.168.2.10', `5000#V:E@*:203.0.113.5*${KEY}:8000`, { nat: '198.51.100.2' });
    await settle(40);
    // Keepalives, challenges and responses: the provider learned both, verified.
    const peers = () => hub.bridge.snapshot().peers.map((p) => `${p.address} ${p.verified ? 'verified' : 'unverified'}`);
    expect(peers().sort()).toEqual(['198.51.100.1:41000 verified', '198.51.100.2:41001 verified']);
    a.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-a'));
    await settle(30);
    // B has not confirmed the provider's session yet (nothing came from it): the first relayed frame prompts it.
    b.nic.receive(ethFrame(BROADCAST, MAC(2), 'from-b'));
    await settle(30);
    a.nic.receive(ethFrame(MAC(2), MAC(1), 'a-to-b'));
    await settle(30);
    expect(b.nic.take().map(tagOf)).toContain('a-to-b');

    // Record A's next keepalive, then A's NAT mapping changes.
    const before = net.sent.length;
    now += 20_000;
    (a.bridge as Bridge).sweep();
    await settle(10);
    const keepalive = net.sent.slice(before).find((d) => d.from === '198.51.100.1:41000')!;
    expect(keepalive.data.length).toBe(SECURE_MIN_LEN + 24);
    net.nat.set('192.168.1.10', { publicAddress: '198.51.100.1', portOffset: 2000 });
    now += 20_000;
    (a.bridge as Bridge).sweep();
    await settle(30);
    expect(peers().sort()).toEqual(['198.51.100.1:42000 verified', '198.51.100.2:41001 verified']);
    // The recorded keepalive from another address moves nobody.
    net.inject(keepalive.data, '203.0.113.66', 5555, '203.0.113.5', 8000);
    await settle(10);
    expect(peers().sort()).toEqual(['198.51.100.1:42000 verified', '198.51.100.2:41001 verified']);
    expect(hub.bridge.snapshot().legs[0]!.drops.replay).toBeGreaterThanOrEqual(1);
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'b-to-a-after-move'));
    await settle(30);
    expect(a.nic.take().map(tagOf)).toContain('b-to-a-after-move');
  });
});
