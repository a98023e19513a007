// The surface the CLI, the Electron main process and the `ubdg ui` host use
// to drive the engine. Implemented by bridge.ts.

import type { LegSpec } from '../model/leg-spec.js';
import type { CapturePort } from './ports/capture-port.js';
import type { SessionCrypto } from './ports/session-crypto-port.js';
import type { FastPathFactory } from './ports/fast-path-port.js';
import type { UdpPort } from './ports/udp-port.js';
import type { BridgeEvent } from '../model/events.js';
import type { BridgeSnapshot } from '../model/snapshot.js';

/** Milliseconds; tests pass a fake. */
export interface Clock {
  now(): number;
}

export interface EnginePorts {
  readonly capture: CapturePort;
  readonly udp: UdpPort;
  readonly clock?: Clock;
  /** The AEAD of secure legs (default: node:crypto). */
  readonly crypto?: SessionCrypto;
  /** The data plane's fast path, one per segment (none: every frame through the engine). */
  readonly fastPath?: FastPathFactory;
}

export interface BridgeOptions {
  /** MAC table ageing, default 300 s like the Linux bridge. */
  readonly macAgeingMs?: number;
  /** Learned VTEP ageing (provider/multicast), default 300 s. */
  readonly peerAgeingMs?: number;
  /** Access-mode keepalive period, default 20 s. */
  readonly keepaliveMs?: number;
  /** Period of the ageing sweep, default 1 s. */
  readonly sweepMs?: number;
  /** UDP socket receive/send buffer of tunnel legs (default: UDP_BUFFER_BYTES). */
  readonly udpBufferBytes?: number;
  /** Kernel capture buffer of NIC legs (default: PCAP_BUFFER_BYTES). */
  readonly pcapBufferBytes?: number;
}

export interface BridgeHandle {
  readonly legs: readonly LegSpec[];
  /** Opens every leg. Resolves when all legs are running or in error (see snapshot). */
  start(): Promise<void>;
  /** Closes every socket and capture handle. Idempotent. */
  stop(): Promise<void>;
  snapshot(): BridgeSnapshot;
  onEvent(listener: (e: BridgeEvent) => void): () => void;
}
