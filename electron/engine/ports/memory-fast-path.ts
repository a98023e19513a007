// In-memory twin of a FastPath: forwards nothing, keeps what the engine
// mirrored (MAC places, peer sets, attached legs) for tests to read, and hands
// back counters a test says the fast path counted.
import type { FastPath, FastPathEncap, FastPathPeer, FastPathSink } from './fast-path-port.js';

export class MemoryFastPath implements FastPath {
  readonly adapters = new Set<number>();
  readonly tunnels = new Map<number, FastPathEncap>();
  readonly peers = new Map<number, readonly FastPathPeer[]>();
  readonly macs = new Map<number, { leg: number; peer: number }>();
  /** What the next take() reports, as if forwarded below the engine. */
  pending: { legs: [number, number, number, number, number][]; peers: [number, number, number, number, number, number, boolean][]; macs: number[] } = {
    legs: [],
    peers: [],
    macs: [],
  };

  attachAdapter(leg: number): boolean {
    this.adapters.add(leg);
    return true;
  }

  attachTunnel(leg: number, _socket: unknown, encap: FastPathEncap): boolean {
    this.tunnels.set(leg, encap);
    return true;
  }

  detach(leg: number): void {
    this.adapters.delete(leg);
    this.tunnels.delete(leg);
    this.peers.delete(leg);
    for (const [mac, m] of this.macs) if (m.leg === leg) this.macs.delete(mac);
  }

  setPeers(leg: number, peers: readonly FastPathPeer[]): void {
    this.peers.set(leg, [...peers]);
  }

  setMac(mac: number, leg: number, peer: number): void {
    this.macs.set(mac, { leg, peer });
  }

  deleteMac(mac: number): void {
    this.macs.delete(mac);
  }

  take(sink: FastPathSink): void {
    const p = this.pending;
    this.pending = { legs: [], peers: [], macs: [] };
    for (const l of p.legs) sink.legTraffic(...l);
    for (const x of p.peers) sink.peerTraffic(...x);
    for (const m of p.macs) sink.macSeen(m);
  }
}
