// A data plane's fast path (native/native-fast-path.ts; none in the JavaScript
// data plane): frames between an adapter and a tunnel peer that the switch
// already knows are forwarded below the engine. The engine stays the switch:
// it mirrors each MAC's place and each plain tunnel leg's peers here, and
// takes back what the fast path counted (traffic, peers and MACs it saw).
import type { CaptureHandle } from './capture-port.js';
import type { UdpSocketHandle } from './udp-port.js';

export interface FastPathPeer {
  /** The engine's key of the peer (PeerRef.key). */
  readonly key: number;
  /** Where its frames go. */
  readonly address: string;
  readonly port: number;
  /** Frames from this source port only; 0: from any port of `address`. */
  readonly matchPort: number;
}

/** What the fast path did since the last take(). */
export interface FastPathSink {
  legTraffic(leg: number, rxPackets: number, rxBytes: number, txPackets: number, txBytes: number): void;
  peerTraffic(leg: number, peer: number, rxPackets: number, rxBytes: number, txPackets: number, txBytes: number, seen: boolean): void;
  macSeen(mac: number): void;
}

export interface FastPath {
  /** False if the handle is not one this fast path can drive (then the leg stays on the engine's path). */
  attachAdapter(leg: number, handle: CaptureHandle): boolean;
  /** A plain tunnel leg: VXLAN with `vni`, or raw Ethernet-over-UDP. */
  attachTunnel(leg: number, socket: UdpSocketHandle, encap: { readonly raw: boolean; readonly vni: number }): boolean;
  detach(leg: number): void;
  /** The leg's whole peer set (replaces the last one). */
  setPeers(leg: number, peers: readonly FastPathPeer[]): void;
  /** `peer` -1: a MAC on an adapter leg. */
  setMac(mac: number, leg: number, peer: number): void;
  deleteMac(mac: number): void;
  take(sink: FastPathSink): void;
}

/** One fast path per segment. */
export type FastPathFactory = () => FastPath;
