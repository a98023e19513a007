// Test doubles for the backend: a fake BridgeHandle.
// Used by backend, browser-host and ui-command tests (the real engine is not needed).

import type { BridgeHandle } from '../engine/bridge-api.js';
import type { BridgeEvent } from '../model/events.js';
import type { LegSpec } from '../model/leg-spec.js';
import { zeroDrops, type BridgeSnapshot, type LegState } from '../model/snapshot.js';

export interface FakeBridge extends BridgeHandle {
  readonly calls: string[];
  emit(e: BridgeEvent): void;
  snapshots: number;
}

export interface FakeBridgeOptions {
  /** State each leg reaches on start (default 'running'). */
  readonly legState?: (leg: LegSpec, index: number) => LegState;
  readonly startError?: Error;
  readonly startDelayMs?: number;
}

export function createFakeBridge(legs: readonly LegSpec[], opts: FakeBridgeOptions = {}): FakeBridge {
  const listeners = new Set<(e: BridgeEvent) => void>();
  let states: LegState[] = legs.map(() => 'starting');
  let runningFlag = false;
  const fb: FakeBridge = {
    legs,
    calls: [],
    snapshots: 0,
    async start() {
      fb.calls.push('start');
      if (opts.startDelayMs) await new Promise((r) => setTimeout(r, opts.startDelayMs));
      if (opts.startError) throw opts.startError;
      states = legs.map((l, i) => opts.legState?.(l, i) ?? 'running');
      runningFlag = true;
    },
    async stop() {
      fb.calls.push('stop');
      states = legs.map(() => 'stopped');
      runningFlag = false;
    },
    snapshot(): BridgeSnapshot {
      fb.snapshots++;
      return {
        time: Date.now(),
        running: runningFlag,
        legs: legs.map((l, i) => ({
          id: i,
          leg: `${l.segment}#${l.kind}:E`,
          kind: l.kind,
          segment: l.segment,
          state: states[i] ?? 'stopped',
          ...(states[i] === 'error' ? { error: 'fake failure' } : {}),
          warnings: [],
          drops: zeroDrops(),
          encrypted: false,
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
    },
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit(e) {
      for (const l of listeners) l(e);
    },
  };
  return fb;
}

/** A backend's createBridge that makes fake bridges and hands each to `made` (a test keeps them). */
export function fakeBridgeFactory(made: (fb: FakeBridge) => void, opts: () => FakeBridgeOptions = () => ({})): (legs: readonly LegSpec[]) => FakeBridge {
  return (legs) => {
    const fb = createFakeBridge(legs, opts());
    made(fb);
    return fb;
  };
}
