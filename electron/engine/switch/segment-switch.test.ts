import { beforeEach, describe, expect, it } from 'vitest';
import { Drops } from '../stats/counters.js';
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
const peer = (label: string): PeerRef => ({ label });

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
  const p1 = peer('10.0.0.1:4789');
  const p2 = peer('10.0.0.2:4789');

  beforeEach(() => {
    now = 1_000;
    log = [];
    sw = new SegmentSwitch(5000, { now: () => now }, 300_000);
    nic = new FakePort(0, 'nic', false, log);
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
