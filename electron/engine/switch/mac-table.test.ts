import { describe, expect, it } from 'vitest';
import { MAC_AGEING_MS, MAC_LOCAL_HOLD_MS, MAC_MOVES_PER_S, MAC_TABLE_MAX, MACS_PER_PEER_MAX } from '../../model/defaults.js';
import { Drops } from '../stats/counters.js';
import { MacTable, type LearnOutcome, type MacEntry, type MacTableOptions } from './mac-table.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

const T0 = 1_000_000;

/** Time moves only when a test says so; `at(ms)` is ms after T0. */
function fakeClock() {
  let t = T0;
  return { now: () => t, at: (ms: number) => void (t = T0 + ms) };
}

function fakePort(id: number, name: string, local: boolean): SwitchPort & { name: string } {
  return { id, name, local, relays: false, drops: new Drops(), sendTo: () => {}, flood: () => {} };
}

// nic, nic2: local adapters; vx, hub: tunnel ports.
const PORTS = { nic: fakePort(0, 'nic', true), nic2: fakePort(3, 'nic2', true), vx: fakePort(1, 'vx', false), hub: fakePort(2, 'hub', false) };
const MACS: Record<string, number> = { A: 0x020000000001, B: 0x020000000002, C: 0x020000000003, D: 0x020000000004, E: 0x020000000005 };

/** p1, p2: learned (unverified); v1, v2: configured or authenticated. Fresh per table: they carry MAC counts. */
function freshPeers(): Record<string, PeerRef & { verified: boolean }> {
  let key = 0;
  const p = (label: string, verified: boolean) => ({ label, key: ++key, verified, macCount: 0 });
  return { p1: p('p1', false), p2: p('p2', false), v1: p('v1', true), v2: p('v2', true) };
}

/** [MAC, port, peer, ms after T0] */
type Learn = readonly [mac: string, port: keyof typeof PORTS, peer: string | null, at: number];
/** A learn and what it should do. */
type Step = readonly [mac: string, port: keyof typeof PORTS, peer: string | null, at: number, outcome: LearnOutcome];

/** An entry as the rows write it: "port [peer] @ms". */
function shown(e: Readonly<MacEntry> | undefined): string | undefined {
  if (e === undefined) return undefined;
  const port = (e.port as SwitchPort & { name: string }).name;
  return `${port}${e.peer === null ? '' : ' ' + e.peer.label} @${e.lastSeen - T0}`;
}

const macName = (mac: number) => Object.keys(MACS).find((k) => MACS[k] === mac) ?? String(mac);

function setup(options: MacTableOptions = {}) {
  const clock = fakeClock();
  const table = new MacTable(options);
  const peers = freshPeers();
  const learn = ([mac, port, peer, at]: Learn): LearnOutcome => {
    clock.at(at);
    return table.learn(MACS[mac] ?? Number(mac), PORTS[port], peer === null ? null : peers[peer]!, clock.now());
  };
  return {
    clock,
    table,
    peers,
    learn,
    /** Runs the steps; returns the outcomes, to compare with the expected ones. */
    run: (steps: readonly Step[]) => steps.map(([mac, port, peer, at]) => learn([mac, port, peer, at])),
    lookup: (mac: string) => shown(table.lookup(MACS[mac]!)),
    macs: () => [...table.list()].map((e) => macName(e.mac)).sort(),
    recent: (max = 100) => table.recent(max).map((e) => macName(e.mac)),
    sweep: (at: number) => {
      clock.at(at);
      table.sweep(clock.now());
    },
  };
}

const outcomes = (steps: readonly Step[]) => steps.map((s) => s[4]);

describe('MacTable learning and moves', () => {
  // prettier-ignore
  const rows: { name: string; steps: Step[]; expected: Record<string, string | undefined> }[] = [
    { name: 'an unknown MAC has no entry', steps: [], expected: { A: undefined } },
    { name: 'a new MAC: its port and time', steps: [['A', 'nic', null, 0, 'learned']], expected: { A: 'nic @0' } },
    { name: 'a MAC behind a peer of a tunnel port', steps: [['A', 'vx', 'p1', 0, 'learned']], expected: { A: 'vx p1 @0' } },
    { name: 'seen again: refreshed', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'nic', null, 5_000, 'refreshed']], expected: { A: 'nic @5000' } },
    { name: 'moves from one peer to another of the same port', steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'vx', 'p2', 1_000, 'moved']], expected: { A: 'vx p2 @1000' } },
    { name: 'moves from a peer to a local adapter', steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'nic', null, 1_000, 'moved']], expected: { A: 'nic @1000' } },
    { name: 'moves between two local adapters', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'nic2', null, 1_000, 'moved']], expected: { A: 'nic2 @1000' } },
    { name: 'the same peer on another port is another place', steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'hub', 'p1', 1_000, 'moved']], expected: { A: 'hub p1 @1000' } },
    {
      name: 'MACs are independent',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'p1', 1_000, 'learned'], ['A', 'nic', null, 2_000, 'refreshed']],
      expected: { A: 'nic @2000', B: 'vx p1 @1000', C: undefined },
    },
  ];
  it.each(rows)('$name', ({ steps, expected }) => {
    const t = setup();
    expect(t.run(steps)).toEqual(outcomes(steps));
    for (const [mac, entry] of Object.entries(expected)) expect(t.lookup(mac)).toBe(entry);
    expect(t.table.size).toBe(new Set(steps.map(([mac]) => mac)).size);
  });
});

describe(`MacTable local hold (${MAC_LOCAL_HOLD_MS / 1000} s): a tunnel cannot take over a local host's MAC`, () => {
  const H = MAC_LOCAL_HOLD_MS;
  // prettier-ignore
  const rows: { name: string; steps: Step[]; expected: string; held: number }[] = [
    { name: 'an unverified peer is refused', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'vx', 'p1', 1, 'local-hold']], expected: 'nic @0', held: 1 },
    { name: 'a verified peer is refused too', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'vx', 'v1', 1, 'local-hold']], expected: 'nic @0', held: 1 },
    { name: 'refused up to the last millisecond of the hold', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'vx', 'p1', H - 1, 'local-hold']], expected: 'nic @0', held: 1 },
    { name: 'a host silent locally for the hold time may move (it really moved)', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'vx', 'p1', H, 'moved']], expected: `vx p1 @${H}`, held: 0 },
    {
      name: 'local frames restart the hold; refused claims do not refresh the entry',
      steps: [['A', 'nic', null, 0, 'learned'], ['A', 'vx', 'p1', 30_000, 'local-hold'], ['A', 'nic', null, 50_000, 'refreshed'], ['A', 'vx', 'p1', 50_000 + H - 1, 'local-hold'], ['A', 'vx', 'p1', 50_000 + H, 'moved']],
      expected: `vx p1 @${50_000 + H}`,
      held: 2,
    },
    { name: 'another local adapter may take it', steps: [['A', 'nic', null, 0, 'learned'], ['A', 'nic2', null, 1, 'moved']], expected: 'nic2 @1', held: 0 },
    { name: 'a tunnel MAC is not held', steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'hub', 'p2', 1, 'moved']], expected: 'hub p2 @1', held: 0 },
  ];
  it.each(rows)('$name', ({ steps, expected, held }) => {
    const t = setup();
    expect(t.run(steps)).toEqual(outcomes(steps));
    expect(t.lookup('A')).toBe(expected);
    expect(t.table.heldLocal).toBe(held);
  });
});

describe(`MacTable move rate (${MAC_MOVES_PER_S} a second per MAC)`, () => {
  // prettier-ignore
  const rows: { name: string; steps: Step[]; expected: string; limited: number }[] = [
    {
      name: 'a MAC flapping between two peers keeps its entry past the limit',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'vx', 'p2', 10, 'moved'], ['A', 'vx', 'p1', 20, 'moved'], ['A', 'vx', 'p2', 30, 'move-rate'], ['A', 'vx', 'p2', 40, 'move-rate']],
      expected: 'vx p1 @20',
      limited: 2,
    },
    {
      name: 'the next second allows moves again',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'vx', 'p2', 10, 'moved'], ['A', 'vx', 'p1', 20, 'moved'], ['A', 'vx', 'p2', 1_009, 'move-rate'], ['A', 'vx', 'p2', 1_010, 'moved']],
      expected: 'vx p2 @1010',
      limited: 1,
    },
    {
      name: 'refreshes are no moves',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['A', 'vx', 'p1', 10, 'refreshed'], ['A', 'vx', 'p2', 20, 'moved'], ['A', 'vx', 'p2', 30, 'refreshed'], ['A', 'vx', 'p1', 40, 'moved']],
      expected: 'vx p1 @40',
      limited: 0,
    },
    {
      name: 'each MAC has its own limit',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 0, 'learned'], ['A', 'vx', 'p2', 1, 'moved'], ['A', 'vx', 'p1', 2, 'moved'], ['B', 'vx', 'p2', 3, 'moved'], ['B', 'vx', 'p1', 4, 'moved']],
      expected: 'vx p1 @2',
      limited: 0,
    },
  ];
  it.each(rows)('$name', ({ steps, expected, limited }) => {
    const t = setup({ movesPerS: 2 });
    expect(t.run(steps)).toEqual(outcomes(steps));
    expect(t.lookup('A')).toBe(expected);
    expect(t.table.rateLimited).toBe(limited);
  });

  it(`allows ${MAC_MOVES_PER_S} moves a second by default`, () => {
    const t = setup();
    const places = ['p1', 'p2'];
    const got = Array.from({ length: 2 * MAC_MOVES_PER_S + 4 }, (_, i) => t.learn(['A', 'vx', places[i % 2]!, i]));
    expect(got.filter((o) => o === 'moved')).toHaveLength(MAC_MOVES_PER_S);
    expect(got.slice(1, MAC_MOVES_PER_S + 1)).toEqual(Array<LearnOutcome>(MAC_MOVES_PER_S).fill('moved'));
  });
});

describe('MacTable per-peer limit', () => {
  // prettier-ignore
  const rows: { name: string; steps: Step[]; counts: Record<string, number>; limited: number }[] = [
    {
      name: 'a peer at its limit learns no more; other peers still do',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['C', 'vx', 'p1', 2, 'peer-limit'], ['C', 'vx', 'p2', 3, 'learned']],
      counts: { p1: 2, p2: 1 },
      limited: 1,
    },
    {
      name: 'verified peers have the limit too',
      steps: [['A', 'vx', 'v1', 0, 'learned'], ['B', 'vx', 'v1', 1, 'learned'], ['C', 'vx', 'v1', 2, 'peer-limit']],
      counts: { v1: 2 },
      limited: 1,
    },
    {
      name: 'a MAC does not move to a peer at its limit',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['C', 'vx', 'p2', 2, 'learned'], ['C', 'vx', 'p1', 3, 'peer-limit']],
      counts: { p1: 2, p2: 1 },
      limited: 1,
    },
    {
      name: 'a MAC that moves away frees a place',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['A', 'vx', 'p2', 2, 'moved'], ['C', 'vx', 'p1', 3, 'learned']],
      counts: { p1: 2, p2: 1 },
      limited: 0,
    },
    {
      name: 'local adapters have no limit',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'nic', null, 1, 'learned'], ['C', 'nic', null, 2, 'learned']],
      counts: {},
      limited: 0,
    },
  ];
  it.each(rows)('$name', ({ steps, counts, limited }) => {
    const t = setup({ macsPerPeer: 2 });
    expect(t.run(steps)).toEqual(outcomes(steps));
    for (const [peer, n] of Object.entries(counts)) expect(t.peers[peer]!.macCount, peer).toBe(n);
    expect(t.table.peerLimited).toBe(limited);
  });

  it('ageing and forgetting give the places back', () => {
    const t = setup({ macsPerPeer: 2, ageingMs: 10_000 });
    t.run([
      ['A', 'vx', 'p1', 0, 'learned'],
      ['B', 'vx', 'p1', 5_000, 'learned'],
    ]);
    t.sweep(10_000);
    expect(t.peers.p1!.macCount).toBe(1);
    expect(t.learn(['C', 'vx', 'p1', 10_000])).toBe('learned');
    t.table.forget(PORTS.vx, t.peers.p1!);
    expect(t.peers.p1!.macCount).toBe(0);
  });

  it(`allows ${MACS_PER_PEER_MAX} MACs per peer by default`, () => {
    const t = setup();
    const got = Array.from({ length: MACS_PER_PEER_MAX + 1 }, (_, i) => t.learn([String(0x020000100000 + i), 'vx', 'p1', 0]));
    expect(got.filter((o) => o === 'learned')).toHaveLength(MACS_PER_PEER_MAX);
    expect(got.at(-1)).toBe('peer-limit');
  });
});

describe('MacTable full: evicts unverified peers first, then the least recently seen', () => {
  // Each row fills a table of 3, then learns more; `left` is what stays.
  // prettier-ignore
  const rows: { name: string; steps: Step[]; left: string[]; evicted: number; full: number }[] = [
    {
      name: 'a local MAC evicts the least recent unverified one, not an older verified or local one',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'v1', 1, 'learned'], ['C', 'vx', 'p1', 2, 'learned'], ['D', 'nic', null, 3, 'learned']],
      left: ['A', 'B', 'D'], evicted: 1, full: 0,
    },
    {
      name: 'among unverified MACs, the least recently seen goes',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p2', 1, 'learned'], ['C', 'vx', 'p1', 2, 'learned'], ['A', 'vx', 'p1', 1_500, 'refreshed'], ['D', 'nic', null, 1_600, 'learned']],
      left: ['A', 'C', 'D'], evicted: 1, full: 0,
    },
    {
      name: 'an unverified peer evicts another unverified MAC',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['C', 'vx', 'v1', 2, 'learned'], ['D', 'vx', 'p2', 3, 'learned']],
      left: ['A', 'C', 'D'], evicted: 1, full: 0,
    },
    {
      name: 'an unverified peer never evicts local or verified MACs: refused',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'v1', 1, 'learned'], ['C', 'nic', null, 2, 'learned'], ['D', 'vx', 'p1', 3, 'table-full']],
      left: ['A', 'B', 'C'], evicted: 0, full: 1,
    },
    {
      name: 'with no unverified MAC left, a verified peer evicts the least recent',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'v1', 1, 'learned'], ['C', 'nic', null, 2, 'learned'], ['A', 'nic', null, 1_500, 'refreshed'], ['D', 'vx', 'v2', 1_600, 'learned']],
      left: ['A', 'C', 'D'], evicted: 1, full: 0,
    },
    {
      name: 'a flood from unverified peers churns only their own MACs',
      steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'v1', 1, 'learned'], ['C', 'vx', 'p1', 2, 'learned'], ['D', 'vx', 'p2', 3, 'learned'], ['E', 'vx', 'p1', 4, 'learned']],
      left: ['A', 'B', 'E'], evicted: 2, full: 0,
    },
    {
      name: 'known MACs still refresh and move in a full table',
      steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['C', 'vx', 'p1', 2, 'learned'], ['A', 'vx', 'p2', 3, 'moved'], ['B', 'vx', 'p1', 4, 'refreshed']],
      left: ['A', 'B', 'C'], evicted: 0, full: 0,
    },
  ];
  it.each(rows)('$name', ({ steps, left, evicted, full }) => {
    const t = setup({ maxEntries: 3 });
    expect(t.run(steps)).toEqual(outcomes(steps));
    expect(t.macs()).toEqual(left);
    expect(t.table.size).toBe(3);
    expect([t.table.evicted, t.table.tableFull]).toEqual([evicted, full]);
    const behind = (p: string) => [...t.table.list()].filter((e) => e.peer?.label === p).length;
    for (const p of ['p1', 'p2', 'v1', 'v2']) expect(t.peers[p]!.macCount, p).toBe(behind(p));
  });

  it('a peer verified after its MACs were learned is no longer evicted as unverified', () => {
    const t = setup({ maxEntries: 2 });
    t.run([
      ['A', 'vx', 'p1', 0, 'learned'],
      ['B', 'vx', 'p2', 1, 'learned'],
    ]);
    t.peers.p1!.verified = true; // authenticated since
    expect(t.learn(['C', 'nic', null, 2])).toBe('learned');
    expect(t.macs()).toEqual(['A', 'C']);
    // A now counts as trusted and the least recent of them: a trusted newcomer evicts it.
    expect(t.learn(['D', 'nic', null, 3])).toBe('learned');
    expect(t.macs()).toEqual(['C', 'D']);
  });

  it('a limit of 0 learns nothing', () => {
    const t = setup({ maxEntries: 0 });
    expect(t.learn(['A', 'nic', null, 0])).toBe('table-full');
    expect(t.table.size).toBe(0);
  });

  it(`holds ${MAC_TABLE_MAX} MACs by default, then evicts for a local host`, () => {
    const t = setup({ macsPerPeer: Infinity });
    let learned = 0;
    for (let i = 0; i < MAC_TABLE_MAX; i++) if (t.learn([String(0x020000100000 + i), 'vx', 'p1', 0]) === 'learned') learned++;
    expect(learned).toBe(MAC_TABLE_MAX);
    expect(t.learn(['A', 'nic', null, 1])).toBe('learned');
    expect(t.table.size).toBe(MAC_TABLE_MAX);
    expect(t.table.lookup(0x020000100000)).toBeUndefined(); // the least recent went
    expect(t.peers.p1!.macCount).toBe(MAC_TABLE_MAX - 1);
  });
});

describe('MacTable recency order (eviction, snapshots)', () => {
  // Learns, then the expected order of recent(), newest first.
  // prettier-ignore
  const rows: { name: string; steps: Step[]; newest: string[] }[] = [
    { name: 'newest first, across local, verified and unverified', steps: [['A', 'nic', null, 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['C', 'vx', 'v1', 2, 'learned'], ['D', 'vx', 'p2', 3, 'learned']], newest: ['D', 'C', 'B', 'A'] },
    { name: 'seen again within a second: the order stays (no relink per frame)', steps: [['A', 'nic', null, 0, 'learned'], ['B', 'nic', null, 1, 'learned'], ['A', 'nic', null, 999, 'refreshed']], newest: ['B', 'A'] },
    { name: 'seen again a second later: moves to the recent end', steps: [['A', 'nic', null, 0, 'learned'], ['B', 'nic', null, 1, 'learned'], ['A', 'nic', null, 1_000, 'refreshed']], newest: ['A', 'B'] },
    { name: 'a move puts it at the recent end', steps: [['A', 'vx', 'p1', 0, 'learned'], ['B', 'vx', 'p1', 1, 'learned'], ['A', 'vx', 'p2', 2, 'moved']], newest: ['A', 'B'] },
    { name: 'a refused claim does not', steps: [['A', 'nic', null, 0, 'learned'], ['B', 'nic', null, 1, 'learned'], ['A', 'vx', 'p1', 5_000, 'local-hold']], newest: ['B', 'A'] },
  ];
  it.each(rows)('$name', ({ steps, newest }) => {
    const t = setup();
    expect(t.run(steps)).toEqual(outcomes(steps));
    expect(t.recent()).toEqual(newest);
  });

  it('lists at most the number asked for', () => {
    const t = setup();
    t.run([
      ['A', 'nic', null, 0, 'learned'],
      ['B', 'vx', 'p1', 1, 'learned'],
      ['C', 'nic', null, 2, 'learned'],
    ]);
    expect(t.recent(2)).toEqual(['C', 'B']);
    expect(t.recent(0)).toEqual([]);
  });
});

describe('MacTable ageing', () => {
  // Learns happen first, then sweeps at the given times, each with the MACs left after it.
  // prettier-ignore
  const rows: { name: string; ageingMs?: number; learns: Learn[]; sweeps: [at: number, left: string[]][] }[] = [
    { name: 'default 300 s: kept a millisecond before, gone at 300 s', learns: [['A', 'nic', null, 0]], sweeps: [[299_999, ['A']], [300_000, []]] },
    { name: 'a shorter ageing time', ageingMs: 10_000, learns: [['A', 'nic', null, 0]], sweeps: [[9_999, ['A']], [10_000, []]] },
    {
      name: 'seen again: ageing starts over',
      learns: [['A', 'nic', null, 0], ['A', 'nic', null, 200_000]],
      sweeps: [[300_000, ['A']], [499_999, ['A']], [500_000, []]],
    },
    {
      name: 'a move starts ageing over too',
      learns: [['A', 'vx', 'p1', 0], ['A', 'vx', 'p2', 100_000]],
      sweeps: [[300_000, ['A']], [400_000, []]],
    },
    {
      name: 'each MAC ages on its own, trusted or not',
      learns: [['A', 'nic', null, 0], ['B', 'vx', 'p1', 100_000], ['C', 'vx', 'v1', 250_000]],
      sweeps: [[300_000, ['B', 'C']], [400_000, ['C']], [550_000, []]],
    },
    { name: 'a sweep before anything is old removes nothing', learns: [['A', 'nic', null, 0], ['B', 'nic', null, 0]], sweeps: [[0, ['A', 'B']], [1_000, ['A', 'B']]] },
  ];
  it.each(rows)('$name', ({ ageingMs, learns, sweeps }) => {
    const t = setup({ ageingMs });
    for (const l of learns) t.learn(l);
    for (const [at, left] of sweeps) {
      t.sweep(at);
      expect(t.macs()).toEqual(left);
    }
  });

  it('ages 300 s by default, like the Linux bridge', () => {
    expect(new MacTable().ageingMs).toBe(300_000);
    expect(MAC_AGEING_MS).toBe(300_000);
  });

  it('ageing makes room again', () => {
    const t = setup({ ageingMs: 10_000, maxEntries: 1 });
    t.learn(['A', 'nic', null, 0]);
    expect(t.learn(['B', 'vx', 'p1', 5_000])).toBe('table-full');
    t.sweep(10_000);
    expect(t.learn(['B', 'vx', 'p1', 10_000])).toBe('learned');
    expect(t.macs()).toEqual(['B']);
  });
});

describe('MacTable forgetting (a peer expired, a leg stopped)', () => {
  const learns: Learn[] = [
    ['A', 'nic', null, 0],
    ['B', 'vx', 'p1', 0],
    ['C', 'vx', 'p2', 0],
  ];
  const rows: { name: string; forget: (table: MacTable, peers: Record<string, PeerRef>) => void; left: string[] }[] = [
    { name: 'one peer of a port', forget: (m, p) => m.forget(PORTS.vx, p.p1!), left: ['A', 'C'] },
    { name: 'a whole port', forget: (m) => m.forget(PORTS.vx, null), left: ['A'] },
    { name: 'a NIC port', forget: (m) => m.forget(PORTS.nic, null), left: ['B', 'C'] },
    { name: 'a peer on another port: nothing', forget: (m, p) => m.forget(PORTS.hub, p.p1!), left: ['A', 'B', 'C'] },
    { name: 'several peers at once', forget: (m, p) => m.forgetPeers(PORTS.vx, new Set([p.p1!, p.p2!])), left: ['A'] },
    { name: 'no peers: nothing', forget: (m) => m.forgetPeers(PORTS.vx, new Set()), left: ['A', 'B', 'C'] },
    { name: 'peers of another port: nothing', forget: (m, p) => m.forgetPeers(PORTS.hub, new Set([p.p1!])), left: ['A', 'B', 'C'] },
  ];
  it.each(rows)('$name', ({ forget, left }) => {
    const t = setup();
    for (const l of learns) t.learn(l);
    forget(t.table, t.peers);
    expect(t.macs()).toEqual(left);
    expect(t.peers.p1!.macCount + t.peers.p2!.macCount).toBe(left.filter((m) => m !== 'A').length);
  });
});
