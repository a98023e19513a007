import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../model/events.js';
import { MAC_LOCAL_HOLD_MS, MAC_TABLE_MAX, MACS_PER_PEER_MAX } from '../../model/defaults.js';
import { Drops } from '../stats/counters.js';
import { EventCoalescer } from '../stats/event-coalescer.js';
import { SegmentSwitch } from './segment-switch.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

type Sent = { via: string; kind: 'to' | 'flood'; peer: string | null; dst: string };

class FakePort implements SwitchPort {
  readonly drops = new Drops();
  constructor(
    readonly id: number,
    readonly name: string,
    readonly relays: boolean,
    private readonly log: Sent[],
    readonly local = false,
  ) {}
  sendTo(frame: Buffer, offset: number, _len: number, peer: PeerRef | null): void {
    this.log.push({ via: this.name, kind: 'to', peer: peer?.label ?? null, dst: frame.subarray(offset, offset + 6).toString('hex') });
  }
  flood(frame: Buffer, offset: number, _len: number, except: PeerRef | null): void {
    this.log.push({ via: this.name, kind: 'flood', peer: except?.label ?? null, dst: frame.subarray(offset, offset + 6).toString('hex') });
  }
}

const BCAST = 'ffffffffffff';
const A = '020000000001';
const B = '020000000002';
const C = '020000000003';
let peerKey = 0;
const peer = (label: string, verified = false): PeerRef => ({ label, key: ++peerKey, verified, macCount: 0 });

function frame(dst: string, src: string, pad = 2): Buffer {
  // offset `pad` proves the switch honours offsets
  return Buffer.concat([Buffer.alloc(pad, 0xee), Buffer.from(dst + src + '0800', 'hex'), Buffer.alloc(46)]);
}

describe('SegmentSwitch', () => {
  let now = 1_000;
  let log: Sent[];
  let sw: SegmentSwitch;
  let nic: FakePort;
  let mesh: FakePort;
  let hub: FakePort;
  // Fresh per test: peers carry their MAC counts.
  let p1: PeerRef;
  let p2: PeerRef;

  beforeEach(() => {
    now = 1_000;
    log = [];
    p1 = peer('10.0.0.1:4789');
    p2 = peer('10.0.0.2:4789');
    sw = new SegmentSwitch(5000, { now: () => now }, { ageingMs: 300_000 });
    nic = new FakePort(0, 'nic', false, log, true);
    mesh = new FakePort(1, 'mesh', false, log);
    hub = new FakePort(2, 'hub', true, log);
    [nic, mesh, hub].forEach((p) => sw.attach(p));
  });
  const send = (port: FakePort, from: PeerRef | null, dst: string, src: string) => {
    const f = frame(dst, src);
    sw.forward(port, from, f, 2, f.length - 2);
  };

  it('floods broadcast to every other port, and on a hub port to the other peers', () => {
    send(hub, p1, BCAST, A);
    expect(log).toEqual([
      { via: 'nic', kind: 'flood', peer: null, dst: BCAST },
      { via: 'mesh', kind: 'flood', peer: null, dst: BCAST },
      { via: 'hub', kind: 'flood', peer: p1.label, dst: BCAST },
    ]);
  });

  it('never floods back out of a mesh port (split horizon)', () => {
    send(mesh, p1, BCAST, A);
    expect(log.map((s) => s.via)).toEqual(['nic', 'hub']);
  });

  it('floods unknown unicast, then sends learned unicast only to the learned port and peer', () => {
    send(nic, null, B, A); // B unknown
    expect(log.map((s) => s.kind)).toEqual(['flood', 'flood']);
    log.length = 0;
    send(mesh, p2, A, B); // A learned on nic
    expect(log).toEqual([{ via: 'nic', kind: 'to', peer: null, dst: A }]);
    log.length = 0;
    send(nic, null, B, A); // B learned on mesh behind p2
    expect(log).toEqual([{ via: 'mesh', kind: 'to', peer: p2.label, dst: B }]);
  });

  it('relays unicast between two peers of a hub port, drops it towards the same peer', () => {
    send(hub, p1, BCAST, A);
    send(hub, p2, BCAST, B);
    log.length = 0;
    send(hub, p1, B, A);
    expect(log).toEqual([{ via: 'hub', kind: 'to', peer: p2.label, dst: B }]);
    log.length = 0;
    send(hub, p1, A, C); // A sits behind p1 itself
    expect(log).toEqual([]);
    expect(hub.drops['split-horizon']).toBe(1);
  });

  it('drops unicast whose destination sits behind the mesh port it came from', () => {
    send(mesh, p1, BCAST, A);
    log.length = 0;
    send(mesh, p2, A, B);
    expect(log).toEqual([]);
    expect(mesh.drops['split-horizon']).toBe(1);
  });

  it('moves a MAC when it shows up elsewhere', () => {
    send(mesh, p1, BCAST, A);
    send(nic, null, BCAST, A);
    log.length = 0;
    send(mesh, p2, A, B);
    expect(log).toEqual([{ via: 'nic', kind: 'to', peer: null, dst: A }]);
  });

  it('ages entries out after the ageing time, then floods again', () => {
    send(mesh, p1, BCAST, A);
    now += 299_999;
    sw.sweep();
    expect(sw.macs.lookup(0x020000000001)).toBeDefined();
    now += 1;
    sw.sweep();
    expect(sw.macs.lookup(0x020000000001)).toBeUndefined();
    log.length = 0;
    send(nic, null, A, B);
    expect(log.map((s) => s.kind)).toEqual(['flood', 'flood']);
  });

  it('drops runt frames and group source MACs without learning them', () => {
    const runt = Buffer.alloc(13);
    sw.forward(nic, null, runt, 0, 13);
    send(nic, null, A, BCAST);
    expect(nic.drops.malformed).toBe(2);
    expect(sw.macs.size).toBe(0);
    expect(log).toEqual([]);
  });

  it('forgets the MACs behind a set of expired peers in one pass, and only those', () => {
    send(hub, p1, BCAST, A);
    send(hub, p2, BCAST, B);
    send(mesh, p1, BCAST, C); // same peer object on another port: kept
    sw.macs.forgetPeers(hub, new Set([p1]));
    expect(sw.macs.lookup(0x020000000001)).toBeUndefined();
    expect(sw.macs.lookup(0x020000000002)).toBeDefined();
    expect(sw.macs.lookup(0x020000000003)).toBeDefined();
  });

  it('forgets the MACs of a detached port', () => {
    send(mesh, p1, BCAST, A);
    sw.detach(mesh);
    expect(sw.macs.size).toBe(0);
    log.length = 0;
    send(nic, null, BCAST, B);
    expect(log.map((s) => s.via)).toEqual(['hub']);
  });
});

/** The segment as seen from a LAN: one local adapter, one provider-like tunnel port, events through a coalescer. */
function lan(opts: { maxEntries?: number } = {}) {
  const clock = { t: 1_000_000, now: () => clock.t };
  const log: Sent[] = [];
  const events: BridgeEvent[] = [];
  const coalescer = new EventCoalescer((e) => events.push(e));
  const sw = new SegmentSwitch(5000, clock, { maxEntries: opts.maxEntries }, coalescer);
  const nic = new FakePort(0, 'nic', false, log, true);
  const vx = new FakePort(1, 'vx', true, log);
  sw.attach(nic);
  sw.attach(vx);
  const send = (port: FakePort, from: PeerRef | null, dst: string, src: string) => {
    const f = frame(dst, src);
    sw.forward(port, from, f, 2, f.length - 2);
  };
  return { clock, log, events, coalescer, sw, nic, vx, send };
}

const hex = (n: number) => n.toString(16).padStart(12, '0');

describe('SegmentSwitch against a hostile tunnel side', () => {
  const HOST = '02aa00000001';
  const OTHER = '02aa00000002';

  it('an admitted peer cannot take over a local host: the claim is forwarded, the entry stays, one event says so', () => {
    const t = lan();
    const attacker = peer('198.51.100.66:4789');
    t.send(t.nic, null, BCAST, HOST);
    t.log.length = 0;
    for (let i = 0; i < 1000; i++) t.send(t.vx, attacker, BCAST, HOST); // a flood claiming the host's MAC
    expect(t.log.filter((s) => s.via === 'nic')).toHaveLength(1000); // still forwarded (flooded) each time
    t.log.length = 0;
    t.send(t.vx, peer('192.0.2.7:4789', true), HOST, OTHER);
    expect(t.log).toEqual([{ via: 'nic', kind: 'to', peer: null, dst: HOST }]); // unicast still reaches the host
    expect(t.sw.macs.heldLocal).toBe(1000);
    t.coalescer.sweep();
    expect(t.events).toEqual([
      { type: 'mac-move-refused', leg: 1, segment: 5000, mac: '02:aa:00:00:00:01', peer: attacker.label, heldLeg: 0, reason: 'local-hold' },
      { type: 'mac-move-refused', leg: 1, segment: 5000, mac: '02:aa:00:00:00:01', peer: attacker.label, heldLeg: 0, reason: 'local-hold', count: 999 },
    ]);
  });

  it('a local host that went quiet for the hold time may be found behind a peer (it moved)', () => {
    const t = lan();
    const site = peer('192.0.2.7:4789', true);
    t.send(t.nic, null, BCAST, HOST);
    t.clock.t += MAC_LOCAL_HOLD_MS;
    t.send(t.vx, site, BCAST, HOST);
    t.log.length = 0;
    t.send(t.nic, null, HOST, OTHER);
    expect(t.log).toEqual([{ via: 'vx', kind: 'to', peer: site.label, dst: HOST }]);
    expect(t.events).toEqual([{ type: 'mac-moved', leg: 1, segment: 5000, mac: '02:aa:00:00:00:01', peer: site.label, fromLeg: 0 }]);
  });

  it('a MAC flapping between two peers raises one event and one summary a second, not one per frame', () => {
    const t = lan();
    const a = peer('192.0.2.1:4789');
    const b = peer('192.0.2.2:4789');
    for (let i = 0; i < 1000; i++) t.send(t.vx, i % 2 === 0 ? a : b, BCAST, OTHER);
    expect(t.sw.macs.moved).toBe(2); // MAC_MOVES_PER_S
    expect(t.sw.macs.rateLimited).toBe(499); // b's frames; a's refresh the entry it kept
    t.coalescer.sweep();
    t.coalescer.sweep();
    expect(t.events.map((e) => [e.type, 'reason' in e ? e.reason : '', 'count' in e ? e.count : 1])).toEqual([
      ['mac-moved', '', 1],
      ['mac-move-refused', 'move-rate', 1],
      ['mac-moved', '', 1],
      ['mac-move-refused', 'move-rate', 498],
    ]);
  });

  it(`70,000 random source MACs from one unverified peer: it keeps ${MACS_PER_PEER_MAX}, a later local host is learned, unicast to it is not flooded`, () => {
    const t = lan();
    const attacker = peer('198.51.100.66:4789');
    for (let i = 0; i < 70_000; i++) {
      // Distinct, scattered unicast MACs: i times an odd number, modulo 2^40, under 02:…
      t.send(t.vx, attacker, BCAST, hex(0x020000000000 + ((i * 0x9e3779b1) % 2 ** 40)));
      if (i % 1000 === 0) t.clock.t += 10;
    }
    expect(attacker.macCount).toBe(MACS_PER_PEER_MAX);
    expect(t.sw.macs.peerLimited).toBe(70_000 - MACS_PER_PEER_MAX);
    t.send(t.nic, null, BCAST, HOST); // a new LAN host
    expect(t.sw.macs.lookup(0x02aa00000001)?.port).toBe(t.nic);
    t.log.length = 0;
    t.send(t.vx, peer('192.0.2.7:4789', true), HOST, OTHER);
    expect(t.log).toEqual([{ via: 'nic', kind: 'to', peer: null, dst: HOST }]);
    t.coalescer.sweep();
    expect(t.events.filter((e) => e.type === 'mac-learn-refused').map((e) => ('count' in e ? e.count : 1))).toEqual([1, 70_000 - MACS_PER_PEER_MAX - 1]);
  });

  it('70,000 random source MACs from 70 unverified peers fill the table; a later local host still gets in by eviction', () => {
    const t = lan();
    const peers = Array.from({ length: 70 }, (_, i) => peer(`198.51.100.${i + 1}:4789`));
    for (let i = 0; i < 70_000; i++) {
      t.send(t.vx, peers[i % 70]!, BCAST, hex(0x020000000000 + i * 2));
      if (i % 1000 === 0) t.clock.t += 10;
    }
    expect(t.sw.macs.size).toBe(MAC_TABLE_MAX);
    expect(t.sw.macs.evicted).toBe(70_000 - MAC_TABLE_MAX);
    t.send(t.nic, null, BCAST, HOST);
    expect(t.sw.macs.lookup(0x02aa00000001)?.port).toBe(t.nic);
    expect(t.sw.macs.lookup(0x020000000000)).toBeUndefined(); // the least recent attacker MAC went
    t.log.length = 0;
    t.send(t.vx, peers[0]!, HOST, OTHER);
    expect(t.log).toEqual([{ via: 'nic', kind: 'to', peer: null, dst: HOST }]);
    // And it stays: the attackers only evict each other.
    for (let i = 0; i < 70_000; i++) t.send(t.vx, peers[i % 70]!, BCAST, hex(0x020100000000 + i * 2));
    expect(t.sw.macs.lookup(0x02aa00000001)?.port).toBe(t.nic);
  });

  it('counts without events when the switch has no event gate', () => {
    const log: Sent[] = [];
    const sw = new SegmentSwitch(1, { now: () => 0 });
    const nic = new FakePort(0, 'nic', false, log, true);
    const vx = new FakePort(1, 'vx', false, log);
    sw.attach(nic);
    sw.attach(vx);
    const f = frame(BCAST, HOST);
    sw.forward(nic, null, f, 2, f.length - 2);
    sw.forward(vx, peer('p'), f, 2, f.length - 2);
    expect(sw.macs.heldLocal).toBe(1);
  });
});
