// Encrypted V legs (`*KEY`) end to end over the in-memory network: sealing,
// session confirmation (challenge/response), replay, wrong keys, roaming
// behind NAT. README "Secure legs: wire format".

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bridge } from './bridge.js';
import { createBridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import type { BridgeEvent } from '../model/events.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { BROADCAST, ethFrame, settle, tagOf } from './test-support/frames.js';
import { SECURE_HEADER_LEN, SECURE_MIN_LEN, SecureType, TAG_LEN, writeSecureHeader } from './crypto/secure-header.js';
import { CONTROL_LEN, COOKIE_LEN, ControlType, NONCE_LEN, emptyControlPacket, readControl, writeControlCookie, writeControlKeepalive } from './codec/control.js';
import { NEW_SESSIONS_PER_S, SecureSessions, UNCONFIRMED_MAX } from './legs/secure-sessions.js';
import { WEAK_KEY_CHARS } from './legs/leg-key.js';
import { legs } from './test-support/legs.js';

const KEY = 'correct-horse-battery-staple';
const MAC = (n: number) => `02:00:00:00:00:0${n}`;

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

describe('encrypted VXLAN legs: modes, key sources, mixed legs, hostile floods', () => {
  const bridges: BridgeHandle[] = [];
  let now = 1_000_000;
  const clock = { now: () => now };
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });

  /** A bridge on a host with `addresses` (the first one is the host), its legs plus a W leg on 'lan'. */
  async function site(net: MemoryNetwork, addresses: string | string[], legStrings: string[], opts: { nat?: string; running?: boolean } = {}) {
    const addrs = typeof addresses === 'string' ? [addresses] : addresses;
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    if (opts.nat) net.nat.set(addrs[0]!, { publicAddress: opts.nat, portOffset: 1000 });
    const bridge = createBridge(legs(...legStrings, '5000#W:E@lan'), { capture, udp: net.host(...addrs), clock }, { keepaliveMs: 20_000 });
    const events: BridgeEvent[] = [];
    bridge.onEvent((e) => events.push(e));
    bridges.push(bridge);
    await bridge.start();
    if (opts.running !== false) for (const l of bridge.snapshot().legs) expect(l.state, l.error).toBe('running');
    return { bridge, nic, events };
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

  const sealed = (d: { data: Buffer }) => d.data[0] === 0x00 && d.data[1] === 0xe1;
  const plainVxlan = (d: { data: Buffer }) => d.data[0] === 0x08;

  it('multicast with a key: three sites in group 239.1.1.1 deliver after confirming each other; replies go unicast, sealed', async () => {
    const net = new MemoryNetwork();
    const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const [s1, s2, s3] = await Promise.all(ips.map((ip) => site(net, ip, [`5000#V:E@${ip}:239.1.1.1*${KEY}`])));
    // Each site speaks once: the others challenge it and it them, until every pair is confirmed.
    for (const [i, s] of [s1!, s2!, s3!].entries()) {
      s.nic.receive(ethFrame(BROADCAST, MAC(i + 1), `hello-${i + 1}`));
      await settle(30);
    }
    for (const s of [s1!, s2!, s3!]) s.nic.take();
    for (const s of [s1!, s2!, s3!]) {
      const learned = s.bridge.snapshot().peers.filter((p) => p.origin === 'learned');
      expect(learned.map((p) => `${p.address} ${p.verified}`).sort()).toHaveLength(2);
      expect(learned.every((p) => p.verified && /^[0-9a-f]{16}$/.test(p.session ?? ''))).toBe(true);
    }

    net.sent.length = 0;
    s1!.nic.receive(ethFrame(BROADCAST, MAC(1), 'bum'));
    await settle(30);
    expect(s2!.nic.take().map(tagOf)).toEqual(['bum']);
    expect(s3!.nic.take().map(tagOf)).toEqual(['bum']);
    expect(net.sent.map((d) => d.to)).toEqual(['239.1.1.1:4789']); // once, to the group
    net.sent.length = 0;
    s3!.nic.receive(ethFrame(MAC(1), MAC(3), 'reply'));
    await settle(30);
    expect(s1!.nic.take().map(tagOf)).toEqual(['reply']);
    expect(s2!.nic.take()).toEqual([]);
    expect(net.sent.map((d) => d.to)).toEqual(['10.0.0.1:4789']);
    for (const d of net.sent) {
      expect(sealed(d)).toBe(true);
      expect(d.data.includes(Buffer.from('reply'))).toBe(false);
    }
  });

  it('multicast with a key: a site with another key is never learned', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:239.1.1.1*${KEY}`]);
    const b = await site(net, '10.0.0.2', ['5000#V:E@10.0.0.2:239.1.1.1*not-the-same-key-at-all']);
    for (let i = 0; i < 3; i++) {
      b.nic.receive(ethFrame(BROADCAST, MAC(2), `try-${i}`));
      await settle(10);
    }
    expect(a.nic.take()).toEqual([]);
    expect(a.bridge.snapshot().peers.filter((p) => p.origin === 'learned')).toEqual([]);
    expect(a.bridge.snapshot().legs[0]!.drops.auth).toBe(3);
  });

  it('HER with a key: a key holder at an address outside the HER list is never confirmed or learned (unknown-peer)', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*${KEY}`]);
    const stranger = await site(net, '10.0.0.66', [`5000#V:E@10.0.0.66:10.0.0.1*${KEY}`]);
    for (let i = 0; i < 3; i++) {
      now += 1_000; // past the challenge interval: the stranger is challenged, answers, and is refused each time
      stranger.nic.receive(ethFrame(BROADCAST, MAC(6), `intruder-${i}`));
      await settle(30);
    }
    expect(a.nic.take()).toEqual([]);
    const s = a.bridge.snapshot();
    expect(s.legs[0]!.drops['unknown-peer']).toBeGreaterThanOrEqual(1);
    expect(s.peers).toEqual([expect.objectContaining({ address: '10.0.0.2:4789', origin: 'configured' })]);
    expect(s.peers[0]!.session).toBeUndefined();
    expect(s.macs).toEqual([]);
  });

  it("HER with a key: a confirmed session's packet from an address outside the HER list is refused ('unknown-peer', as on plain HER); from the listed address any source port counts", async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*${KEY}`]);
    const b = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1*${KEY}`]);
    await confirm(a, b);
    const drops = () => a.bridge.snapshot().legs[0]!.drops;
    const unknown = drops()['unknown-peer'];
    const sealedFromB = (start: number) => net.sent.slice(start).find((d) => d.from === '10.0.0.2:4789')!;
    let start = net.sent.length;
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'raced'));
    const original = sealedFromB(start);
    // Delivered now, before the original (which the network delivers on the next turn).
    net.inject(original.data, '10.0.0.66', 4789, '10.0.0.1', 4789);
    expect(a.nic.take()).toEqual([]);
    expect(drops()['unknown-peer']).toBe(unknown + 1);
    await settle(10);
    a.nic.take(); // (the original comes second: its counter is taken, a replay now)
    expect(a.bridge.snapshot().peers).toEqual([expect.objectContaining({ address: '10.0.0.2:4789', origin: 'configured' })]);
    // From another source port of the listed address (kernel VTEPs vary theirs) a packet counts, once.
    start = net.sent.length;
    b.nic.receive(ethFrame(MAC(1), MAC(2), 'other-port'));
    net.inject(sealedFromB(start).data, '10.0.0.2', 50000, '10.0.0.1', 4789);
    expect(a.nic.take().map(tagOf)).toEqual(['other-port']);
    await settle(10);
    expect(a.nic.take()).toEqual([]); // the same packet from port 4789: a replay
    expect(drops()['unknown-peer']).toBe(unknown + 1);
    expect(a.bridge.snapshot().peers).toEqual([expect.objectContaining({ address: '10.0.0.2:4789', origin: 'configured' })]);
  });

  it('after a restart, a recording of a peer that is still running is not delivered again once the peer confirms', async () => {
    const net = new MemoryNetwork();
    const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*${KEY}`]);
    const b = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1*${KEY}`]);
    await confirm(a, b);
    const start = net.sent.length;
    for (const tag of ['old-1', 'old-2', 'old-3']) a.nic.receive(ethFrame(BROADCAST, MAC(1), tag));
    await settle(30);
    expect(b.nic.take().map(tagOf)).toEqual(['old-1', 'old-2', 'old-3']);
    const recorded = net.sent.slice(start).filter((d) => d.from === '10.0.0.1:4789' && d.data.length > 64);
    expect(recorded).toHaveLength(3);

    await b.bridge.stop(); // B restarts; A keeps running, with the same session
    const b2 = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1*${KEY}`]);
    net.inject(recorded[0]!.data, '10.0.0.1', 4789, '10.0.0.2', 4789); // challenged: A answers it
    await settle(30);
    expect(b2.bridge.snapshot().peers[0]!.session).toMatch(/^[0-9a-f]{16}$/); // A's session, confirmed by A itself
    net.inject(recorded[1]!.data, '10.0.0.1', 4789, '10.0.0.2', 4789);
    net.inject(recorded[2]!.data, '10.0.0.1', 4789, '10.0.0.2', 4789);
    await settle(10);
    expect(b2.nic.take().map(tagOf)).toEqual([]);
    expect(b2.bridge.snapshot().legs[0]!.drops.replay).toBe(2);
  });

  describe('where the key comes from', () => {
    const ENV = `VXB_TEST_KEY_${process.pid}`;
    let dir: string | null = null;
    afterEach(() => {
      delete process.env[ENV];
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      dir = null;
    });
    const tempDir = () => (dir = mkdtempSync(join(tmpdir(), 'vxb-key-')));
    /** Everything a user can see of a bridge: its snapshot and its events. */
    const visible = (s: { bridge: BridgeHandle; events: BridgeEvent[] }) => JSON.stringify([s.bridge.snapshot(), s.events]);

    it('*env:NAME and *file:PATH (with a trailing newline) read the same key: the two sites talk', async () => {
      process.env[ENV] = KEY;
      const file = join(tempDir(), 'lab.key');
      writeFileSync(file, `${KEY}\n`, { mode: 0o600 });
      const net = new MemoryNetwork();
      const a = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*env:${ENV}`]);
      const b = await site(net, '10.0.0.2', [`5000#V:E@10.0.0.2:10.0.0.1*file:${file}`]);
      await confirm(a, b);
      a.nic.receive(ethFrame(MAC(2), MAC(1), 'via-env'));
      await settle(30);
      expect(b.nic.take().map(tagOf)).toEqual(['via-env']);
      b.nic.receive(ethFrame(MAC(1), MAC(2), 'via-file'));
      await settle(30);
      expect(a.nic.take().map(tagOf)).toEqual(['via-file']);
      expect(a.bridge.snapshot().legs[0]).toMatchObject({ encrypted: true, leg: expect.stringContaining(`*env:${ENV}`) });
      expect(b.bridge.snapshot().legs[0]).toMatchObject({ encrypted: true, leg: expect.stringContaining(`*file:${file}`) });
      expect(visible(a)).not.toContain(KEY);
      expect(visible(b)).not.toContain(KEY);
    });

    it('the key is read when the leg starts, not when the leg string is parsed', async () => {
      const spec = legs(`5000#V:E@10.0.0.1:10.0.0.2*env:${ENV}`);
      process.env[ENV] = KEY;
      const net = new MemoryNetwork();
      const capture = new MemoryCapturePort();
      capture.add(new MemoryNic('lan'));
      const bridge = createBridge([...spec, ...legs('5000#W:E@lan')], { capture, udp: net.host('10.0.0.1'), clock });
      bridges.push(bridge);
      await bridge.start();
      expect(bridge.snapshot().legs[0]!.state).toBe('running');
    });

    const failures: ReadonlyArray<{ name: string; key: () => string; names: () => string; secret?: string }> = [
      { name: 'an environment variable that is not set', key: () => `env:${ENV}`, names: () => ENV },
      {
        name: 'an environment variable that is empty',
        key: () => {
          process.env[ENV] = '';
          return `env:${ENV}`;
        },
        names: () => ENV,
      },
      { name: 'a key file that does not exist', key: () => `file:${join(tempDir(), 'missing.key')}`, names: () => join(dir!, 'missing.key') },
      {
        name: 'a key file of more than one line',
        key: () => {
          const f = join(tempDir(), 'two-lines.key');
          writeFileSync(f, `${KEY}\nsecond-line-secret\n`);
          return `file:${f}`;
        },
        names: () => join(dir!, 'two-lines.key'),
        secret: 'second-line-secret',
      },
      {
        name: 'an empty key file',
        key: () => {
          const f = join(tempDir(), 'empty.key');
          writeFileSync(f, '');
          return `file:${f}`;
        },
        names: () => join(dir!, 'empty.key'),
      },
    ];
    it.each(failures)('$name: the leg goes to error, naming where the key should come from and never the key', async ({ key, names, secret }) => {
      // A key elsewhere in the process: an error must not pick it up either.
      process.env.VXB_OTHER_KEY_FOR_TEST = KEY;
      try {
        const net = new MemoryNetwork();
        const s = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*${key()}`], { running: false });
        const legsNow = s.bridge.snapshot().legs;
        expect(legsNow.map((l) => l.state)).toEqual(['error', 'running']);
        const error = legsNow[0]!.error!;
        expect(error).toContain(names());
        expect(error).toMatch(/Fix: /);
        expect(visible(s)).not.toContain(KEY);
        if (secret !== undefined) expect(visible(s)).not.toContain(secret);
        // The leg that failed holds no port: nothing was bound, nothing is sent.
        s.nic.receive(ethFrame(BROADCAST, MAC(1), 'nowhere'));
        await settle(10);
        expect(net.sent).toEqual([]);
      } finally {
        delete process.env.VXB_OTHER_KEY_FOR_TEST;
      }
    });

    const weak = (w: string) => w.includes(`fewer than ${WEAK_KEY_CHARS} characters`);
    it.each([
      { name: 'a key one character short of WEAK_KEY_CHARS warns', key: 'k'.repeat(WEAK_KEY_CHARS - 1), warns: true },
      { name: 'a 5-character key warns', key: 'abcde', warns: true },
      { name: 'a key of WEAK_KEY_CHARS characters does not', key: 'k'.repeat(WEAK_KEY_CHARS), warns: false },
      { name: 'the test key does not', key: KEY, warns: false },
    ])('$name', async ({ key, warns }) => {
      const net = new MemoryNetwork();
      const s = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*${key}`]);
      const l = s.bridge.snapshot().legs[0]!;
      expect(l.state).toBe('running'); // a warning, not an error
      expect(l.warnings.filter(weak)).toHaveLength(warns ? 1 : 0);
      expect(s.events.filter((e) => e.type === 'warning' && weak(e.message))).toHaveLength(warns ? 1 : 0);
      expect(visible(s)).not.toContain(`*${key}`);
      if (warns) expect(l.warnings.find(weak)).not.toContain(key);
    });

    it('a short key read from an environment variable warns too', async () => {
      process.env[ENV] = 'abcde';
      const net = new MemoryNetwork();
      const s = await site(net, '10.0.0.1', [`5000#V:E@10.0.0.1:10.0.0.2*env:${ENV}`]);
      expect(s.bridge.snapshot().legs[0]!.warnings.filter(weak)).toHaveLength(1);
    });
  });

  it('mixed legs: encrypted laptops (provider leg) and a plain data-centre VXLAN (HER leg) on one segment relay both ways', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, ['203.0.113.5', '10.0.0.1'], [`5000#V:E@203.0.113.5:0*${KEY}:8000`, '5000#V:E@10.0.0.1:10.0.0.2']);
    const dc = await site(net, '10.0.0.2', ['5000#V:E@10.0.0.2:10.0.0.1']); // a standard VTEP (kernel vxlan) would do the same
    const laptop = await site(net, '192.168.1.10', [`5000#V:E@*:203.0.113.5*${KEY}:8000`], { nat: '198.51.100.1' });
    await settle(40);
    expect(
      hub.bridge
        .snapshot()
        .peers.filter((p) => p.leg === 0)
        .map((p) => `${p.address} ${p.verified}`),
    ).toEqual(['198.51.100.1:41000 true']);

    net.sent.length = 0;
    laptop.nic.receive(ethFrame(BROADCAST, MAC(1), 'from-laptop'));
    await settle(30);
    expect(dc.nic.take().map(tagOf)).toEqual(['from-laptop']);
    expect(hub.nic.take().map(tagOf)).toEqual(['from-laptop']);
    const toDc = net.sent.filter((d) => d.to === '10.0.0.2:4789');
    expect(toDc.length).toBeGreaterThan(0);
    expect(toDc.every(plainVxlan)).toBe(true); // the data centre gets standard VXLAN

    net.sent.length = 0;
    dc.nic.receive(ethFrame(MAC(1), MAC(2), 'from-dc'));
    await settle(30);
    expect(laptop.nic.take().map(tagOf)).toEqual(['from-dc']);
    expect(hub.nic.take()).toEqual([]); // unicast to MAC 1: only behind the laptop
    const toLaptop = net.sent.filter((d) => d.to === '198.51.100.1:41000');
    expect(toLaptop.length).toBeGreaterThan(0);
    expect(toLaptop.every(sealed)).toBe(true);
    expect(toLaptop.some((d) => d.data.includes(Buffer.from('from-dc')))).toBe(false);

    dc.nic.receive(ethFrame(MAC(1), MAC(2), 'again'));
    laptop.nic.receive(ethFrame(MAC(2), MAC(1), 'back'));
    await settle(30);
    expect(laptop.nic.take().map(tagOf)).toEqual(['again']);
    expect(dc.nic.take().map(tagOf)).toEqual(['back']);
    const macs = hub.bridge.snapshot().macs;
    expect(macs.find((m) => m.mac === MAC(1))).toMatchObject({ leg: 0, peer: '198.51.100.1:41000' });
    expect(macs.find((m) => m.mac === MAC(2))).toMatchObject({ leg: 1, peer: '10.0.0.2:4789' });
  });

  it('a keyed provider under a flood of 5,000 forged sealed datagrams: learns nobody, answers nothing, derives keys only at the rate limit; a real VTEP gets in afterwards', async () => {
    const net = new MemoryNetwork();
    const hub = await site(net, '203.0.113.5', [`5000#V:E@203.0.113.5:0*${KEY}:8000`]);
    const lookup = vi.spyOn(SecureSessions.prototype, 'lookup');
    try {
      const t0 = now;
      const forged = Buffer.alloc(SECURE_HEADER_LEN + 60 + TAG_LEN);
      for (let i = 0; i < 5_000; i++) {
        if (i % 5 === 0) now += 1; // 5,000 in one second of fake time
        writeSecureHeader(forged, 0, {
          type: i % 2 === 0 ? SecureType.FRAME : SecureType.KEEPALIVE,
          vni: 5000,
          session: randomBytes(8).readBigUInt64BE(0),
          counterHi: 0,
          counterLo: i,
        });
        randomBytes(60 + TAG_LEN).copy(forged, SECURE_HEADER_LEN);
        net.inject(forged, `198.18.${(i >> 8) & 255}.${i & 255}`, 1024 + i, '203.0.113.5', 8000);
      }
      await settle(10);
      const seconds = (now - t0) / 1000;
      const created = lookup.mock.results.filter((r) => r.value !== null).length;
      expect(lookup).toHaveBeenCalledTimes(5_000);
      expect(created).toBeGreaterThan(0);
      expect(created).toBeLessThanOrEqual(2 * NEW_SESSIONS_PER_S + Math.ceil(seconds * NEW_SESSIONS_PER_S));
      const sessions = lookup.mock.contexts[0] as SecureSessions;
      expect(sessions.size).toBeLessThanOrEqual(UNCONFIRMED_MAX);
      const s = hub.bridge.snapshot();
      expect(s.peers).toEqual([]);
      expect(s.macs).toEqual([]);
      expect(hub.nic.take()).toEqual([]);
      expect(s.legs[0]!.drops.auth).toBe(5_000);
      expect(net.sent).toEqual([]); // not one challenge: nothing authenticated
    } finally {
      lookup.mockRestore();
    }
    now += 1_000; // the flood is over
    const a = await site(net, '192.168.1.10', [`5000#V:E@*:203.0.113.5*${KEY}:8000`], { nat: '198.51.100.7' });
    await settle(40);
    expect(hub.bridge.snapshot().peers.map((p) => `${p.origin} ${p.verified}`)).toEqual(['learned true']);
    a.nic.receive(ethFrame(BROADCAST, MAC(7), 'real'));
    await settle(30);
    expect(hub.nic.take().map(tagOf)).toEqual(['real']);
  });

  describe('plain provider: cookies', () => {
    const HUB = '203.0.113.5';
    const VTEP = '198.51.100.7';
    const keepalive = (vtepId: number, cookie: Buffer | null) => {
      const b = Buffer.alloc(CONTROL_LEN);
      writeControlKeepalive(b, 0, 5000, 20, vtepId, randomBytes(NONCE_LEN), cookie);
      return b;
    };
    /** The cookie the hub answers a cookie-less keepalive from VTEP:port with. */
    async function cookieFor(net: MemoryNetwork, port: number): Promise<Buffer> {
      const start = net.sent.length;
      net.inject(keepalive(0x1234, null), VTEP, port, HUB, 8000);
      await settle(5);
      const replies = net.sent.slice(start).filter((d) => d.from === `${HUB}:8000` && d.to === `${VTEP}:${port}`);
      expect(replies).toHaveLength(1);
      const c = readControl(replies[0]!.data, 0, replies[0]!.data.length, emptyControlPacket());
      expect(c?.type).toBe(ControlType.COOKIE);
      return Buffer.from(replies[0]!.data.subarray(c!.cookieAt, c!.cookieAt + COOKIE_LEN));
    }
    const learned = (hub: { bridge: BridgeHandle }) => hub.bridge.snapshot().peers.map((p) => p.address);
    /** Where control packets carry their cookie (codec/control.ts). */
    const COOKIE_AT = 24;

    it("a keepalive with the cookie given to another port (or address) is not learned; it gets that port's own cookie", async () => {
      const net = new MemoryNetwork();
      const hub = await site(net, HUB, ['5000#V:E@203.0.113.5:0:8000']);
      const cookie = await cookieFor(net, 41000);
      const start = net.sent.length;
      net.inject(keepalive(0x1234, cookie), VTEP, 41001, HUB, 8000);
      net.inject(keepalive(0x1234, cookie), '198.51.100.8', 41000, HUB, 8000);
      await settle(5);
      expect(learned(hub)).toEqual([]);
      expect(hub.bridge.snapshot().legs[0]!.drops.unverified).toBe(3); // the first cookie-less one, and these two
      const replies = net.sent.slice(start);
      expect(replies.map((d) => d.to).sort()).toEqual([`${VTEP}:41001`, '198.51.100.8:41000']);
      expect(replies.every((d) => d.data.length === CONTROL_LEN && !d.data.subarray(COOKIE_AT, COOKIE_AT + COOKIE_LEN).equals(cookie))).toBe(true);
      // From the port it was given to, the cookie works.
      net.inject(keepalive(0x1234, cookie), VTEP, 41000, HUB, 8000);
      await settle(5);
      expect(learned(hub)).toEqual([`${VTEP}:41000`]);
    });

    // An off-path host that spoofs the provider (and knows the access VTEP's
    // public mapping) sends two bogus cookies before each periodic keepalive
    // (the second inside the 1 s during which a new cookie prompts no
    // keepalive). It never sees a keepalive, so its cookies echo no nonce of
    // one: the access leg takes none, and its keepalives keep the real cookie.
    it('an access VTEP stays learned when an off-path host spoofs cookie packets from the provider', async () => {
      const net = new MemoryNetwork();
      const capture = new MemoryCapturePort();
      capture.add(new MemoryNic('lan'));
      const hubBridge = createBridge(legs('5000#V:E@203.0.113.5:0:8000', '5000#W:E@lan'), { capture, udp: net.host(HUB), clock }, { keepaliveMs: 20_000, sweepMs: 3_600_000 });
      bridges.push(hubBridge);
      await hubBridge.start();
      const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000'], { nat: '198.51.100.1' });
      await settle(10);
      expect(hubBridge.snapshot().peers.map((p) => p.address)).toEqual(['198.51.100.1:41000']);
      const bogus = Buffer.alloc(CONTROL_LEN);
      for (let period = 0; period < 5; period++) {
        for (const dt of [19_000, 500]) {
          now += dt;
          writeControlCookie(bogus, 0, 5000, randomBytes(NONCE_LEN), 0, randomBytes(COOKIE_LEN));
          net.inject(bogus, HUB, 8000, '192.168.1.10', 40000); // the access socket (its public mapping is 198.51.100.1:41000)
          await settle(5);
        }
        now += 500;
        (a.bridge as Bridge).sweep(); // the periodic keepalive
        await settle(5);
        (hubBridge as Bridge).sweep();
      }
      expect(hubBridge.snapshot().peers.map((p) => p.address)).toEqual(['198.51.100.1:41000']);
    });

    it("a forged cookie (it echoes neither of the access leg's last two keepalive nonces) is counted 'unverified' and not taken; the real pair still learns in one round trip", async () => {
      const net = new MemoryNetwork();
      const hub = await site(net, HUB, ['5000#V:E@203.0.113.5:0:8000']);
      const a = await site(net, '192.168.1.10', ['5000#V:E@*:203.0.113.5:8000'], { nat: '198.51.100.1' });
      await settle(10);
      const ACCESS = '198.51.100.1:41000'; // the access leg's public mapping (its socket: 192.168.1.10:40000)
      const wire = (from = 0) =>
        net.sent.slice(from).map((d) => {
          const c = readControl(d.data, 0, d.data.length, emptyControlPacket());
          return { line: `${d.from} -> ${d.to} ${c === null ? 'other' : c.type === ControlType.KEEPALIVE ? 'keepalive' : 'cookie'}`, data: d.data };
        });
      const nonceOf = (keepalive: Buffer) => keepalive.subarray(16, 16 + NONCE_LEN);
      const cookieIn = (packet: Buffer) => packet.subarray(COOKIE_AT, COOKIE_AT + COOKIE_LEN);

      // One round trip: a keepalive without a cookie, the cookie echoing its nonce, at once the keepalive with it.
      const first = wire();
      expect(first.map((w) => w.line)).toEqual([`${ACCESS} -> ${HUB}:8000 keepalive`, `${HUB}:8000 -> ${ACCESS} cookie`, `${ACCESS} -> ${HUB}:8000 keepalive`]);
      const [ka1, answer, ka2] = first.map((w) => w.data) as [Buffer, Buffer, Buffer];
      expect(cookieIn(ka1)).toEqual(Buffer.alloc(COOKIE_LEN));
      expect(answer.subarray(8, 8 + NONCE_LEN)).toEqual(nonceOf(ka1));
      const cookie = Buffer.from(cookieIn(answer));
      expect(cookieIn(ka2)).toEqual(cookie);
      expect(nonceOf(ka2)).not.toEqual(nonceOf(ka1)); // a new nonce in each keepalive
      expect(learned(hub)).toEqual([ACCESS]);
      expect(hub.bridge.snapshot().legs[0]!.drops.unverified).toBe(1); // the cookie-less first one

      const accessDrops = () => a.bridge.snapshot().legs[0]!.drops;
      const spoof = (nonce: Buffer, c: Buffer) => {
        const b = Buffer.alloc(CONTROL_LEN);
        writeControlCookie(b, 0, 5000, nonce, 0, c);
        net.inject(b, HUB, 8000, '192.168.1.10', 40000); // from the provider's IP:port, as an off-path host can
      };
      now += 2_000; // a new cookie taken now would make the leg send its keepalive at once
      const unverified = accessDrops().unverified;
      let start = net.sent.length;
      spoof(randomBytes(NONCE_LEN), randomBytes(COOKIE_LEN)); // a random nonce
      await settle(5);
      expect(accessDrops().unverified).toBe(unverified + 1);
      expect(net.sent.length).toBe(start); // not taken: no keepalive at once

      now += 20_000;
      start = net.sent.length;
      (a.bridge as Bridge).sweep(); // the periodic keepalive: the last two are now ka2 and ka3
      await settle(5);
      expect(wire(start).map((w) => w.line)).toEqual([`${ACCESS} -> ${HUB}:8000 keepalive`]);
      const ka3 = net.sent[start]!.data;
      expect(cookieIn(ka3)).toEqual(cookie); // still the provider's cookie
      now += 2_000;
      start = net.sent.length;
      spoof(nonceOf(ka1), randomBytes(COOKIE_LEN)); // the nonce of a keepalive before the last two
      await settle(5);
      expect(accessDrops().unverified).toBe(unverified + 2);
      expect(net.sent.length).toBe(start);
      expect(accessDrops()['unknown-peer']).toBe(0);

      // The provider refreshed its peer: it stays learned, nobody unverified at the hub since the first keepalive.
      expect(learned(hub)).toEqual([ACCESS]);
      expect(hub.bridge.snapshot().legs[0]!.drops.unverified).toBe(1);
      // A cookie answering the keepalive before last still counts (it crossed a newer keepalive on the way).
      const fresh = randomBytes(COOKIE_LEN);
      spoof(nonceOf(ka2), fresh);
      await settle(5);
      expect(accessDrops().unverified).toBe(unverified + 2);
      // Taken: a new cookie is told at once; the provider does not know it and answers with the real one, echoing that keepalive.
      const prompted = wire(start);
      expect(prompted.map((w) => w.line)).toEqual([`${ACCESS} -> ${HUB}:8000 keepalive`, `${HUB}:8000 -> ${ACCESS} cookie`]);
      expect(cookieIn(prompted[0]!.data)).toEqual(fresh);
      expect(prompted[1]!.data.subarray(8, 8 + NONCE_LEN)).toEqual(nonceOf(prompted[0]!.data));
      expect(cookieIn(prompted[1]!.data)).toEqual(cookie);
    });

    it('10,000 keepalives from two alternating ports of one VTEP id move the VTEP but leave one entry; its MACs follow', async () => {
      const net = new MemoryNetwork();
      const hub = await site(net, HUB, ['5000#V:E@203.0.113.5:0:8000']);
      const cookies = [await cookieFor(net, 41000), await cookieFor(net, 41001)];
      const ports = [41000, 41001];
      net.inject(keepalive(0xabc, cookies[0]!), VTEP, 41000, HUB, 8000);
      const frame = Buffer.concat([Buffer.from('0800000000138800', 'hex'), ethFrame(BROADCAST, MAC(7), 'vtep-host')]);
      net.inject(frame, VTEP, 41000, HUB, 8000);
      await settle(5);
      expect(hub.nic.take().map(tagOf)).toEqual(['vtep-host']);
      const sentBefore = net.sent.length;
      for (let i = 1; i <= 10_000; i++) {
        if (i % 10 === 0) now += 1;
        net.inject(keepalive(0xabc, cookies[i % 2]!), VTEP, ports[i % 2]!, HUB, 8000);
      }
      await settle(10);
      const s = hub.bridge.snapshot();
      expect(s.peers.map((p) => `${p.address} ${p.origin} ${p.verified}`)).toEqual([`${VTEP}:41000 learned true`]); // i = 10,000 is even
      expect(s.peers[0]!.rxPackets).toBe(1); // the same record all along
      expect(s.macs.find((m) => m.mac === MAC(7))).toMatchObject({ leg: 0, peer: `${VTEP}:41000` });
      expect(net.sent.length).toBe(sentBefore); // valid keepalives get no answer
      expect(s.legs[0]!.drops.unverified).toBe(2); // only the two cookie-less keepalives
      expect(hub.events.filter((e) => e.type === 'peer-learned')).toHaveLength(1);
    });
  });
});
