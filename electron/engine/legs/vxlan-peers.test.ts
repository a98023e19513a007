import { describe, expect, it } from 'vitest';
import { parseLeg } from '../../model/leg-grammar.js';
import type { VxlanLegSpec } from '../../model/leg-spec.js';
import { LEARNED_PEERS_MAX, PEERS_PER_ADDRESS_MAX } from '../../model/defaults.js';
import type { Peer } from './peer.js';
import { VxlanPeers } from './vxlan-peers.js';

const HER = '5000#V:E@10.0.0.1:10.0.0.2+10.0.0.3';
const MULTICAST = '5000#V:E@10.1.1.1:239.1.1.1';
const PROVIDER = '5000#V:E@203.0.113.5:0:8000';
const ACCESS = '5000#V:E@*:203.0.113.5:8000';
const A = '198.51.100.1';
const B = '198.51.100.2';

function vxlanSpec(leg: string): VxlanLegSpec {
  const r = parseLeg(leg);
  if (!r.ok || r.spec.kind !== 'V') throw new Error(`not a V leg: ${leg}`);
  return r.spec;
}

/** Time moves only when a test says so. Starts above 0: Peer.seen takes firstSeen 0 as "never seen". */
function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

type Step = { readonly from: string; readonly keepalive?: { readonly id: number; readonly periodS: number } };
const data = (from: string): Step => ({ from });
const ka = (from: string, id: number, periodS = 20): Step => ({ from, keepalive: { id, periodS } });

/** A VxlanPeers fed the way VxlanLeg.onDatagram feeds it: roam (keepalives only), admit, seen, keepalive. */
function setup(leg: string, ageingMs?: number) {
  const clock = fakeClock();
  const peers = new VxlanPeers(vxlanSpec(leg), ageingMs);
  const log: string[] = [];
  const receive = ({ from, keepalive }: Step): Peer | 'unknown' | 'full' => {
    const i = from.lastIndexOf(':');
    const address = from.slice(0, i);
    const port = Number(from.slice(i + 1));
    if (keepalive !== undefined) {
      const moved = peers.roam(address, port, keepalive.id);
      if (moved !== null) log.push(`moved ${moved} -> ${from}`);
    }
    const peer = peers.admit(address, port, clock.now(), (p) => log.push(`learned ${p.label}`));
    if (typeof peer === 'string') return peer;
    peer.seen(clock.now());
    if (keepalive === undefined) return peer;
    const r = peers.keepalive(peer, keepalive.id, keepalive.periodS * 1000);
    if (r.movedFrom !== undefined) log.push(`moved ${r.movedFrom} -> ${r.peer.label}${r.merged ? `, merged ${r.merged.label}` : ''}`);
    return r.peer;
  };
  const shown = (r: Peer | 'unknown' | 'full') => (typeof r === 'string' ? r : `${r.origin} ${r.label}`);
  return {
    clock,
    peers,
    log,
    receive: (step: Step) => shown(receive(step)),
    peer: (step: Step) => receive(step) as Peer,
    labels: () => [...peers.all()].map((p) => p.label),
    flood: () => peers.floodList.map((p) => p.label),
    expire: () => peers.expire(clock.now()).map((p) => p.label),
  };
}

describe('VxlanPeers admission', () => {
  const rows: { name: string; leg: string; from: string[]; expected: string[]; learned: string[] }[] = [
    {
      name: 'unicast: configured peers, from any source port, replies to the configured port',
      leg: HER,
      from: ['10.0.0.3:4789', '10.0.0.2:61000'],
      expected: ['configured 10.0.0.3:4789', 'configured 10.0.0.2:4789'],
      learned: [],
    },
    { name: 'unicast: an unknown source is refused, never learned', leg: HER, from: ['10.0.0.9:4789'], expected: ['unknown'], learned: [] },
    {
      name: 'unicast on port 8472',
      leg: '5000#V:E@10.0.0.1:10.0.0.2:8472',
      from: ['10.0.0.2:8472', '10.0.0.4:8472'],
      expected: ['configured 10.0.0.2:8472', 'unknown'],
      learned: [],
    },
    {
      name: 'access: the provider only',
      leg: ACCESS,
      from: ['203.0.113.5:8000', '198.51.100.1:8000'],
      expected: ['configured 203.0.113.5:8000', 'unknown'],
      learned: [],
    },
    {
      name: 'multicast: learns a VTEP by address, replies to its VXLAN port',
      leg: MULTICAST,
      from: ['10.1.1.7:50000', '10.1.1.7:50001'],
      expected: ['learned 10.1.1.7:4789', 'learned 10.1.1.7:4789'],
      learned: ['learned 10.1.1.7:4789'],
    },
    {
      name: 'multicast on port 8472',
      leg: '5000#V:E@10.1.1.1:239.1.1.1:8472',
      from: ['10.1.1.7:50000'],
      expected: ['learned 10.1.1.7:8472'],
      learned: ['learned 10.1.1.7:8472'],
    },
    {
      name: 'provider: learns by address and port (VTEPs behind PAT)',
      leg: PROVIDER,
      from: [`${A}:1000`, `${A}:1001`, `${A}:1000`],
      expected: [`learned ${A}:1000`, `learned ${A}:1001`, `learned ${A}:1000`],
      learned: [`learned ${A}:1000`, `learned ${A}:1001`],
    },
  ];
  it.each(rows)('$name', ({ leg, from, expected, learned }) => {
    const h = setup(leg);
    expect(from.map((f) => h.receive(data(f)))).toEqual(expected);
    expect(h.log).toEqual(learned);
  });

  it('admits the same record every time (counters and MAC entries hang on it)', () => {
    for (const [leg, from] of [
      [HER, '10.0.0.2:4789'],
      [MULTICAST, '10.1.1.7:1'],
      [PROVIDER, `${A}:1000`],
      [ACCESS, '203.0.113.5:8000'],
    ] as const) {
      const h = setup(leg);
      expect(h.peer(data(from))).toBe(h.peer(data(from)));
    }
  });

  it.each([
    { name: 'unicast: the HER list', leg: HER, from: '10.0.0.2:4789', flood: ['10.0.0.2:4789', '10.0.0.3:4789'] },
    { name: 'multicast: the group, not the learned VTEPs', leg: MULTICAST, from: '10.1.1.7:4789', flood: ['239.1.1.1:4789'] },
    { name: 'access: the provider', leg: ACCESS, from: '203.0.113.5:8000', flood: ['203.0.113.5:8000'] },
    { name: 'provider: the learned VTEPs', leg: PROVIDER, from: `${A}:1000`, flood: [`${A}:1000`] },
  ])('floods BUM to $name', ({ leg, from, flood }) => {
    const h = setup(leg);
    h.receive(data(from));
    expect(h.flood()).toEqual(flood);
  });
});

describe('VxlanPeers caps', () => {
  const portsOf = (address: string, n: number) => Array.from({ length: n }, (_, i) => `${address}:${10_000 + i}`);
  const addresses = (n: number, port = 4789) => Array.from({ length: n }, (_, i) => `198.18.${i >> 8}.${i & 255}:${port}`);
  const manyAddresses = Array.from({ length: LEARNED_PEERS_MAX / PEERS_PER_ADDRESS_MAX }, (_, i) => portsOf(`192.0.2.${i + 1}`, PEERS_PER_ADDRESS_MAX)).flat();

  const rows: { name: string; leg: string; fill: string[]; probe: string; expected: string }[] = [
    { name: 'provider: one address cycling ports stops at the per-address cap', leg: PROVIDER, fill: portsOf(A, PEERS_PER_ADDRESS_MAX), probe: `${A}:9999`, expected: 'full' },
    { name: 'provider: a known port of a full address still gets in', leg: PROVIDER, fill: portsOf(A, PEERS_PER_ADDRESS_MAX), probe: `${A}:10000`, expected: `learned ${A}:10000` },
    { name: 'provider: another address still gets in', leg: PROVIDER, fill: portsOf(A, PEERS_PER_ADDRESS_MAX), probe: `${B}:1`, expected: `learned ${B}:1` },
    { name: 'provider: one below the per-address cap', leg: PROVIDER, fill: portsOf(A, PEERS_PER_ADDRESS_MAX - 1), probe: `${A}:9999`, expected: `learned ${A}:9999` },
    { name: 'provider: the whole table is full', leg: PROVIDER, fill: manyAddresses, probe: `${B}:1`, expected: 'full' },
    { name: 'multicast: the whole table is full', leg: MULTICAST, fill: addresses(LEARNED_PEERS_MAX), probe: `${B}:4789`, expected: 'full' },
    {
      name: 'multicast: a known VTEP of a full table still gets in',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX),
      probe: '198.18.0.0:50000',
      expected: 'learned 198.18.0.0:4789',
    },
    { name: 'multicast: one below the cap', leg: MULTICAST, fill: addresses(LEARNED_PEERS_MAX - 1), probe: `${B}:4789`, expected: `learned ${B}:4789` },
  ];
  it.each(rows)('$name', ({ leg, fill, probe, expected }) => {
    const h = setup(leg);
    for (const f of fill) expect(h.receive(data(f))).not.toBe('full');
    const before = h.log.length;
    expect(h.receive(data(probe))).toBe(expected);
    // A refused VTEP is not announced as learned.
    if (expected === 'full') expect(h.log.length).toBe(before);
  });

  it('expired peers make room again', () => {
    const h = setup(PROVIDER);
    for (const f of manyAddresses) h.receive(data(f));
    expect(h.receive(data(`${B}:1`))).toBe('full');
    h.clock.advance(300_000);
    expect(h.expire()).toHaveLength(LEARNED_PEERS_MAX);
    expect(h.receive(data(`${B}:1`))).toBe(`learned ${B}:1`);
  });

  it('a merged duplicate gives its slot back', () => {
    const h = setup(PROVIDER);
    h.receive(ka(`${A}:1`, 7));
    for (const f of manyAddresses.slice(1)) h.receive(data(f));
    h.receive(ka(manyAddresses[1]!, 7)); // merges the peer learned there into VTEP 7
    expect(h.receive(data(`${B}:1`))).toBe(`learned ${B}:1`);
    expect(h.receive(data(`${B}:2`))).toBe('full');
  });
});

describe('VxlanPeers roaming and merging (provider keepalives carry a VTEP id)', () => {
  const rows: { name: string; leg?: string; steps: Step[]; log: string[]; peers: string[] }[] = [
    {
      name: 'NAT picks a new port: the peer moves at its next keepalive',
      steps: [ka(`${A}:1000`, 7), ka(`${A}:3000`, 7)],
      log: [`learned ${A}:1000`, `moved ${A}:1000 -> ${A}:3000`],
      peers: [`${A}:3000`],
    },
    {
      name: 'new public address: the peer moves too',
      steps: [ka(`${A}:1000`, 7), ka(`${B}:5000`, 7)],
      log: [`learned ${A}:1000`, `moved ${A}:1000 -> ${B}:5000`],
      peers: [`${B}:5000`],
    },
    {
      name: 'back and forth',
      steps: [ka(`${A}:1000`, 7), ka(`${A}:3000`, 7), ka(`${A}:1000`, 7)],
      log: [`learned ${A}:1000`, `moved ${A}:1000 -> ${A}:3000`, `moved ${A}:3000 -> ${A}:1000`],
      peers: [`${A}:1000`],
    },
    {
      name: 'data from the new mapping first: learned, then merged into the VTEP at its keepalive',
      steps: [ka(`${A}:1000`, 7), data(`${A}:3000`), ka(`${A}:3000`, 7)],
      log: [`learned ${A}:1000`, `learned ${A}:3000`, `moved ${A}:1000 -> ${A}:3000, merged ${A}:3000`],
      peers: [`${A}:3000`],
    },
    {
      name: 'data alone never moves a peer',
      steps: [ka(`${A}:1000`, 7), data(`${A}:3000`)],
      log: [`learned ${A}:1000`, `learned ${A}:3000`],
      peers: [`${A}:1000`, `${A}:3000`],
    },
    {
      name: 'another VTEP id is another peer',
      steps: [ka(`${A}:1000`, 7), ka(`${A}:3000`, 8)],
      log: [`learned ${A}:1000`, `learned ${A}:3000`],
      peers: [`${A}:1000`, `${A}:3000`],
    },
    {
      name: 'a peer that announces a new id frees the old one',
      steps: [ka(`${A}:1000`, 7), ka(`${A}:1000`, 8), ka(`${B}:1`, 7)],
      log: [`learned ${A}:1000`, `learned ${B}:1`],
      peers: [`${A}:1000`, `${B}:1`],
    },
    {
      name: 'a peer that never sent a keepalive is no roaming target',
      steps: [data(`${A}:1000`), ka(`${A}:3000`, 7)],
      log: [`learned ${A}:1000`, `learned ${A}:3000`],
      peers: [`${A}:1000`, `${A}:3000`],
    },
    {
      // The record at the reused mapping belonged to VTEP 7: it goes, VTEP 8 takes its place.
      name: 'NAT hands a mapping to another VTEP: that VTEP moves there, the old record is merged away',
      steps: [ka(`${A}:1000`, 7), ka(`${A}:2000`, 8), ka(`${A}:1000`, 8)],
      log: [`learned ${A}:1000`, `learned ${A}:2000`, `moved ${A}:2000 -> ${A}:1000, merged ${A}:1000`],
      peers: [`${A}:1000`],
    },
    {
      name: 'multicast: keepalives move nothing',
      leg: MULTICAST,
      steps: [ka(`${A}:1000`, 7), ka(`${B}:1000`, 7)],
      log: [`learned ${A}:4789`, `learned ${B}:4789`],
      peers: ['239.1.1.1:4789', `${A}:4789`, `${B}:4789`],
    },
  ];
  it.each(rows)('$name', ({ leg = PROVIDER, steps, log, peers }) => {
    const h = setup(leg);
    for (const s of steps) {
      h.clock.advance(1_000);
      expect(h.receive(s)).not.toMatch(/unknown|full/);
    }
    expect(h.log).toEqual(log);
    expect(h.labels()).toEqual(peers);
    if (leg === PROVIDER) expect(h.flood()).toEqual(peers); // a merged duplicate gets no more floods
  });

  it('a moved VTEP keeps its record: first seen, counters, the object MAC entries point at', () => {
    const h = setup(PROVIDER);
    const t0 = h.clock.now();
    const vtep = h.peer(ka(`${A}:1000`, 7, 20));
    vtep.traffic.rx(100);
    h.clock.advance(30_000);
    expect(h.peer(ka(`${A}:3000`, 7, 20))).toBe(vtep);
    expect(vtep).toMatchObject({ label: `${A}:3000`, address: A, port: 3000, firstSeen: t0, lastSeen: t0 + 30_000 });
    expect(vtep.traffic.rxPackets).toBe(1);
  });

  it('a merge keeps the older record, refreshed, with the newly announced period', () => {
    const h = setup(PROVIDER);
    const t0 = h.clock.now();
    const vtep = h.peer(ka(`${A}:1000`, 7, 20));
    h.clock.advance(10_000);
    const duplicate = h.peer(data(`${A}:3000`));
    h.clock.advance(1_000);
    expect(h.peer(ka(`${A}:3000`, 7, 10))).toBe(vtep);
    expect(vtep).toMatchObject({ label: `${A}:3000`, firstSeen: t0, lastSeen: t0 + 11_000, keepaliveMs: 10_000 });
    expect([...h.peers.all()]).not.toContain(duplicate);
    // The same (IP, port) now finds the VTEP, not the duplicate.
    expect(h.peer(data(`${A}:3000`))).toBe(vtep);
  });
});

describe('VxlanPeers expiry', () => {
  const rows: { name: string; leg: string; ageingMs?: number; periodS?: number; alive: number; gone: number }[] = [
    { name: 'no keepalive: the ageing time, 300 s by default', leg: PROVIDER, alive: 299_999, gone: 300_000 },
    { name: 'no keepalive: a shorter ageing time', leg: PROVIDER, ageingMs: 60_000, alive: 59_999, gone: 60_000 },
    { name: 'multicast VTEP: the ageing time', leg: MULTICAST, alive: 299_999, gone: 300_000 },
    { name: 'keepalive every 20 s: three silent periods', leg: PROVIDER, periodS: 20, alive: 59_999, gone: 60_000 },
    { name: 'keepalive every 5 s: three periods', leg: PROVIDER, periodS: 5, alive: 14_999, gone: 15_000 },
    { name: 'keepalive every 1 s: a period counts as 5 s at least', leg: PROVIDER, periodS: 1, alive: 14_999, gone: 15_000 },
    { name: 'keepalive period 0: as 5 s', leg: PROVIDER, periodS: 0, alive: 14_999, gone: 15_000 },
    { name: 'keepalive every 200 s: never later than the ageing time', leg: PROVIDER, periodS: 200, alive: 299_999, gone: 300_000 },
    { name: 'keepalive every 20 s, ageing 30 s: the ageing time', leg: PROVIDER, ageingMs: 30_000, periodS: 20, alive: 29_999, gone: 30_000 },
    { name: 'multicast: an announced period changes nothing', leg: MULTICAST, periodS: 1, alive: 299_999, gone: 300_000 },
  ];
  it.each(rows)('$name', ({ leg, ageingMs, periodS, alive, gone }) => {
    const h = setup(leg, ageingMs);
    const from = `${A}:1000`;
    const label = h.peer(periodS === undefined ? data(from) : ka(from, 7, periodS)).label;
    h.clock.advance(alive);
    expect(h.expire()).toEqual([]);
    expect(h.labels()).toContain(label);
    h.clock.advance(gone - alive);
    expect(h.expire()).toEqual([label]);
    expect(h.labels()).not.toContain(label);
    expect(h.flood()).not.toContain(label);
    expect(h.expire()).toEqual([]); // reported once
  });

  it('any datagram refreshes a peer', () => {
    const h = setup(PROVIDER);
    h.receive(ka(`${A}:1000`, 7, 20));
    h.clock.advance(50_000);
    h.receive(data(`${A}:1000`));
    h.clock.advance(59_999);
    expect(h.expire()).toEqual([]);
    h.clock.advance(1);
    expect(h.expire()).toEqual([`${A}:1000`]);
  });

  it('expires only the silent peers of an address', () => {
    const h = setup(PROVIDER);
    h.receive(data(`${A}:1000`));
    h.clock.advance(200_000);
    h.receive(data(`${A}:1001`));
    h.clock.advance(100_000);
    expect(h.expire()).toEqual([`${A}:1000`]);
    expect(h.labels()).toEqual([`${A}:1001`]);
    expect(h.flood()).toEqual([`${A}:1001`]);
  });

  it('forgets an expired VTEP id: its next keepalive from elsewhere is learned, not moved', () => {
    const h = setup(PROVIDER);
    h.receive(ka(`${A}:1000`, 7, 20));
    h.clock.advance(60_000);
    expect(h.expire()).toEqual([`${A}:1000`]);
    h.receive(ka(`${A}:3000`, 7, 20));
    expect(h.log).toEqual([`learned ${A}:1000`, `learned ${A}:3000`]);
  });

  it.each([
    { name: 'unicast', leg: HER, peers: ['10.0.0.2:4789', '10.0.0.3:4789'] },
    { name: 'access', leg: ACCESS, peers: ['203.0.113.5:8000'] },
  ])('never expires configured peers ($name)', ({ leg, peers }) => {
    const h = setup(leg, 1_000);
    h.clock.advance(10 ** 9);
    expect(h.expire()).toEqual([]);
    expect(h.labels()).toEqual(peers);
    expect(h.flood()).toEqual(peers);
  });
});
