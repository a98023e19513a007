// A BridgeHandle whose bridge runs in a data-plane process (data-plane-main.ts).
// The UI process keeps the latest snapshot the process pushed, so snapshot()
// stays synchronous; events are passed on as they come. If the process dies
// while the bridge should run, onCrash listeners hear it (the bridge runner
// restarts the bridge, see bridge-runner.ts).

import type { BridgeHandle, BridgeOptions } from '../../engine/bridge-api.js';
import { asDataPlaneOutcome, type DataPlaneChoice, type DataPlaneOutcome } from '../../model/data-plane.js';
import type { BridgeEvent } from '../../model/events.js';
import { isEncrypted, type LegSpec } from '../../model/leg-spec.js';
import { formatLeg } from '../../model/leg-grammar.js';
import { zeroDrops, type BridgeSnapshot } from '../../model/snapshot.js';
import type { DataPlaneReport } from './data-plane-report.js';
import { describeExit, type DataPlaneChannel, type DataPlaneLauncher, type FromDataPlane } from './protocol.js';

/** How long a stop waits for the process to close its sockets and captures before it is killed. */
export const DATA_PLANE_STOP_TIMEOUT_MS = 5_000;

export interface ProcessBridgeOptions {
  readonly launch: DataPlaneLauncher;
  readonly engine?: BridgeOptions;
  readonly snapshotIntervalMs: number;
  /** The data plane the process is to run (its 'start' message carries it). */
  readonly dataPlane: DataPlaneChoice;
}

/** A bridge handle that can also report that its process died, and which data plane it runs. */
export interface SupervisedBridgeHandle extends BridgeHandle, DataPlaneReport {
  /** `reason` in plain words ("killed by SIGKILL"). Called at most once. */
  onCrash(listener: (reason: string) => void): () => void;
  readonly pid: number | undefined;
}

/** What the UI shows before the process has sent its first snapshot. */
function placeholderSnapshot(legs: readonly LegSpec[], running: boolean): BridgeSnapshot {
  return {
    time: Date.now(),
    running,
    legs: legs.map((spec, id) => ({
      id,
      leg: formatLeg(spec, { maskKey: true }),
      kind: spec.kind,
      segment: spec.segment,
      state: running ? 'starting' : 'stopped',
      warnings: [],
      drops: zeroDrops(),
      encrypted: isEncrypted(spec),
      rxPackets: 0,
      rxBytes: 0,
      txPackets: 0,
      txBytes: 0,
    })),
    peers: [],
    macs: [],
    peerCount: 0,
    macCount: 0,
  };
}

export function createProcessBridge(legs: readonly LegSpec[], o: ProcessBridgeOptions): SupervisedBridgeHandle {
  const eventListeners = new Set<(e: BridgeEvent) => void>();
  const crashListeners = new Set<(reason: string) => void>();
  let channel: DataPlaneChannel | null = null;
  let latest = placeholderSnapshot(legs, false);
  let dataPlane: DataPlaneOutcome | null = null;
  let exited = false;
  let stopping = false;
  let onExited: (() => void) | null = null;
  let onStarted: ((error: string | null) => void) | null = null;

  function onMessage(m: FromDataPlane): void {
    switch (m.type) {
      case 'started':
        latest = m.snapshot;
        dataPlane = asDataPlaneOutcome(m.dataPlane);
        onStarted?.(null);
        break;
      case 'start-failed':
        onStarted?.(m.error);
        break;
      case 'snapshot':
      case 'stopped':
        latest = m.snapshot;
        break;
      case 'event':
        for (const l of eventListeners) l(m.event);
        break;
    }
  }

  function stoppedSnapshot(): BridgeSnapshot {
    return { ...latest, time: Date.now(), running: false, legs: latest.legs.map((l) => (l.state === 'error' ? l : { ...l, state: 'stopped' as const })) };
  }

  function onExit(code: number | null, signal: string | null): void {
    exited = true;
    const why = describeExit(code, signal);
    onStarted?.(`the data-plane process ${why} while starting`);
    onExited?.();
    if (!stopping) {
      latest = stoppedSnapshot();
      for (const l of crashListeners) l(why);
    }
  }

  return {
    legs,
    get pid() {
      return channel?.pid;
    },

    start() {
      if (channel !== null) return Promise.resolve();
      latest = placeholderSnapshot(legs, true);
      const c = o.launch();
      channel = c;
      c.onMessage(onMessage);
      c.onExit(onExit);
      return new Promise<void>((resolve, reject) => {
        onStarted = (error) => {
          onStarted = null;
          if (error === null) resolve();
          else reject(new Error(error));
        };
        c.send({ type: 'start', legs, options: o.engine ?? {}, snapshotIntervalMs: o.snapshotIntervalMs, dataPlane: o.dataPlane });
      });
    },

    stop() {
      const c = channel;
      if (c === null || exited) {
        stopping = true;
        return Promise.resolve();
      }
      if (stopping) return new Promise<void>((resolve) => (onExited = chain(onExited, resolve)));
      stopping = true;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => c.kill(), DATA_PLANE_STOP_TIMEOUT_MS);
        onExited = () => {
          clearTimeout(timer);
          latest = stoppedSnapshot();
          resolve();
        };
        c.send({ type: 'stop' });
      });
    },

    snapshot: () => latest,

    dataPlane: () => dataPlane,

    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },

    onCrash(listener) {
      crashListeners.add(listener);
      return () => crashListeners.delete(listener);
    },
  };
}

function chain(a: (() => void) | null, b: () => void): () => void {
  return () => {
    a?.();
    b();
  };
}
