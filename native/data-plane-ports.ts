// The engine's ports for the chosen data plane: native (Linux) or JavaScript.
// `auto` takes the native one where it loads and says why not otherwise.
import { createNodeUdpPort } from '../electron/engine/ports/node-udp.js';
import type { CapturePort } from '../electron/engine/ports/capture-port.js';
import type { UdpPort } from '../electron/engine/ports/udp-port.js';
import type { SessionCrypto } from '../electron/engine/ports/session-crypto-port.js';
import type { FastPathFactory } from '../electron/engine/ports/fast-path-port.js';
import { NATIVE_CODEL_INTERVAL_US, NATIVE_CODEL_TARGET_US, NATIVE_SPIN_US } from '../electron/model/defaults.js';
import type { DataPlaneChoice, DataPlaneKind } from '../electron/model/data-plane.js';
import { FixableError } from '../electron/model/user-error.js';
import { createAfPacketCapturePort } from './af-packet-capture.js';
import { loadDataPlaneModule, type NativeLoop } from './dataplane-module.js';
import { nativeFastPath } from './native-fast-path.js';
import { nativeSessionCrypto } from './native-session-crypto.js';
import { createNativeUdpPort } from './native-udp.js';
import { createPcapCapturePort } from './pcap-capture.js';

export interface DataPlanePorts {
  readonly kind: DataPlaneKind;
  readonly capture: CapturePort;
  readonly udp: UdpPort;
  /** Absent: node:crypto. */
  readonly crypto?: SessionCrypto;
  /** Absent: every frame through the engine. */
  readonly fastPath?: FastPathFactory;
  /** Why `auto` chose JavaScript; undefined when it chose native or was told which. */
  readonly fallback?: string;
}

/** The engine's ports of a data plane (`capture` replaces its capture port, e.g. one that opens nothing). */
export function enginePorts(p: DataPlanePorts, capture: CapturePort = p.capture): Pick<DataPlanePorts, 'capture' | 'udp' | 'crypto' | 'fastPath'> {
  return { capture, udp: p.udp, ...(p.crypto !== undefined ? { crypto: p.crypto } : {}), ...(p.fastPath !== undefined ? { fastPath: p.fastPath } : {}) };
}

let sharedLoop: NativeLoop | undefined;

/** Throws a FixableError when `native` is asked for and cannot load. */
export function createDataPlanePorts(choice: DataPlaneChoice, env: NodeJS.ProcessEnv = process.env): DataPlanePorts {
  const pcap = createPcapCapturePort();
  if (choice === 'js') return { kind: 'js', capture: pcap, udp: createNodeUdpPort() };
  const loaded = loadDataPlaneModule();
  if (!('module' in loaded)) {
    if (choice === 'native') throw new FixableError(loaded.problem, 'use --data-plane js (the portable data plane), or build the native one: node build/scripts/build-native.js');
    return { kind: 'js', capture: pcap, udp: createNodeUdpPort(), fallback: loaded.problem };
  }
  const m = loaded.module;
  // One loop per process: its spin covers every socket, so a reply on another leg is caught too.
  sharedLoop ??= new m.Loop(
    microseconds(env, 'VXB_SPIN_US', NATIVE_SPIN_US, 1000),
    microseconds(env, 'VXB_CODEL_TARGET_US', NATIVE_CODEL_TARGET_US, 1_000_000),
    microseconds(env, 'VXB_CODEL_INTERVAL_US', NATIVE_CODEL_INTERVAL_US, 10_000_000),
    env.VXB_DATA_THREAD !== '0', // 0: on Node's thread (for comparison)
    env.VXB_REALTIME !== '0', // 0: the data thread scheduled like any other
  );
  const loop = sharedLoop;
  return {
    kind: 'native',
    capture: createAfPacketCapturePort(m, loop, () => pcap.listNics()),
    udp: createNativeUdpPort(m, loop),
    crypto: nativeSessionCrypto(m),
    ...(env.VXB_FAST_PATH === '0' ? {} : { fastPath: nativeFastPath(m) }),
  };
}

/** A tuning knob from the environment (whole µs, 0..max), for measurements; else the default. */
function microseconds(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  const v = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(v) && v >= 0 && v <= max ? v : fallback;
}
