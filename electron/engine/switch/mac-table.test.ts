import { describe, expect, it } from 'vitest';
import { MAC_AGEING_MS, MAC_TABLE_MAX } from '../../model/defaults.js';
import { Drops } from '../stats/counters.js';
import { MacTable, type MacEntry } from './mac-table.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

const T0 = 1_000_000;

/** Time moves only when a test says so; `at(ms)` is ms after T0. */
function fakeClock() {
  let t = T0;
  return { now: () => t, at: (ms: number) => void (t = T0 + ms) };
}

function fakePort(id: number, name: string): SwitchPort & { name: string } {
  return { id, name, relays: false, drops: new Drops(), sendTo: () => {}, flood: () => {} };
}

const PORTS = { nic: fakePort(0, 'nic'), vx: fakePort(1, 'vx'), hub: fakePort(2, 'hub') };
const PEERS: Record<string, PeerRef> = { p1: { label: 'p1' }, p2: { label: 'p2' } };
const MACS: Record<string, number> = { A: 0x020000000001, B: 0x020000000002, C: 0x020000000003 };

/** [MAC, port, peer, ms after T0] */
type Learn = readonly [mac: string, port: keyof typeof PORTS, peer: string | null, at: number];

/** An entry as the rows write it: "port [peer] @ms". */
function shown(e: Readonly<MacEntry> | undefined): string | undefined {
  if (e === undefined) return undefined;
  const port = (e.port as SwitchPort & { name: string }).name;
  return `${port}${e.peer === null ? '' : ' ' + e.peer.label} @${e.lastSeen - T0}`;
}

function setup(ageingMs?: number, maxEntries?: number) {
  const clock = fakeClock();
  const table = new MacTable(ageingMs, maxEntries);
  return {
    clock,
    table,
    learn: ([mac, port, peer, at]: Learn): boolean => {
      clock.at(at);
      return table.learn(MACS[mac] ?? Number(mac), PORTS[port], peer === null ? null : PEERS[peer]!, clock.now());
    },
    lookup: (mac: string) => shown(table.lookup(MACS[mac]!)),
    macs: () => [...table.list()].map(([mac]) => Object.keys(MACS).find((k) => MACS[k] === mac) ?? mac),
    sweep: (at: number) => {
      clock.at(at);
      table.sweep(clock.now());
    },
  };
}

describe('MacTable learning and moves', () => {
  // prettier-ignore
  const rows: { name: string; learns: Learn[]; expected: Record<string, string | undefined> }[] = [
    { name: 'an unknown MAC has no entry', learns: [], expected: { A: undefined } },
    { name: 'a new MAC: its port and time', learns: [['A', 'nic', null, 0]], expected: { A: 'nic @0' } },
    { name: 'a MAC behind a peer of a tunnel port', learns: [['A', 'vx', 'p1', 0]], expected: { A: 'vx p1 @0' } },
    { name: 'seen again: refreshed', learns: [['A', 'nic', null, 0], ['A', 'nic', null, 5_000]], expected: { A: 'nic @5000' } },
    { name: 'moves to another port', learns: [['A', 'nic', null, 0], ['A', 'vx', 'p1', 1_000]], expected: { A: 'vx p1 @1000' } },
    { name: 'moves to another peer of the same port', learns: [['A', 'vx', 'p1', 0], ['A', 'vx', 'p2', 1_000]], expected: { A: 'vx p2 @1000' } },
    { name: 'moves from a peer to a NIC', learns: [['A', 'vx', 'p1', 0], ['A', 'nic', null, 1_000]], expected: { A: 'nic @1000' } },
    { name: 'the same peer label on another port is another place', learns: [['A', 'vx', 'p1', 0], ['A', 'hub', 'p1', 1_000]], expected: { A: 'hub p1 @1000' } },
    {
      name: 'MACs are independent',
      learns: [['A', 'nic', null, 0], ['B', 'vx', 'p1', 1_000], ['A', 'nic', null, 2_000]],
      expected: { A: 'nic @2000', B: 'vx p1 @1000', C: undefined },
    },
  ];
  it.each(rows)('$name', ({ learns, expected }) => {
    const t = setup();
    for (const l of learns) expect(t.learn(l)).toBe(true);
    for (const [mac, entry] of Object.entries(expected)) expect(t.lookup(mac)).toBe(entry);
    expect(t.table.size).toBe(new Set(learns.map(([mac]) => mac)).size);
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
      learns: [['A', 'nic', null, 0], ['A', 'vx', 'p1', 100_000]],
      sweeps: [[300_000, ['A']], [400_000, []]],
    },
    {
      name: 'each MAC ages on its own',
      learns: [['A', 'nic', null, 0], ['B', 'vx', 'p1', 100_000], ['C', 'vx', 'p2', 250_000]],
      sweeps: [[300_000, ['B', 'C']], [400_000, ['C']], [550_000, []]],
    },
    { name: 'a sweep before anything is old removes nothing', learns: [['A', 'nic', null, 0], ['B', 'nic', null, 0]], sweeps: [[0, ['A', 'B']], [1_000, ['A', 'B']]] },
  ];
  it.each(rows)('$name', ({ ageingMs, learns, sweeps }) => {
    const t = setup(ageingMs);
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
});

describe('MacTable size limit (a full table learns no new MACs; it evicts nothing)', () => {
  const rows: { name: string; max: number; learns: Learn[]; accepted: boolean[]; expected: Record<string, string | undefined> }[] = [
    {
      name: 'fills up to the limit',
      max: 2,
      learns: [
        ['A', 'nic', null, 0],
        ['B', 'nic', null, 1],
      ],
      accepted: [true, true],
      expected: { A: 'nic @0', B: 'nic @1' },
    },
    {
      name: 'a new MAC in a full table is refused, the oldest stays',
      max: 2,
      learns: [
        ['A', 'nic', null, 0],
        ['B', 'nic', null, 1],
        ['C', 'vx', 'p1', 2],
      ],
      accepted: [true, true, false],
      expected: { A: 'nic @0', B: 'nic @1', C: undefined },
    },
    {
      name: 'known MACs still refresh and move in a full table',
      max: 2,
      learns: [
        ['A', 'nic', null, 0],
        ['B', 'nic', null, 1],
        ['A', 'vx', 'p1', 2],
        ['B', 'nic', null, 3],
      ],
      accepted: [true, true, true, true],
      expected: { A: 'vx p1 @2', B: 'nic @3' },
    },
    {
      name: 'a limit of 0 learns nothing',
      max: 0,
      learns: [['A', 'nic', null, 0]],
      accepted: [false],
      expected: { A: undefined },
    },
  ];
  it.each(rows)('$name', ({ max, learns, accepted, expected }) => {
    const t = setup(undefined, max);
    expect(learns.map((l) => t.learn(l))).toEqual(accepted);
    for (const [mac, entry] of Object.entries(expected)) expect(t.lookup(mac)).toBe(entry);
    expect(t.table.size).toBeLessThanOrEqual(max);
  });

  it(`holds ${MAC_TABLE_MAX} MACs by default`, () => {
    const t = setup();
    let accepted = 0;
    for (let i = 0; i < MAC_TABLE_MAX; i++) if (t.learn([String(0x020000100000 + i), 'vx', 'p1', 0])) accepted++;
    expect(accepted).toBe(MAC_TABLE_MAX);
    expect(t.learn(['A', 'nic', null, 1])).toBe(false);
    expect(t.table.size).toBe(MAC_TABLE_MAX);
  });

  it('ageing makes room again', () => {
    const t = setup(10_000, 1);
    t.learn(['A', 'nic', null, 0]);
    expect(t.learn(['B', 'nic', null, 5_000])).toBe(false);
    t.sweep(10_000);
    expect(t.learn(['B', 'nic', null, 10_000])).toBe(true);
    expect(t.macs()).toEqual(['B']);
  });
});

describe('MacTable forgetting (a peer expired, a leg stopped)', () => {
  const learns: Learn[] = [
    ['A', 'nic', null, 0],
    ['B', 'vx', 'p1', 0],
    ['C', 'vx', 'p2', 0],
  ];
  const rows: { name: string; forget: (table: MacTable) => void; left: string[] }[] = [
    { name: 'one peer of a port', forget: (m) => m.forget(PORTS.vx, PEERS.p1!), left: ['A', 'C'] },
    { name: 'a whole port', forget: (m) => m.forget(PORTS.vx, null), left: ['A'] },
    { name: 'a NIC port', forget: (m) => m.forget(PORTS.nic, null), left: ['B', 'C'] },
    { name: 'a peer on another port: nothing', forget: (m) => m.forget(PORTS.hub, PEERS.p1!), left: ['A', 'B', 'C'] },
    { name: 'several peers at once', forget: (m) => m.forgetPeers(PORTS.vx, new Set([PEERS.p1!, PEERS.p2!])), left: ['A'] },
    { name: 'no peers: nothing', forget: (m) => m.forgetPeers(PORTS.vx, new Set()), left: ['A', 'B', 'C'] },
    { name: 'peers of another port: nothing', forget: (m) => m.forgetPeers(PORTS.hub, new Set([PEERS.p1!])), left: ['A', 'B', 'C'] },
  ];
  it.each(rows)('$name', ({ forget, left }) => {
    const t = setup();
    for (const l of learns) t.learn(l);
    forget(t.table);
    expect(t.macs()).toEqual(left);
  });
});
