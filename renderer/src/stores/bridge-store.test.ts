import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeSnapshot, PeerSnapshot } from '../../../electron/model/snapshot.js';
import { staticHost } from '../api/host.js';
import { createFakeApi, legSnapshots, type FakeApi } from '../testing/fake-api.js';
import { GHOST_MS, HISTORY_BOUNDS, isLive, isNewPeer, resetBridge, useBridge } from './bridge-store.js';
import { useConnection } from './connection-store.js';

const LEGS = ['5000#W:E@eth0', '5000#V:E@10.0.0.1:0'];
const legs = legSnapshots(LEGS);

function peer(address: string, bytes: number, firstSeen = 1): PeerSnapshot {
  return { leg: 1, address, origin: 'learned', verified: true, firstSeen, lastSeen: firstSeen, rxPackets: bytes / 100, rxBytes: bytes, txPackets: 0, txBytes: 0 };
}

function snap(time: number, k: number, peers: PeerSnapshot[] = []): BridgeSnapshot {
  return {
    time,
    running: true,
    legs: legs.map((l) => ({ ...l, rxPackets: k, rxBytes: k * 125, txPackets: k, txBytes: k * 125 })),
    peers,
    macs: [],
    peerCount: peers.length,
    macCount: 0,
  };
}

let fake: FakeApi;
beforeEach(() => {
  resetBridge();
  fake = createFakeApi();
  useConnection.getState().setHost(staticHost(fake.api));
});

describe('bridge store', () => {
  it('computes rates from consecutive snapshots and records history', () => {
    const b = useBridge.getState();
    b.ingest(snap(1000, 0));
    b.ingest(snap(1500, 100));
    const s = useBridge.getState();
    expect(s.phase).toBe('running');
    expect(s.rates?.legs.get(0)).toEqual({ rxPps: 200, txPps: 200, rxBps: 200_000, txBps: 200_000 });
    expect(s.rates?.total.rxBps).toBe(400_000);
    expect(s.history).toEqual([{ t: 1500, rx: 400_000, tx: 400_000 }]);
    expect(s.legHistory[1]).toEqual([{ t: 1500, rx: 200_000, tx: 200_000 }]);
  });

  it('keeps history bounded', () => {
    const b = useBridge.getState();
    for (let i = 0; i < HISTORY_BOUNDS.capacity + 50; i++) b.ingest(snap(1000 + i * 100, i * 10));
    const s = useBridge.getState();
    expect(s.history).toHaveLength(HISTORY_BOUNDS.capacity);
    expect(s.legHistory[0]).toHaveLength(HISTORY_BOUNDS.capacity);
    expect(s.history[s.history.length - 1]!.t).toBe(1000 + (HISTORY_BOUNDS.capacity + 49) * 100);
  });

  it('drops history older than the window', () => {
    const b = useBridge.getState();
    b.ingest(snap(0, 0));
    b.ingest(snap(1000, 1));
    b.ingest(snap(1000 + HISTORY_BOUNDS.maxAgeMs + 5000, 2));
    expect(useBridge.getState().history.map((p) => p.t)).toEqual([1000 + HISTORY_BOUNDS.maxAgeMs + 5000]);
  });

  it('ignores a snapshot older than the one it has', () => {
    const b = useBridge.getState();
    b.ingest(snap(2000, 10));
    b.ingest(snap(1000, 99));
    expect(useBridge.getState().snapshot?.time).toBe(2000);
  });

  it('keeps an expired peer as a ghost for a while, then forgets it', () => {
    const b = useBridge.getState();
    b.ingest(snap(1000, 0, [peer('198.51.100.7:40001', 100), peer('198.51.100.8:40002', 100)]));
    b.ingest(snap(2000, 1, [peer('198.51.100.8:40002', 200)]));
    expect(useBridge.getState().ghosts.map((g) => g.peer.address)).toEqual(['198.51.100.7:40001']);
    b.ingest(snap(2000 + GHOST_MS + 1, 2, [peer('198.51.100.8:40002', 300)]));
    expect(useBridge.getState().ghosts).toEqual([]);
  });

  it('a peer that comes back is no longer a ghost', () => {
    const b = useBridge.getState();
    b.ingest(snap(1000, 0, [peer('198.51.100.7:40001', 100)]));
    b.ingest(snap(2000, 1, []));
    b.ingest(snap(3000, 2, [peer('198.51.100.7:40001', 100, 3000)]));
    expect(useBridge.getState().ghosts).toEqual([]);
  });

  it('marks recently first-seen peers as new', () => {
    expect(isNewPeer(peer('a', 0, 10_000), 15_000)).toBe(true);
    expect(isNewPeer(peer('a', 0, 10_000), 25_000)).toBe(false);
  });

  it('only a learned peer is new (a configured one was always there), and only while running', () => {
    expect(isNewPeer({ ...peer('a', 0, 10_000), origin: 'configured' }, 15_000)).toBe(false);
    expect(isNewPeer(peer('a', 0, 10_000), 15_000, false)).toBe(false);
  });

  it('start: starting → running, with the snapshot from the reply', async () => {
    const p = useBridge.getState().start(LEGS);
    expect(useBridge.getState().phase).toBe('starting');
    expect(await p).toBe(true);
    expect(useBridge.getState().phase).toBe('running');
    expect(useBridge.getState().snapshot?.legs).toHaveLength(2);
    expect(fake.lastLegs).toEqual(LEGS);
  });

  it('start failure: back to idle with the error', async () => {
    fake.startError = 'cannot open adapter eth0: permission denied';
    expect(await useBridge.getState().start(LEGS)).toBe(false);
    expect(useBridge.getState().phase).toBe('idle');
    expect(useBridge.getState().error).toContain('permission denied');
  });

  it('stop: running → idle; legs shown as stopped', async () => {
    await useBridge.getState().start(LEGS);
    expect(await useBridge.getState().stop()).toBe(true);
    const s = useBridge.getState();
    expect(s.phase).toBe('idle');
    expect(s.snapshot?.legs.every((l) => l.state === 'stopped')).toBe(true);
  });

  it('stop: every rate reads 0 and nothing is live any more', async () => {
    await useBridge.getState().start(LEGS);
    const t0 = useBridge.getState().snapshot!.time;
    useBridge.getState().ingest(snap(t0 + 1000, 10, [peer('198.51.100.7:40001', 100, t0 + 1000)]));
    useBridge.getState().ingest(snap(t0 + 2000, 100, [peer('198.51.100.7:40001', 900, t0 + 1000)]));
    expect(useBridge.getState().rates?.total.rxBps).toBeGreaterThan(0);
    expect(isLive(useBridge.getState())).toBe(true);

    expect(await useBridge.getState().stop()).toBe(true);
    const s = useBridge.getState();
    expect(isLive(s)).toBe(false);
    expect(s.rates?.total).toEqual({ rxPps: 0, txPps: 0, rxBps: 0, txBps: 0 });
    expect([...s.rates!.legs.values()].every((r) => r.rxBps === 0 && r.txBps === 0)).toBe(true);
    expect([...s.rates!.peers.values()].every((r) => r.rxBps === 0 && r.txBps === 0)).toBe(true);
    // The peer is still listed, but not new.
    expect(s.snapshot?.peers).toHaveLength(1);
    expect(isNewPeer(s.snapshot!.peers[0]!, s.snapshot!.time, isLive(s))).toBe(false);
  });

  it('a not-running snapshot moves to idle', () => {
    const b = useBridge.getState();
    b.ingest(snap(1000, 1));
    b.ingest({ ...snap(2000, 1), running: false });
    expect(useBridge.getState().phase).toBe('idle');
  });

  it('adopts a bridge started by the host; uptime only when it was seen idle first', async () => {
    await useBridge.getState().sync();
    expect(useBridge.getState().knownIdle).toBe(true);
    useBridge.getState().ingest(snap(5000, 1));
    expect(useBridge.getState().phase).toBe('running');
    expect(useBridge.getState().startedAt).toBe(5000);
    resetBridge();
    useBridge.getState().ingest(snap(5000, 1));
    expect(useBridge.getState().phase).toBe('running');
    expect(useBridge.getState().startedAt).toBeNull();
  });

  it('logs events', () => {
    useBridge.getState().onEvent({ type: 'peer-learned', leg: 1, address: '198.51.100.7:40001' }, 5);
    useBridge.getState().onEvent({ type: 'leg-state', leg: 0, state: 'error', error: 'adapter gone' }, 6);
    const ev = useBridge.getState().events;
    expect(ev.map((e) => e.level)).toEqual(['info', 'error']);
    expect(ev[1]!.text).toContain('adapter gone');
  });
});
