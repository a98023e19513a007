// A data plane's fast path (native/native-fast-path.ts; none in the JavaScript
// data plane): frames between an adapter and a tunnel peer that the switch
// already knows are forwarded below the engine. The engine stays the switch:
// it mirrors each MAC's place and each tunnel leg's peers here, and takes back
// what the fast path counted (traffic, peers and MACs it saw). Keyed legs take
// part with the engine's own session crypto (session-crypto-port.ts): the
// leg's Sealer, and for each peer the Opener of the session it confirmed.
import type { CaptureHandle } from './capture-port.js';
import type { Opener, Sealer } from './session-crypto-port.js';
import type { UdpSocketHandle } from './udp-port.js';

/** How a tunnel leg's frames travel: raw Ethernet-over-UDP, VXLAN of a VNI, or sealed in a keyed leg's session. */
export interface FastPathEncap {
  readonly raw: boolean;
  readonly vni: number;
  /** Keyed legs: seals the leg's frames (with the counter the engine uses too). */
  readonly sealer?: Sealer;
}

export interface FastPathPeer {
  /** The engine's key of the peer (PeerRef.key). */
  readonly key: number;
  /** Where its frames go. */
  readonly address: string;
  readonly port: number;
  /** Frames from this source port only; 0: from any port of `address`. */
  readonly matchPort: number;
  /** Keyed legs: the peer's confirmed session (its frames are opened with it and its window); none: they go to the engine. */
  readonly opener?: Opener;
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
  /** A tunnel leg; false if the fast path cannot drive it (another socket or session crypto). */
  attachTunnel(leg: number, socket: UdpSocketHandle, encap: FastPathEncap): boolean;
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
