// The bridge against floods: MAC events coalesced, snapshots of big tables
// picked without sorting them. Engines wired through the in-memory network.
// (The coalescing of VTEP events, 20,000 keepalives from two alternating
// ports included, is in stats/event-coalescer.test.ts.)

import { afterEach, describe, expect, it } from 'vitest';
import { createBridge, topRanked, type Bridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import type { BridgeEvent } from '../model/events.js';
import { SNAPSHOT_LIST_MAX } from '../model/defaults.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { formatMac } from './codec/mac.js';
import { BROADCAST, ethFrame, tagOf } from './test-support/frames.js';
import { legs } from './test-support/legs.js';

const bridges: BridgeHandle[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.stop();
});

/** A site with a LAN adapter and an Ethernet-over-UDP leg to 10.0.0.2; every event recorded. */
async function site() {
  const net = new MemoryNetwork();
  const capture = new MemoryCapturePort();
  const nic = capture.add(new MemoryNic('lan'));
  const clock = { t: 1_000_000, now: () => clock.t };
  const bridge = createBridge(legs('7#U:E@10.0.0.1:40000:10.0.0.2:40001', '7#W:E@lan'), { capture, udp: net.host('10.0.0.1'), clock }) as Bridge;
  bridges.push(bridge);
  const events: BridgeEvent[] = [];
  bridge.onEvent((e) => events.push(e));
  await bridge.start();
  /** A frame from the remote end of the U leg. */
  const remote = (frame: Buffer) => net.inject(frame, '10.0.0.2', 40001, '10.0.0.1', 40000);
  return { nic, clock, bridge, events, remote };
}

const HOST = '02:aa:00:00:00:01';
const refusals = (events: readonly BridgeEvent[]) => events.filter((e) => e.type === 'mac-move-refused').map((e) => ('count' in e && e.count !== undefined ? e.count : 1));

describe('bridge: MAC events through the coalescer', () => {
  it('a remote end claiming a LAN host: the host keeps its traffic; one event, then one summary at the sweep', async () => {
    const s = await site();
    s.nic.receive(ethFrame(BROADCAST, HOST, 'host'));
    for (let i = 0; i < 500; i++) s.remote(ethFrame(BROADCAST, HOST, 'forged'));
    expect(s.nic.take().map(tagOf)).toEqual(Array(500).fill('forged')); // still forwarded
    s.remote(ethFrame(HOST, '02:bb:00:00:00:01', 'to-host'));
    expect(s.nic.take().map(tagOf)).toEqual(['to-host']);
    expect(s.bridge.snapshot().macs.find((m) => m.mac === HOST)).toMatchObject({ leg: 1 });
    expect(s.events.filter((e) => e.type === 'mac-move-refused')).toEqual([
      { type: 'mac-move-refused', leg: 0, segment: 7, mac: HOST, peer: '10.0.0.2:40001', heldLeg: 1, reason: 'local-hold' },
    ]);
    s.clock.t += 1_000;
    s.bridge.sweep();
    s.bridge.sweep();
    expect(refusals(s.events)).toEqual([1, 499]);
  });

  it('stop sends the summaries still pending', async () => {
    const s = await site();
    s.nic.receive(ethFrame(BROADCAST, HOST, 'host'));
    for (let i = 0; i < 10; i++) s.remote(ethFrame(BROADCAST, HOST, 'forged'));
    await s.bridge.stop();
    expect(refusals(s.events)).toEqual([1, 9]);
  });

  it('leg states are not held back', async () => {
    const s = await site();
    expect(s.events.filter((e) => e.type === 'leg-state').map((e) => (e.type === 'leg-state' ? e.state : ''))).toEqual(['starting', 'starting', 'running', 'running']);
  });
});

describe('snapshots of big tables', () => {
  it(`70,000 MACs: lists the ${SNAPSHOT_LIST_MAX} most recent, newest first, with macCount 70,000`, async () => {
    const capture = new MemoryCapturePort();
    const lan1 = capture.add(new MemoryNic('lan1'));
    const lan2 = capture.add(new MemoryNic('lan2'));
    const clock = { t: 1_000_000, now: () => clock.t };
    const b = createBridge(legs('1#W:E@lan1', '2#W:E@lan2'), { capture, udp: new MemoryNetwork().host('10.0.0.1'), clock }, { macAgeingMs: 10 * 3600_000 });
    bridges.push(b);
    await b.start();
    // 35,000 hosts on each segment, one new host every 100 ms, alternating segments.
    const mac = (i: number) => formatMac(0x020000000000 + i);
    for (let i = 0; i < 70_000; i++) {
      clock.t += 100;
      (i % 2 === 0 ? lan1 : lan2).receive(ethFrame(BROADCAST, mac(i), 'x'));
    }
    const s = b.snapshot();
    expect(s.macCount).toBe(70_000);
    expect(s.macs).toHaveLength(SNAPSHOT_LIST_MAX);
    const want = Array.from({ length: SNAPSHOT_LIST_MAX }, (_, k) => 70_000 - 1 - k);
    expect(s.macs.map((m) => m.mac)).toEqual(want.map(mac));
    expect(s.macs.map((m) => m.segment).slice(0, 4)).toEqual([2, 1, 2, 1]);
    expect(s.macs[0]).toEqual({ segment: 2, mac: mac(69_999), leg: 1, ageSeconds: 0 });
    expect(s.macs.at(-1)?.ageSeconds).toBe(200);
  });
});

describe('topRanked (the peer list of snapshots)', () => {
  // prettier-ignore
  const rows: { name: string; ranks: number[]; max: number }[] = [
    { name: 'short list: all, in their order', ranks: [3, 1, 2], max: 5 },
    { name: 'cut: the highest, highest first', ranks: [5, 9, 1, 7, 3, 8], max: 3 },
    { name: 'ties kept in list order', ranks: [1, 2, 2, 2, 0], max: 2 },
    { name: 'Infinity first (configured peers)', ranks: [10, Infinity, 30, Infinity, 20], max: 3 },
    { name: 'max 0', ranks: [1, 2], max: 0 },
    { name: 'max 1', ranks: [4, 8, 6], max: 1 },
  ];
  it.each(rows)('$name', ({ ranks, max }) => {
    const items = ranks.map((rank, i) => ({ rank, i }));
    const want = items.length <= max ? items : [...items].sort((a, b) => b.rank - a.rank || a.i - b.i).slice(0, max);
    expect(topRanked(items, max, (x) => x.rank)).toEqual(want);
  });

  it('matches a full sort on 10,000 random ranks', () => {
    let seed = 7;
    const items = Array.from({ length: 10_000 }, (_, i) => ({ rank: (seed = (Math.imul(seed, 48271) >>> 0) % 1000), i }));
    const want = [...items].sort((a, b) => b.rank - a.rank || a.i - b.i).slice(0, SNAPSHOT_LIST_MAX);
    expect(topRanked(items, SNAPSHOT_LIST_MAX, (x) => x.rank)).toEqual(want);
  });
});
