// Loads vxbridge's native data plane module (native/dataplane, Linux only) on
// first use. Where it does not load (another OS, not built, an ABI problem)
// the reason is kept, so that `--data-plane native` can say why and `auto`
// can fall back to the portable JavaScript data plane.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Opener, Sealer } from '../electron/engine/ports/session-crypto-port.js';

/** The channels' shared loop (spin and CoDel settings): only handed back to the module. */
export interface NativeLoop {
  readonly __nativeLoop?: never;
}

export interface NativeUdpChannel {
  start(loop: NativeLoop, arena: Buffer, desc: Int32Array, onBatch: (count: number) => void): boolean;
  send(buf: Buffer, offset: number, length: number, address: number, port: number): void;
  local(): [number, number];
  bufferSizes(): [number, number];
  /** Datagrams the kernel refused so far, the last reason, datagrams dropped for waiting too long. */
  failures(): [number, string, number];
  multicast(op: 0 | 1 | 2 | 3, a: number, b?: number): void;
  close(): void;
}

export interface NativePacketChannel {
  start(loop: NativeLoop, arena: Buffer, desc: Int32Array, onBatch: (count: number) => void): void;
  inject(buf: Buffer, offset: number, length: number): boolean;
  stats(): { split: number; checksummed: number; dropped: number; stale: number; injectFailures: number; lastError: string };
  close(): void;
}

/** A keyed leg's sending session (key, VNI, session id, counter): a Sealer of the engine's port. */
export type NativeSealer = Sealer & { readonly __nativeSealer?: never };
/** A remote session (key, id, replay window): an Opener of the engine's port. */
export type NativeOpener = Opener & { readonly __nativeOpener?: never };

export interface NativeSegment {
  attachAdapter(leg: number, channel: NativePacketChannel): void;
  /** `sealer`: a keyed leg's (its frames are sealed, its peers' opened with their Openers). */
  attachTunnel(leg: number, channel: NativeUdpChannel, raw: boolean, vni: number, sealer?: NativeSealer): void;
  detach(leg: number): void;
  /** [key, address, sendPort, matchPort] per peer (matchPort 0: any source port of the address);
   *  a keyed leg's peer i opens its frames with openers[i] (none: they go to the engine). */
  setPeers(leg: number, peers: Float64Array, openers?: readonly (NativeOpener | undefined)[]): void;
  setMac(mac: number, leg: number, peer: number): void;
  deleteMac(mac: number): void;
  clearMacs(): void;
  /** legs: [leg, rxP, rxB, txP, txB]*, peers: [key, leg, rxP, rxB, txP, txB, seen]*, macs: [mac]* since the last take. */
  take(): { legs: Float64Array; peers: Float64Array; macs: Float64Array };
}

export interface DataPlaneModule {
  /** `threaded`: the sockets and the fast path run on a thread of their own (else on Node's, as uv_poll handles);
   *  `realtime`: that thread is real-time scheduled where it may (native/dataplane/src/realtime.h). */
  readonly Loop: new (spinUs: number, codelTargetUs: number, codelIntervalUs: number, threaded: boolean, realtime?: boolean) => NativeLoop;
  readonly UdpChannel: new (address: number, port: number, reuseAddr: boolean, recvBufBytes: number, sendBufBytes: number) => NativeUdpChannel;
  readonly PacketChannel: new (ifname: string, recvBufBytes: number) => NativePacketChannel;
  readonly Sealer: new (key: Buffer, vni: number, session: bigint, firstCounter: bigint) => NativeSealer;
  readonly Opener: new (key: Buffer, session: bigint) => NativeOpener;
  readonly Segment: new () => NativeSegment;
  /** Test hook: the offload path alone (virtio-net header, frame) → wire frames, or why not. */
  readonly toWireFrames: (vnetHeader: Buffer, frame: Buffer) => Buffer[] | string;
  readonly abiVersion: number;
}

/** What this file expects of the module; a stale build with another number is not used. */
const ABI_VERSION = 5;
const FILE = 'vxb_dataplane.node';

let cached: { module: DataPlaneModule } | { problem: string } | undefined;

/** Where the module may sit: beside this file (native/ of a checkout), or in native/
 *  of the package that holds the compiled copy of this file (dist/, a test's build). */
function candidates(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  const out = [join(dir, 'dataplane', 'build', 'Release', FILE)];
  for (let i = 0; i < 8; i++) {
    out.push(join(dir, 'native', 'dataplane', 'build', 'Release', FILE));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** The native module, or why it cannot be used on this machine. */
export function loadDataPlaneModule(): { module: DataPlaneModule } | { problem: string } {
  if (cached !== undefined) return cached;
  cached = load();
  return cached;
}

function load(): { module: DataPlaneModule } | { problem: string } {
  if (process.platform !== 'linux') return { problem: `the native data plane is for Linux (this is ${process.platform})` };
  const path = candidates().find((p) => existsSync(p));
  if (path === undefined) return { problem: 'the native data plane is not built (run npm ci, or node build/scripts/build-native.js)' };
  try {
    const m = createRequire(import.meta.url)(path) as DataPlaneModule;
    if (m.abiVersion !== ABI_VERSION) return { problem: `the native data plane at ${path} is a stale build (rebuild: node build/scripts/build-native.js)` };
    return { module: m };
  } catch (err) {
    return { problem: `the native data plane did not load: ${err instanceof Error ? err.message : String(err)}` };
  }
}
