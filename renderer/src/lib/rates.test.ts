import { describe, expect, it } from 'vitest';
import type { BridgeSnapshot } from '../../../electron/model/snapshot.js';
import { legSnapshots } from '../testing/fake-api.js';
import { computeRates, peerKey, rateBetween } from './rates.js';
import { pushBounded } from './ring.js';

const c = (rxPackets: number, rxBytes: number, txPackets: number, txBytes: number) => ({ rxPackets, rxBytes, txPackets, txBytes });

describe('rateBetween', () => {
  it('gives per-second packets and bits', () => {
    expect(rateBetween(c(0, 0, 0, 0), c(100, 150_000, 50, 25_000), 0.5)).toEqual({ rxPps: 200, txPps: 100, rxBps: 2_400_000, txBps: 400_000 });
  });
  it('never goes negative when a counter restarts', () => {
    expect(rateBetween(c(100, 1000, 10, 10), c(5, 50, 20, 20), 1)).toEqual({ rxPps: 0, txPps: 10, rxBps: 0, txBps: 80 });
  });
  it('is zero without elapsed time', () => {
    expect(rateBetween(c(0, 0, 0, 0), c(9, 9, 9, 9), 0).rxPps).toBe(0);
  });
});

describe('computeRates', () => {
  const legs = legSnapshots(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0']);
  const snap = (time: number, k: number, peers: BridgeSnapshot['peers'] = []): BridgeSnapshot => ({
    time,
    running: true,
    legs: legs.map((l) => ({ ...l, rxPackets: k * (l.id + 1), rxBytes: k * 1000, txPackets: k, txBytes: k * 500 })),
    peers,
    macs: [],
    peerCount: peers.length,
    macCount: 0,
  });
  const peer = (address: string, rxBytes: number) => ({
    leg: 1,
    address,
    origin: 'learned' as const,
    verified: true,
    firstSeen: 1,
    lastSeen: 1,
    rxPackets: rxBytes / 100,
    rxBytes,
    txPackets: 0,
    txBytes: 0,
  });

  it('computes leg, peer and total rates between two snapshots', () => {
    const r = computeRates(snap(1000, 10, [peer('1.1.1.1:4789', 1000)]), snap(1250, 20, [peer('1.1.1.1:4789', 3000), peer('2.2.2.2:5000', 900)]));
    expect(r.seconds).toBe(0.25);
    expect(r.legs.get(0)).toEqual({ rxPps: 40, txPps: 40, rxBps: 320_000, txBps: 160_000 });
    expect(r.legs.get(1)?.rxPps).toBe(80);
    expect(r.total.rxPps).toBe(120);
    expect(r.total.rxBps).toBe(640_000);
    expect(r.peers.get(peerKey(1, '1.1.1.1:4789'))?.rxBps).toBe(64_000);
    // A peer seen for the first time has no rate yet.
    expect(r.peers.get(peerKey(1, '2.2.2.2:5000'))?.rxBps).toBe(0);
  });

  it('has zero rates without a previous snapshot', () => {
    const r = computeRates(null, snap(1000, 10));
    expect(r.seconds).toBe(0);
    expect(r.total).toEqual({ rxPps: 0, txPps: 0, rxBps: 0, txBps: 0 });
  });
});

describe('pushBounded', () => {
  const bounds = { capacity: 5, maxAgeMs: 10_000 };
  it('keeps at most `capacity` points, dropping the oldest', () => {
    let h: { t: number; rx: number; tx: number }[] = [];
    for (let i = 1; i <= 12; i++) h = pushBounded(h, { t: i * 100, rx: i, tx: 0 }, bounds);
    expect(h).toHaveLength(5);
    expect(h.map((p) => p.rx)).toEqual([8, 9, 10, 11, 12]);
  });
  it('drops points older than maxAge', () => {
    let h = [
      { t: 0, rx: 0, tx: 0 },
      { t: 5000, rx: 1, tx: 0 },
    ];
    h = pushBounded(h, { t: 12_000, rx: 2, tx: 0 }, bounds);
    expect(h.map((p) => p.t)).toEqual([5000, 12_000]);
  });
  it('starts over when time goes backwards', () => {
    const h = pushBounded([{ t: 5000, rx: 1, tx: 0 }], { t: 1000, rx: 2, tx: 0 }, bounds);
    expect(h).toEqual([{ t: 1000, rx: 2, tx: 0 }]);
  });
  it('does not mutate its input', () => {
    const before = [{ t: 1, rx: 0, tx: 0 }];
    pushBounded(before, { t: 2, rx: 0, tx: 0 }, bounds);
    expect(before).toHaveLength(1);
  });
});
