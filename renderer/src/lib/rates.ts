// Rates from two consecutive cumulative snapshots. The engine only ever sends
// counters; every per-second figure the UI shows is computed here.

import type { BridgeSnapshot, TrafficCounters } from '../../../electron/model/snapshot.js';

export interface Rate {
  readonly rxPps: number;
  readonly txPps: number;
  /** bit/s */
  readonly rxBps: number;
  readonly txBps: number;
}

export const ZERO_RATE: Rate = Object.freeze({ rxPps: 0, txPps: 0, rxBps: 0, txBps: 0 });

/** Per-second deltas of `cur` over `prev` across `seconds`. A counter that went
 *  backwards (bridge restarted, peer re-learned) reads as 0, never negative. */
export function rateBetween(prev: TrafficCounters, cur: TrafficCounters, seconds: number): Rate {
  if (!(seconds > 0)) return ZERO_RATE;
  const d = (a: number, b: number) => (b >= a ? (b - a) / seconds : 0);
  return {
    rxPps: d(prev.rxPackets, cur.rxPackets),
    txPps: d(prev.txPackets, cur.txPackets),
    rxBps: d(prev.rxBytes, cur.rxBytes) * 8,
    txBps: d(prev.txBytes, cur.txBytes) * 8,
  };
}

export function peerKey(leg: number, address: string): string {
  return `${leg}|${address}`;
}

export interface SnapshotRates {
  /** Seconds between the two snapshots (0 when there is no previous one). */
  readonly seconds: number;
  readonly legs: ReadonlyMap<number, Rate>;
  readonly peers: ReadonlyMap<string, Rate>;
  /** Sum over legs (every frame enters the bridge on one leg and leaves on others). */
  readonly total: Rate;
}

export function computeRates(prev: BridgeSnapshot | null, cur: BridgeSnapshot): SnapshotRates {
  const seconds = prev ? (cur.time - prev.time) / 1000 : 0;
  const legs = new Map<number, Rate>();
  const peers = new Map<string, Rate>();
  let rxPps = 0;
  let txPps = 0;
  let rxBps = 0;
  let txBps = 0;
  const prevLegs = new Map<number, TrafficCounters>();
  const prevPeers = new Map<string, TrafficCounters>();
  if (prev && seconds > 0) {
    for (const l of prev.legs) prevLegs.set(l.id, l);
    for (const p of prev.peers) prevPeers.set(peerKey(p.leg, p.address), p);
  }
  for (const l of cur.legs) {
    const before = prevLegs.get(l.id);
    const r = before ? rateBetween(before, l, seconds) : ZERO_RATE;
    legs.set(l.id, r);
    rxPps += r.rxPps;
    txPps += r.txPps;
    rxBps += r.rxBps;
    txBps += r.txBps;
  }
  for (const p of cur.peers) {
    const k = peerKey(p.leg, p.address);
    const before = prevPeers.get(k);
    peers.set(k, before ? rateBetween(before, p, seconds) : ZERO_RATE);
  }
  return { seconds, legs, peers, total: { rxPps, txPps, rxBps, txBps } };
}
