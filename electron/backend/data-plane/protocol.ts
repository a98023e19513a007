// The typed channel between the process that shows the UI and the data-plane
// process that runs the bridge (one file for both directions). Messages are
// structured-clone/JSON-safe: leg specs, snapshots and events are plain data.

import type { BridgeOptions } from '../../engine/bridge-api.js';
import { DATA_PLANE_CHOICES, isDataPlaneChoice, type DataPlaneChoice, type DataPlaneOutcome } from '../../model/data-plane.js';
import type { BridgeEvent } from '../../model/events.js';
import type { LegSpec } from '../../model/leg-spec.js';
import type { BridgeSnapshot } from '../../model/snapshot.js';

/** UI process → data plane. */
export type ToDataPlane =
  /** Build and start a bridge on `dataPlane` (chosen by the UI process: VXB_DATA_PLANE, else the app's
   *  setting); answered by 'started' or 'start-failed'. Sent once per process. */
  | {
      readonly type: 'start';
      readonly legs: readonly LegSpec[];
      readonly options: BridgeOptions;
      readonly snapshotIntervalMs: number;
      readonly dataPlane: DataPlaneChoice;
    }
  /** Stop the bridge and exit; answered by 'stopped'. */
  | { readonly type: 'stop' };

/** Data plane → UI process. */
export type FromDataPlane =
  /** `dataPlane`: which one runs, and why `auto` fell back to JavaScript. */
  | { readonly type: 'started'; readonly snapshot: BridgeSnapshot; readonly dataPlane: DataPlaneOutcome }
  | { readonly type: 'start-failed'; readonly error: string }
  /** Sent every snapshotIntervalMs while the bridge runs. */
  | { readonly type: 'snapshot'; readonly snapshot: BridgeSnapshot }
  | { readonly type: 'event'; readonly event: BridgeEvent }
  | { readonly type: 'stopped'; readonly snapshot: BridgeSnapshot };

/** How the UI process sees one data-plane process (a Node child process under
 *  `ubdg ui`, Electron's utilityProcess in the app). */
export interface DataPlaneChannel {
  readonly pid: number | undefined;
  send(message: ToDataPlane): void;
  onMessage(listener: (message: FromDataPlane) => void): void;
  /** Called once when the process is gone: its exit code, or the signal that killed it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

/** Starts a data-plane process; each bridge start gets a fresh one. */
export type DataPlaneLauncher = () => DataPlaneChannel;

const TO_TYPES: ReadonlySet<string> = new Set<ToDataPlane['type']>(['start', 'stop']);
const FROM_TYPES: ReadonlySet<string> = new Set<FromDataPlane['type']>(['started', 'start-failed', 'snapshot', 'event', 'stopped']);

/** A message from the parent, or null for anything else (the channel carries nothing else, but a bug must not crash the bridge). */
export function asToDataPlane(m: unknown): ToDataPlane | null {
  return typeof m === 'object' && m !== null && TO_TYPES.has((m as { type?: unknown }).type as string) ? (m as ToDataPlane) : null;
}

/** The data plane a 'start' asks for, checked (the process answers a bad one with 'start-failed', never guesses). */
export function startDataPlane(m: { readonly dataPlane?: unknown }): { readonly ok: true; readonly value: DataPlaneChoice } | { readonly ok: false; readonly error: string } {
  const v = m.dataPlane;
  if (isDataPlaneChoice(v)) return { ok: true, value: v };
  return {
    ok: false,
    error: `the data-plane process was asked for data plane ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v)}, not one of ${DATA_PLANE_CHOICES.join(', ')}`,
  };
}

export function asFromDataPlane(m: unknown): FromDataPlane | null {
  return typeof m === 'object' && m !== null && FROM_TYPES.has((m as { type?: unknown }).type as string) ? (m as FromDataPlane) : null;
}

/** "killed by SIGKILL", "exited with code 3", in plain words for the UI. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal !== null) return `killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' ? ' (a crash)' : ''}`;
  return `exited with code ${code ?? 'unknown'}`;
}
