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

/**
 * What reaches the table, as VxlanLeg sorts datagrams:
 *  - data: a VXLAN frame (onDatagram);
 *  - ka: a plain keepalive whose cookie verified (onPlainKeepalive; provider legs only);
 *  - session: a keyed packet whose session was just confirmed (checkResponse).
 */
type Step =
  | { readonly kind: 'data'; readonly from: string }
  | { readonly kind: 'ka'; readonly from: string; readonly id: number; readonly periodS: number }
  | { readonly kind: 'session'; readonly from: string };
const data = (from: string): Step => ({ kind: 'data', from });
const ka = (from: string, id: number, periodS = 20): Step => ({ kind: 'ka', from, id, periodS });
const session = (from: string): Step => ({ kind: 'session', from });

type Outcome = Peer | 'unknown' | 'dropped';

function split(from: string): [string, number] {
  const i = from.lastIndexOf(':');
  return [from.slice(0, i), Number(from.slice(i + 1))];
}

/** A VxlanPeers fed the way VxlanLeg feeds it; `log` records learned, evicted and moved peers in order. */
function setup(leg: string, ageingMs?: number) {
  const clock = fakeClock();
  const log: string[] = [];
  const peers = new VxlanPeers(vxlanSpec(leg), ageingMs, (p) => log.push(`evicted ${p.label}`));
  const onLearned = (p: Peer) => log.push(`learned ${p.label}`);

  const receive = (step: Step): Outcome => {
    const [address, port] = split(step.from);
    const now = clock.now();
    switch (step.kind) {
      case 'data': {
        // onDatagram: only multicast learns from data; a provider learns nobody from it.
        const peer = peers.find(address, port) ?? (peers.mode === 'multicast' ? peers.learnByAddress(address, now, onLearned) : undefined);
        if (peer === undefined) return 'unknown';
        peer.seen(now);
        return peer;
      }
      case 'ka': {
        // onControl: a keepalive reaches the table on provider legs only; others drop it.
        if (peers.mode !== 'provider') return 'dropped';
        const from = peers.roam(address, port, step.id);
        if (from !== null) log.push(`moved ${from} -> ${step.from}`);
        const peer = peers.learnVerified(address, port, now, onLearned);
        peer.seen(now);
        const r = peers.keepalive(peer, step.id, step.periodS * 1000);
        if (r.movedFrom !== undefined) log.push(`moved ${r.movedFrom} -> ${r.peer.label}${r.merged ? `, merged ${r.merged.label}` : ''}`);
        return r.peer;
      }
      case 'session': {
        // checkResponse → confirmedPeer, then SecureSessions.confirm marks it verified.
        let peer: Peer | undefined;
        if (peers.mode === 'multicast') peer = peers.learnByAddress(address, now, onLearned);
        else if (peers.mode === 'provider') peer = peers.learnVerified(address, port, now, onLearned);
        else peer = peers.find(address, port);
        if (peer === undefined) return 'unknown';
        peer.verified = true;
        peer.seen(now);
        return peer;
      }
    }
  };
  /** VxlanLeg.roamTo: a confirmed session's packet from another address moves a learned peer there. */
  const roamSession = (peer: Peer, to: string): void => {
    if (peer.origin === 'configured') return;
    const [address, port] = split(to);
    const squatter = peers.find(address, port);
    if (squatter !== undefined && squatter !== peer) {
      peers.remove(squatter);
      log.push(`replaced ${squatter.label}`);
    }
    log.push(`moved ${peers.move(peer, address, port)} -> ${to}`);
    peer.seen(clock.now());
  };
  const shown = (r: Outcome) => (typeof r === 'string' ? r : `${r.origin} ${r.label}`);
  return {
    clock,
    peers,
    log,
    receive: (step: Step) => shown(receive(step)),
    peer: (step: Step) => {
      const r = receive(step);
      if (typeof r === 'string') throw new Error(`${step.kind} from ${step.from}: ${r}`);
      return r;
    },
    roamSession,
    labels: () => [...peers.all()].map((p) => p.label),
    learnedLabels: () => [...peers.all()].filter((p) => p.origin === 'learned').map((p) => p.label),
    flood: () => peers.floodList.map((p) => p.label),
    expire: () => peers.expire(clock.now()).map((p) => p.label),
  };
}

describe('VxlanPeers admission', () => {
  const rows: { name: string; leg: string; steps: Step[]; expected: string[]; learned: string[] }[] = [
    {
      name: 'unicast: configured peers, from any source port, replies to the configured port',
      leg: HER,
      steps: [data('10.0.0.3:4789'), data('10.0.0.2:61000')],
      expected: ['configured 10.0.0.3:4789', 'configured 10.0.0.2:4789'],
      learned: [],
    },
    { name: 'unicast: an unknown source is refused, never learned', leg: HER, steps: [data('10.0.0.9:4789')], expected: ['unknown'], learned: [] },
    {
      name: 'unicast: a confirmed session from a configured address finds its peer; from another address it is refused',
      leg: HER,
      steps: [session('10.0.0.2:4789'), session('10.0.0.9:4789')],
      expected: ['configured 10.0.0.2:4789', 'unknown'],
      learned: [],
    },
    {
      name: 'unicast on port 8472',
      leg: '5000#V:E@10.0.0.1:10.0.0.2:8472',
      steps: [data('10.0.0.2:8472'), data('10.0.0.4:8472')],
      expected: ['configured 10.0.0.2:8472', 'unknown'],
      learned: [],
    },
    {
      name: 'unicast: a keepalive teaches nothing (the leg drops it)',
      leg: HER,
      steps: [ka('10.0.0.2:4789', 7)],
      expected: ['dropped'],
      learned: [],
    },
    {
      name: 'access: the provider only',
      leg: ACCESS,
      steps: [data('203.0.113.5:8000'), data('198.51.100.1:8000'), session('198.51.100.1:8000')],
      expected: ['configured 203.0.113.5:8000', 'unknown', 'unknown'],
      learned: [],
    },
    {
      name: 'multicast: learns a VTEP by address from data, replies to its VXLAN port',
      leg: MULTICAST,
      steps: [data('10.1.1.7:50000'), data('10.1.1.7:50001')],
      expected: ['learned 10.1.1.7:4789', 'learned 10.1.1.7:4789'],
      learned: ['learned 10.1.1.7:4789'],
    },
    {
      name: 'multicast: a confirmed session learns by address too',
      leg: MULTICAST,
      steps: [session('10.1.1.7:50000'), data('10.1.1.7:4789')],
      expected: ['learned 10.1.1.7:4789', 'learned 10.1.1.7:4789'],
      learned: ['learned 10.1.1.7:4789'],
    },
    {
      name: 'multicast on port 8472',
      leg: '5000#V:E@10.1.1.1:239.1.1.1:8472',
      steps: [data('10.1.1.7:50000')],
      expected: ['learned 10.1.1.7:8472'],
      learned: ['learned 10.1.1.7:8472'],
    },
    {
      name: 'multicast: a keepalive teaches nothing (the leg drops it)',
      leg: MULTICAST,
      steps: [ka('10.1.1.7:4789', 7)],
      expected: ['dropped'],
      learned: [],
    },
    {
      name: 'provider: data never teaches it a peer',
      leg: PROVIDER,
      steps: [data(`${A}:1000`), data(`${A}:1000`), data(`${B}:1`)],
      expected: ['unknown', 'unknown', 'unknown'],
      learned: [],
    },
    {
      name: 'provider: verified keepalives learn by address and port (VTEPs behind PAT)',
      leg: PROVIDER,
      steps: [ka(`${A}:1000`, 1), ka(`${A}:1001`, 2), ka(`${A}:1000`, 1)],
      expected: [`learned ${A}:1000`, `learned ${A}:1001`, `learned ${A}:1000`],
      learned: [`learned ${A}:1000`, `learned ${A}:1001`],
    },
    {
      name: 'provider: confirmed sessions learn by address and port',
      leg: PROVIDER,
      steps: [session(`${A}:1000`), session(`${A}:1001`)],
      expected: [`learned ${A}:1000`, `learned ${A}:1001`],
      learned: [`learned ${A}:1000`, `learned ${A}:1001`],
    },
    {
      name: 'provider: once verified, its data finds it; data from another port of its address does not',
      leg: PROVIDER,
      steps: [ka(`${A}:1000`, 1), data(`${A}:1000`), data(`${A}:1001`)],
      expected: [`learned ${A}:1000`, `learned ${A}:1000`, 'unknown'],
      learned: [`learned ${A}:1000`],
    },
  ];
  it.each(rows)('$name', ({ leg, steps, expected, learned }) => {
    const h = setup(leg);
    expect(steps.map((s) => h.receive(s))).toEqual(expected);
    expect(h.log).toEqual(learned);
  });

  it('finds the same record every time (counters and MAC entries hang on it)', () => {
    for (const [leg, first, again] of [
      [HER, data('10.0.0.2:4789'), data('10.0.0.2:4789')],
      [MULTICAST, data('10.1.1.7:1'), data('10.1.1.7:2')],
      [PROVIDER, ka(`${A}:1000`, 7), data(`${A}:1000`)],
      [PROVIDER, session(`${A}:1000`), data(`${A}:1000`)],
      [ACCESS, data('203.0.113.5:8000'), data('203.0.113.5:8000')],
    ] as const) {
      const h = setup(leg);
      expect(h.peer(first)).toBe(h.peer(again));
    }
  });

  it.each([
    { name: 'multicast, learned from data: unverified', leg: MULTICAST, step: data('10.1.1.7:4789'), verified: false },
    { name: 'multicast, confirmed session: verified', leg: MULTICAST, step: session('10.1.1.7:4789'), verified: true },
    { name: 'provider, cookie keepalive: verified', leg: PROVIDER, step: ka(`${A}:1000`, 7), verified: true },
    { name: 'provider, confirmed session: verified', leg: PROVIDER, step: session(`${A}:1000`), verified: true },
    { name: 'unicast, configured: verified', leg: HER, step: data('10.0.0.2:4789'), verified: true },
  ])('$name', ({ leg, step, verified }) => {
    expect(setup(leg).peer(step).verified).toBe(verified);
  });

  it('a multicast VTEP learned from data becomes verified once its session is confirmed: same record', () => {
    const h = setup(MULTICAST);
    const p = h.peer(data('10.1.1.7:4789'));
    expect(h.peer(session('10.1.1.7:4789'))).toBe(p);
    expect(p.verified).toBe(true);
  });

  it.each([
    { name: 'unicast: the HER list', leg: HER, step: data('10.0.0.2:4789'), flood: ['10.0.0.2:4789', '10.0.0.3:4789'] },
    { name: 'multicast: the group, not the learned VTEPs', leg: MULTICAST, step: data('10.1.1.7:4789'), flood: ['239.1.1.1:4789'] },
    { name: 'access: the provider', leg: ACCESS, step: data('203.0.113.5:8000'), flood: ['203.0.113.5:8000'] },
    { name: 'provider: the learned VTEPs', leg: PROVIDER, step: ka(`${A}:1000`, 7), flood: [`${A}:1000`] },
    { name: 'provider: nobody before a VTEP is verified', leg: PROVIDER, step: data(`${A}:1000`), flood: [] },
  ])('floods BUM to $name', ({ leg, step, flood }) => {
    const h = setup(leg);
    h.receive(step);
    expect(h.flood()).toEqual(flood);
  });

  it('roam() and keepalive() change nothing outside provider mode', () => {
    const h = setup(MULTICAST);
    const p = h.peer(data(`${A}:4789`));
    expect(h.peers.roam(B, 4789, 7)).toBeNull();
    expect(h.peers.keepalive(p, 7, 20_000)).toEqual({ peer: p });
    expect(p.vtepId).toBeUndefined();
    expect(h.peers.roam(A, 1, 7)).toBeNull(); // id 7 was not recorded
    expect(h.labels()).toEqual(['239.1.1.1:4789', `${A}:4789`]);
  });
});

describe('VxlanPeers eviction (full tables make room instead of refusing)', () => {
  const portsOf = (address: string, n: number) => Array.from({ length: n }, (_, i) => `${address}:${10_000 + i}`);
  const addresses = (n: number, port = 4789) => Array.from({ length: n }, (_, i) => `198.18.${i >> 8}.${i & 255}:${port}`);
  const manyAddresses = Array.from({ length: LEARNED_PEERS_MAX / PEERS_PER_ADDRESS_MAX }, (_, i) => portsOf(`100.64.${i >> 8}.${i & 255}`, PEERS_PER_ADDRESS_MAX)).flat();

  /** Learns every source in `from` (1 ms apart, so "least recently seen" is their order): keepalives with their own VTEP ids (provider), data (multicast). */
  function fill(h: ReturnType<typeof setup>, from: readonly string[], firstId = 1) {
    from.forEach((f, i) => {
      h.clock.advance(1);
      expect(h.receive(h.peers.mode === 'provider' ? ka(f, firstId + i) : data(f))).toBe(`learned ${f.replace(/:\d+$/, (p) => (h.peers.mode === 'multicast' ? ':4789' : p))}`);
    });
    h.log.length = 0;
  }

  const rows: { name: string; leg: string; fill: string[]; touch?: string[]; probe: Step; expected: string; log: string[] }[] = [
    {
      name: 'provider: one address cycling ports: at the per-address cap the least recently seen at that address goes',
      leg: PROVIDER,
      fill: portsOf(A, PEERS_PER_ADDRESS_MAX),
      probe: ka(`${A}:9999`, 99_999),
      expected: `learned ${A}:9999`,
      log: [`evicted ${A}:10000`, `learned ${A}:9999`],
    },
    {
      name: 'provider: per-address cap, the oldest was heard from again: the next oldest goes',
      leg: PROVIDER,
      fill: portsOf(A, PEERS_PER_ADDRESS_MAX),
      touch: [`${A}:10000`],
      probe: ka(`${A}:9999`, 99_999),
      expected: `learned ${A}:9999`,
      log: [`evicted ${A}:10001`, `learned ${A}:9999`],
    },
    {
      name: 'provider: per-address cap evicts at that address only, even when others are older',
      leg: PROVIDER,
      fill: [`${B}:1`, `${B}:2`, ...portsOf(A, PEERS_PER_ADDRESS_MAX)],
      probe: ka(`${A}:9999`, 99_999),
      expected: `learned ${A}:9999`,
      log: [`evicted ${A}:10000`, `learned ${A}:9999`],
    },
    {
      name: 'provider: a known port of a full address is found, nobody goes',
      leg: PROVIDER,
      fill: portsOf(A, PEERS_PER_ADDRESS_MAX),
      probe: ka(`${A}:10000`, 1),
      expected: `learned ${A}:10000`,
      log: [],
    },
    {
      name: 'provider: another address gets in, nobody goes',
      leg: PROVIDER,
      fill: portsOf(A, PEERS_PER_ADDRESS_MAX),
      probe: ka(`${B}:1`, 99_999),
      expected: `learned ${B}:1`,
      log: [`learned ${B}:1`],
    },
    {
      name: 'provider: one below the per-address cap, nobody goes',
      leg: PROVIDER,
      fill: portsOf(A, PEERS_PER_ADDRESS_MAX - 1),
      probe: ka(`${A}:9999`, 99_999),
      expected: `learned ${A}:9999`,
      log: [`learned ${A}:9999`],
    },
    {
      name: 'provider: a full table: the least recently seen of all goes',
      leg: PROVIDER,
      fill: manyAddresses,
      probe: ka(`${B}:1`, 99_999),
      expected: `learned ${B}:1`,
      log: [`evicted ${manyAddresses[0]}`, `learned ${B}:1`],
    },
    {
      name: 'provider: a full table, the oldest was heard from again: the next oldest goes',
      leg: PROVIDER,
      fill: manyAddresses,
      touch: [manyAddresses[0]!],
      probe: ka(`${B}:1`, 99_999),
      expected: `learned ${B}:1`,
      log: [`evicted ${manyAddresses[1]}`, `learned ${B}:1`],
    },
    {
      name: 'provider: a full table, data from a stranger evicts nobody',
      leg: PROVIDER,
      fill: manyAddresses,
      probe: data(`${B}:1`),
      expected: 'unknown',
      log: [],
    },
    {
      name: 'provider: a full table and a full address: one goes, from that address',
      leg: PROVIDER,
      fill: [...manyAddresses.slice(PEERS_PER_ADDRESS_MAX), ...manyAddresses.slice(0, PEERS_PER_ADDRESS_MAX)],
      probe: ka(`${manyAddresses[0]!.split(':')[0]}:9999`, 99_999),
      expected: `learned ${manyAddresses[0]!.split(':')[0]}:9999`,
      log: [`evicted ${manyAddresses[0]}`, `learned ${manyAddresses[0]!.split(':')[0]}:9999`],
    },
    {
      name: 'multicast: a full table: the least recently seen goes',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX),
      probe: data(`${B}:4789`),
      expected: `learned ${B}:4789`,
      log: ['evicted 198.18.0.0:4789', `learned ${B}:4789`],
    },
    {
      name: 'multicast: a full table: unverified VTEPs go before verified ones, however recent',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX),
      // All but the newest confirm their sessions (verified); the newest stays unverified.
      touch: addresses(LEARNED_PEERS_MAX - 1).map((f) => `session ${f}`),
      probe: data(`${B}:4789`),
      expected: `learned ${B}:4789`,
      log: [`evicted ${addresses(LEARNED_PEERS_MAX).at(-1)}`, `learned ${B}:4789`],
    },
    {
      name: 'multicast: a full table, one VTEP verified: the oldest unverified goes, not the verified one',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX),
      touch: ['session 198.18.0.0:4789'],
      probe: data(`${B}:4789`),
      expected: `learned ${B}:4789`,
      log: ['evicted 198.18.0.1:4789', `learned ${B}:4789`],
    },
    {
      name: 'multicast: a known VTEP of a full table is found, nobody goes',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX),
      probe: data('198.18.0.0:50000'),
      expected: 'learned 198.18.0.0:4789',
      log: [],
    },
    {
      name: 'multicast: one below the cap, nobody goes',
      leg: MULTICAST,
      fill: addresses(LEARNED_PEERS_MAX - 1),
      probe: data(`${B}:4789`),
      expected: `learned ${B}:4789`,
      log: [`learned ${B}:4789`],
    },
  ];
  it.each(rows)('$name', ({ leg, fill: from, touch = [], probe, expected, log }) => {
    const h = setup(leg);
    fill(h, from);
    h.clock.advance(1);
    for (const t of touch) {
      const s = t.startsWith('session ') ? session(t.slice(8)) : data(t);
      expect(h.receive(s)).not.toBe('unknown');
    }
    h.log.length = 0;
    h.clock.advance(1);
    const before = h.peers.count;
    expect(h.receive(probe)).toBe(expected);
    expect(h.log).toEqual(log);
    // An eviction makes exactly one place; a table never grows past its cap.
    const evicted = log.filter((l) => l.startsWith('evicted')).map((l) => l.slice(8));
    const learned = log.filter((l) => l.startsWith('learned')).length;
    expect(h.peers.count).toBe(before + learned - evicted.length);
    expect(h.peers.count).toBeLessThanOrEqual(LEARNED_PEERS_MAX);
    for (const e of evicted) {
      expect(h.learnedLabels()).not.toContain(e);
      expect(h.flood()).not.toContain(e);
    }
  });

  it('onEvicted gets the evicted record itself (the leg forgets its MACs and session by it)', () => {
    const gone: Peer[] = [];
    const peers = new VxlanPeers(vxlanSpec(PROVIDER), undefined, (p) => gone.push(p));
    const first = peers.learnVerified(A, 10_000, 1, () => {});
    for (let i = 1; i < PEERS_PER_ADDRESS_MAX; i++) peers.learnVerified(A, 10_000 + i, 1 + i, () => {});
    expect(gone).toEqual([]);
    peers.learnVerified(A, 9_999, 10_000, () => {});
    expect(gone).toHaveLength(1);
    expect(gone[0]).toBe(first);
    expect(peers.find(A, 10_000)).toBeUndefined();
  });

  it('an evicted VTEP id is forgotten: its next keepalive from elsewhere is learned, not moved', () => {
    const h = setup(PROVIDER);
    fill(h, portsOf(A, PEERS_PER_ADDRESS_MAX), 1); // A:10000 carries VTEP id 1
    h.clock.advance(1);
    h.receive(ka(`${A}:9999`, 99_999));
    expect(h.log).toEqual([`evicted ${A}:10000`, `learned ${A}:9999`]);
    h.log.length = 0;
    h.receive(ka(`${B}:7`, 1));
    expect(h.log).toEqual([`learned ${B}:7`]);
  });

  it('a hostile flood of verified sources keeps the table at its cap and lets a real VTEP in', () => {
    const h = setup(PROVIDER);
    // One host with cookies for many ports (it receives at them): the per-address cap holds it.
    for (let i = 0; i < 3 * PEERS_PER_ADDRESS_MAX; i++) {
      h.clock.advance(1);
      h.receive(ka(`${B}:${20_000 + i}`, 500_000 + i));
    }
    expect(h.learnedLabels().filter((l) => l.startsWith(`${B}:`))).toHaveLength(PEERS_PER_ADDRESS_MAX);
    h.clock.advance(1);
    expect(h.receive(ka(`${A}:1000`, 7))).toBe(`learned ${A}:1000`);
    expect(h.learnedLabels()).toContain(`${A}:1000`);
  });

  it('expired peers make room again: nobody is evicted', () => {
    const h = setup(PROVIDER);
    fill(h, manyAddresses);
    h.clock.advance(300_000);
    expect(h.expire()).toHaveLength(LEARNED_PEERS_MAX);
    expect(h.receive(ka(`${B}:1`, 99_999))).toBe(`learned ${B}:1`);
    expect(h.log).toEqual([`learned ${B}:1`]); // expiry is no eviction: onEvicted is not called
  });

  it('a merged duplicate gives its place back', () => {
    const h = setup(PROVIDER);
    fill(h, manyAddresses);
    // VTEP 1 (at manyAddresses[0]) speaks from the mapping of the VTEP at manyAddresses[1] (NAT reuse): that record is merged away.
    h.clock.advance(1);
    h.receive(ka(manyAddresses[1]!, 1));
    expect(h.log).toEqual([`moved ${manyAddresses[0]} -> ${manyAddresses[1]}, merged ${manyAddresses[1]}`]);
    expect(h.peers.count).toBe(LEARNED_PEERS_MAX - 1);
    h.log.length = 0;
    expect(h.receive(ka(`${B}:1`, 99_998))).toBe(`learned ${B}:1`);
    expect(h.log).toEqual([`learned ${B}:1`]);
    expect(h.receive(ka(`${B}:2`, 99_999))).toBe(`learned ${B}:2`);
    expect(h.log).toEqual([`learned ${B}:1`, `evicted ${manyAddresses[2]}`, `learned ${B}:2`]);
  });

  it('roaming into a full address keeps the per-address cap (the least recently seen there goes)', () => {
    const h = setup(PROVIDER);
    fill(h, [`${B}:1`, ...portsOf(A, PEERS_PER_ADDRESS_MAX)]); // VTEP id 1 at B:1, ids 2.. at A
    h.clock.advance(1);
    h.receive(ka(`${A}:9999`, 1)); // VTEP 1's NAT mapping moved to A
    expect(h.learnedLabels().filter((l) => l.startsWith(`${A}:`)).length).toBeLessThanOrEqual(PEERS_PER_ADDRESS_MAX);
    expect(h.log).toHaveLength(2);
    expect(h.log).toEqual(expect.arrayContaining([`moved ${B}:1 -> ${A}:9999`, `evicted ${A}:10000`]));
  });

  it('a confirmed session roaming into a full address keeps the per-address cap too (keyed legs)', () => {
    const h = setup(PROVIDER);
    fill(h, portsOf(A, PEERS_PER_ADDRESS_MAX));
    h.clock.advance(1);
    const p = h.peer(session(`${B}:1`));
    h.log.length = 0;
    h.clock.advance(1);
    h.roamSession(p, `${A}:9999`);
    expect(h.log).toEqual([`evicted ${A}:10000`, `moved ${B}:1 -> ${A}:9999`]);
    expect(h.learnedLabels().filter((l) => l.startsWith(`${A}:`))).toHaveLength(PEERS_PER_ADDRESS_MAX);
    expect(h.peers.find(A, 9999)).toBe(p);
    expect(h.peers.count).toBe(PEERS_PER_ADDRESS_MAX);
  });

  it('moving within a full address (a new port behind the same NAT) evicts nobody', () => {
    const h = setup(PROVIDER);
    fill(h, portsOf(A, PEERS_PER_ADDRESS_MAX)); // VTEP ids 1..16
    h.clock.advance(1);
    h.receive(ka(`${A}:9999`, 1)); // VTEP 1 (at A:10000) moves to another port of A
    expect(h.log).toEqual([`moved ${A}:10000 -> ${A}:9999`]);
    expect(h.peers.count).toBe(PEERS_PER_ADDRESS_MAX);
  });
});

describe('VxlanPeers roaming and merging (provider keepalives carry a VTEP id)', () => {
  const rows: { name: string; steps: Step[]; log: string[]; peers: string[]; refused?: number }[] = [
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
      name: 'data from the new mapping first: refused (data teaches nothing), then the keepalive moves the VTEP',
      steps: [ka(`${A}:1000`, 7), data(`${A}:3000`), ka(`${A}:3000`, 7)],
      log: [`learned ${A}:1000`, `moved ${A}:1000 -> ${A}:3000`],
      peers: [`${A}:3000`],
      refused: 1,
    },
    {
      name: 'data alone never moves a peer',
      steps: [ka(`${A}:1000`, 7), data(`${A}:3000`)],
      log: [`learned ${A}:1000`],
      peers: [`${A}:1000`],
      refused: 1,
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
      name: 'a peer that never sent a keepalive (learned by a session) is no roaming target',
      steps: [session(`${A}:1000`), ka(`${A}:3000`, 7)],
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
      name: 'a session-learned peer at the new mapping is merged into the VTEP',
      steps: [ka(`${A}:1000`, 7), session(`${A}:3000`), ka(`${A}:3000`, 7)],
      log: [`learned ${A}:1000`, `learned ${A}:3000`, `moved ${A}:1000 -> ${A}:3000, merged ${A}:3000`],
      peers: [`${A}:3000`],
    },
  ];
  it.each(rows)('$name', ({ steps, log, peers, refused = 0 }) => {
    const h = setup(PROVIDER);
    const results: string[] = [];
    for (const s of steps) {
      h.clock.advance(1_000);
      results.push(h.receive(s));
    }
    expect(results.filter((r) => r === 'unknown')).toHaveLength(refused);
    expect(h.log).toEqual(log);
    expect(h.labels()).toEqual(peers);
    expect(h.flood()).toEqual(peers); // a merged duplicate gets no more floods
    expect(h.peers.count).toBe(peers.length);
  });

  it('a moved VTEP keeps its record: first seen, counters, the object MAC entries point at', () => {
    const h = setup(PROVIDER);
    const t0 = h.clock.now();
    const vtep = h.peer(ka(`${A}:1000`, 7, 20));
    vtep.traffic.rx(100);
    h.clock.advance(30_000);
    expect(h.peer(ka(`${A}:3000`, 7, 20))).toBe(vtep);
    expect(vtep).toMatchObject({ label: `${A}:3000`, address: A, port: 3000, firstSeen: t0, lastSeen: t0 + 30_000, verified: true });
    expect(vtep.traffic.rxPackets).toBe(1);
    // The old mapping is nobody now; the new one finds the VTEP.
    expect(h.receive(data(`${A}:1000`))).toBe('unknown');
    expect(h.peer(data(`${A}:3000`))).toBe(vtep);
  });

  it('a merge keeps the older record, refreshed, with the newly announced period', () => {
    const h = setup(PROVIDER);
    const t0 = h.clock.now();
    const vtep = h.peer(ka(`${A}:1000`, 7, 20));
    h.clock.advance(10_000);
    const duplicate = h.peer(ka(`${A}:3000`, 8, 20)); // the mapping's previous owner
    h.clock.advance(1_000);
    expect(h.peer(ka(`${A}:3000`, 7, 10))).toBe(vtep);
    expect(vtep).toMatchObject({ label: `${A}:3000`, firstSeen: t0, lastSeen: t0 + 11_000, keepaliveMs: 10_000, vtepId: 7 });
    expect([...h.peers.all()]).not.toContain(duplicate);
    // The same (IP, port) now finds the VTEP, not the duplicate.
    expect(h.peer(data(`${A}:3000`))).toBe(vtep);
    // The duplicate's VTEP id is forgotten: it comes back as a new peer, not as a move.
    h.log.length = 0;
    h.receive(ka(`${B}:1`, 8));
    expect(h.log).toEqual([`learned ${B}:1`]);
  });

  it('10,000 keepalives alternating between two mappings: one record, moved each time', () => {
    const h = setup(PROVIDER);
    const vtep = h.peer(ka(`${A}:1000`, 7));
    for (let i = 1; i <= 10_000; i++) {
      h.clock.advance(1);
      expect(h.peer(ka(`${A}:${i % 2 === 0 ? 1000 : 3000}`, 7))).toBe(vtep);
    }
    expect(h.labels()).toEqual([`${A}:1000`]);
    expect(h.peers.count).toBe(1);
    expect(h.log.filter((l) => l.startsWith('moved'))).toHaveLength(10_000);
  });

  describe('keyed legs: a confirmed session moves its peer (VxlanLeg.roamTo)', () => {
    it('the learned peer moves, as one record', () => {
      const h = setup(PROVIDER);
      const p = h.peer(session(`${A}:1000`));
      h.clock.advance(1_000);
      h.roamSession(p, `${A}:3000`);
      expect(h.log).toEqual([`learned ${A}:1000`, `moved ${A}:1000 -> ${A}:3000`]);
      expect(h.labels()).toEqual([`${A}:3000`]);
      expect(h.flood()).toEqual([`${A}:3000`]);
      expect(h.peer(data(`${A}:3000`))).toBe(p);
      expect(h.receive(data(`${A}:1000`))).toBe('unknown');
    });

    it('a peer sitting at the new address is removed first', () => {
      const h = setup(PROVIDER);
      const p = h.peer(session(`${A}:1000`));
      const squatter = h.peer(session(`${A}:3000`));
      h.roamSession(p, `${A}:3000`);
      expect(h.log).toEqual([`learned ${A}:1000`, `learned ${A}:3000`, `replaced ${A}:3000`, `moved ${A}:1000 -> ${A}:3000`]);
      expect([...h.peers.all()]).toEqual([p]);
      expect(h.peers.count).toBe(1);
      expect(h.peers.find(A, 3000)).toBe(p);
      expect(h.peers.floodList).toEqual([p]);
      expect(h.peers.floodList[0]).toBe(p);
      expect(h.peers.floodList).not.toContain(squatter);
    });

    it('multicast: the VTEP moves to another address', () => {
      const h = setup(MULTICAST);
      const p = h.peer(session(`${A}:4789`));
      h.roamSession(p, `${B}:4789`);
      expect(h.labels()).toEqual(['239.1.1.1:4789', `${B}:4789`]);
      expect(h.peer(data(`${B}:4789`))).toBe(p);
    });

    it('configured peers stay where they are configured', () => {
      const h = setup(HER);
      const p = h.peer(session('10.0.0.2:4789'));
      h.roamSession(p, '10.0.0.66:4789');
      expect(h.labels()).toEqual(['10.0.0.2:4789', '10.0.0.3:4789']);
      expect(h.receive(data('10.0.0.66:4789'))).toBe('unknown');
    });
  });
});

describe('VxlanPeers expiry', () => {
  // step: how the peer was learned; 'ka' announces periodS.
  const rows: { name: string; leg: string; ageingMs?: number; periodS?: number; alive: number; gone: number }[] = [
    { name: 'no keepalive period (learned by a session): the ageing time, 300 s by default', leg: PROVIDER, alive: 299_999, gone: 300_000 },
    { name: 'no keepalive period: a shorter ageing time', leg: PROVIDER, ageingMs: 60_000, alive: 59_999, gone: 60_000 },
    { name: 'multicast VTEP: the ageing time', leg: MULTICAST, alive: 299_999, gone: 300_000 },
    { name: 'keepalive every 20 s: three silent periods', leg: PROVIDER, periodS: 20, alive: 59_999, gone: 60_000 },
    { name: 'keepalive every 5 s: three periods', leg: PROVIDER, periodS: 5, alive: 14_999, gone: 15_000 },
    { name: 'keepalive every 1 s: a period counts as 5 s at least', leg: PROVIDER, periodS: 1, alive: 14_999, gone: 15_000 },
    { name: 'keepalive period 0: as 5 s', leg: PROVIDER, periodS: 0, alive: 14_999, gone: 15_000 },
    { name: 'keepalive every 200 s: never later than the ageing time', leg: PROVIDER, periodS: 200, alive: 299_999, gone: 300_000 },
    { name: 'keepalive every 20 s, ageing 30 s: the ageing time', leg: PROVIDER, ageingMs: 30_000, periodS: 20, alive: 29_999, gone: 30_000 },
  ];
  it.each(rows)('$name', ({ leg, ageingMs, periodS, alive, gone }) => {
    const h = setup(leg, ageingMs);
    const from = `${A}:1000`;
    const label = h.peer(periodS !== undefined ? ka(from, 7, periodS) : leg === MULTICAST ? data(from) : session(from)).label;
    h.clock.advance(alive);
    expect(h.expire()).toEqual([]);
    expect(h.labels()).toContain(label);
    h.clock.advance(gone - alive);
    expect(h.expire()).toEqual([label]);
    expect(h.labels()).not.toContain(label);
    expect(h.flood()).not.toContain(label);
    expect(h.expire()).toEqual([]); // reported once
    expect(h.log.filter((l) => l.startsWith('evicted'))).toEqual([]); // expiry is not eviction
  });

  it('a verified multicast VTEP ages like an unverified one', () => {
    const h = setup(MULTICAST);
    h.receive(session(`${A}:4789`));
    h.clock.advance(299_999);
    expect(h.expire()).toEqual([]);
    h.clock.advance(1);
    expect(h.expire()).toEqual([`${A}:4789`]);
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

  it('refused data refreshes nobody', () => {
    const h = setup(PROVIDER);
    h.receive(ka(`${A}:1000`, 7, 20));
    h.clock.advance(50_000);
    expect(h.receive(data(`${A}:1001`))).toBe('unknown');
    h.clock.advance(10_000);
    expect(h.expire()).toEqual([`${A}:1000`]);
  });

  it('expires only the silent peers of an address', () => {
    const h = setup(PROVIDER);
    h.receive(session(`${A}:1000`));
    h.clock.advance(200_000);
    h.receive(session(`${A}:1001`));
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

  it('a moved VTEP expires by its last keepalive, from its new address', () => {
    const h = setup(PROVIDER);
    h.receive(ka(`${A}:1000`, 7, 20));
    h.clock.advance(40_000);
    h.receive(ka(`${A}:3000`, 7, 20));
    h.clock.advance(59_999);
    expect(h.expire()).toEqual([]);
    h.clock.advance(1);
    expect(h.expire()).toEqual([`${A}:3000`]);
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

  it('never expires the multicast group', () => {
    const h = setup(MULTICAST, 1_000);
    h.clock.advance(10 ** 9);
    expect(h.expire()).toEqual([]);
    expect(h.flood()).toEqual(['239.1.1.1:4789']);
  });
});
