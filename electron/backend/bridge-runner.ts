// The one bridge the app runs, as a small state machine:
//
//   idle ──start──► starting ──all legs up or some in error──► running ──stop──► idle
//                      │  └─every leg in error / start threw─────────────────────► idle
//                      └─stop (cancels: the start sees it and stops the bridge)──► idle
//
// Starts and stops run one at a time (serial); a stop that arrives while
// adapters are being resolved or legs are opening cancels that start. While a
// bridge runs, a snapshot is pushed every tick and the engine's events are
// passed on as they come.
//
// Supervision: when the bridge runs in a data-plane process that dies
// (process-bridge.ts), the same legs are started again after a short pause,
// at most MAX_RESTARTS_IN_A_ROW times in a row; then the bridge stays stopped
// and the UI asks the user. Each step is a 'data-plane' event in plain words.

import type { BridgeHandle } from '../engine/bridge-api.js';
import type { Result } from '../contract/ipc-contract.js';
import type { DataPlaneChoice, DataPlaneOutcome } from '../model/data-plane.js';
import type { BridgeEvent, DataPlaneState } from '../model/events.js';
import type { LegSpec } from '../model/leg-spec.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import { errorText } from '../model/user-error.js';
import { createSerial } from './serial.js';
import { reportsDataPlane } from './data-plane/data-plane-report.js';

export type NicResolution = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly error: string };

/** How one Start builds its bridge; a restart after a crash builds it the same way. */
export interface BridgeBuildOptions {
  /** Chosen when Start was pressed (VXB_DATA_PLANE, else the app's setting). */
  readonly dataPlane: DataPlaneChoice;
}

export interface BridgeRunnerDeps {
  /** Builds (does not start) a bridge; the engine's createBridge with real or fake ports. */
  readonly createBridge: (legs: readonly LegSpec[], options: BridgeBuildOptions) => BridgeHandle;
  /** What the user typed for a W leg (name, description, index) → the adapter name pcap opens. */
  readonly resolveNic?: (query: string) => Promise<NicResolution>;
  /** Snapshot push period, ms. */
  readonly periodMs: number;
  /** False while nobody listens: the periodic snapshot is then not even taken. */
  readonly listening: () => boolean;
  readonly onSnapshot: (s: BridgeSnapshot) => void;
  readonly onEvent: (e: BridgeEvent) => void;
  readonly log: (line: string) => void;
}

export interface BridgeRunner {
  /** `options` default: the automatic data plane. */
  start(specs: readonly LegSpec[], options?: BridgeBuildOptions): Promise<Result<BridgeSnapshot>>;
  /** Stops the running bridge, or cancels a start in progress. */
  stop(): Promise<void>;
  /** The running bridge's snapshot, or null. */
  status(): BridgeSnapshot | null;
  /** Which data plane runs the bridge, when it runs and can tell (data-plane-report.ts). */
  dataPlane(): DataPlaneOutcome | null;
  /** Pushes a snapshot now (e.g. to a new subscriber), if a bridge runs. */
  tick(): void;
  /** Stops for good: later starts fail. */
  dispose(): Promise<void>;
}

/** How long resolving an adapter name (listing adapters) may take. */
export const RESOLVE_NIC_TIMEOUT_MS = 10_000;
/** Crashes of the data plane that are restarted before the bridge stays stopped. */
export const MAX_RESTARTS_IN_A_ROW = 3;
/** A bridge that ran this long since its last (re)start was healthy: its next crash starts a new row. */
export const HEALTHY_AFTER_MS = 60_000;
/** Pause before a restart, times the attempt number: a crash at start does not spin. */
export const RESTART_DELAY_MS = 500;

/** A handle whose bridge runs in another process, which may die (process-bridge.ts). */
interface Crashable {
  onCrash(listener: (reason: string) => void): () => void;
}
const isCrashable = (h: BridgeHandle): h is BridgeHandle & Crashable => typeof (h as Partial<Crashable>).onCrash === 'function';

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

const ALREADY_RUNNING = 'A bridge is already running: stop it first.';
const STOPPED_WHILE_STARTING = 'The bridge was stopped before it finished starting.';

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

interface Running {
  readonly handle: BridgeHandle;
  readonly unsubscribe: () => void;
  readonly ticker: ReturnType<typeof setInterval>;
  /** The legs as started (adapters resolved) and how they were built, for a restart. */
  readonly specs: readonly LegSpec[];
  readonly options: BridgeBuildOptions;
}

const AUTO: BridgeBuildOptions = { dataPlane: 'auto' };

export function createBridgeRunner(deps: BridgeRunnerDeps): BridgeRunner {
  const serial = createSerial();
  let running: Running | null = null;
  let starting = false;
  let disposed = false;
  /** Bumped by every stop/dispose: a start that began under an older value was cancelled. */
  let stopGeneration = 0;
  /** Crashes since the bridge last ran healthy, and when it last (re)started. */
  let crashesInARow = 0;
  let startedAt = 0;

  function notice(state: DataPlaneState, message: string): void {
    deps.onEvent({ type: 'data-plane', state, message });
    deps.log(`data plane: ${message}`);
  }

  /** The data-plane process of `r` died: start the same legs again, or give up. */
  function onCrash(r: Running, reason: string): void {
    if (running !== r) return;
    if (Date.now() - startedAt >= HEALTHY_AFTER_MS) crashesInARow = 0;
    crashesInARow++;
    const what = `The bridge's data-plane process stopped unexpectedly (${reason}).`;
    if (crashesInARow > MAX_RESTARTS_IN_A_ROW) {
      notice('gave-up', `${what} It failed ${MAX_RESTARTS_IN_A_ROW + 1} times in a row, so the bridge stays stopped: check the legs and the log, then press Start to try again.`);
      void serial(async () => {
        if (running === r) await stopRunning();
      });
      return;
    }
    const attempt = crashesInARow;
    notice('crashed', `${what} Starting it again with the same legs (attempt ${attempt} of ${MAX_RESTARTS_IN_A_ROW})…`);
    const generation = stopGeneration;
    setTimeout(() => {
      void serial(async () => {
        if (generation !== stopGeneration || running !== r) return; // stopped by the user meanwhile
        await stopRunning();
        const result = await startResolved(r.specs, r.options, () => generation !== stopGeneration);
        if (result.ok) notice('restarted', `The bridge is running again (restart ${attempt} of ${MAX_RESTARTS_IN_A_ROW} after: ${reason}).`);
        else notice('gave-up', `${what} Starting it again failed, so the bridge stays stopped: ${result.error}`);
      });
    }, RESTART_DELAY_MS * attempt);
  }

  function tick(): void {
    if (!running || !deps.listening()) return;
    try {
      deps.onSnapshot(running.handle.snapshot());
    } catch (err) {
      deps.log(`snapshot failed: ${errorText(err)}`);
    }
  }

  async function stopRunning(): Promise<void> {
    const r = running;
    if (!r) return;
    running = null;
    clearInterval(r.ticker);
    try {
      await r.handle.stop();
    } catch (err) {
      deps.log(`bridge stop failed: ${errorText(err)}`);
    }
    r.unsubscribe();
    try {
      deps.onSnapshot(r.handle.snapshot());
    } catch (err) {
      deps.log(`final snapshot failed: ${errorText(err)}`);
    }
  }

  /** W legs: adapter as typed → adapter name. */
  async function resolveNics(specs: readonly LegSpec[]): Promise<Result<readonly LegSpec[]>> {
    const resolve = deps.resolveNic;
    if (!resolve || !specs.some((s) => s.kind === 'W')) return ok(specs);
    const out: LegSpec[] = [];
    for (const [i, s] of specs.entries()) {
      if (s.kind !== 'W' || s.nic === undefined) {
        out.push(s);
        continue;
      }
      let r: NicResolution;
      try {
        r = await withTimeout(resolve(s.nic), RESOLVE_NIC_TIMEOUT_MS, 'Listing network adapters');
      } catch (err) {
        return fail(`legs[${i}]: ${errorText(err)}`);
      }
      if (!r.ok) return fail(`legs[${i}]: ${r.error}`);
      out.push({ ...s, nic: r.name });
    }
    return ok(out);
  }

  /** Under the serial lock: build, start and check the bridge. */
  async function startResolved(specs: readonly LegSpec[], options: BridgeBuildOptions, cancelled: () => boolean): Promise<Result<BridgeSnapshot>> {
    if (disposed) return fail('The app is shutting down.');
    if (cancelled()) return fail(STOPPED_WHILE_STARTING);
    if (running) return fail(ALREADY_RUNNING);
    let handle: BridgeHandle;
    try {
      handle = deps.createBridge(specs, options);
    } catch (err) {
      return fail(`Cannot create the bridge: ${errorText(err)}`);
    }
    const unsubscribe = handle.onEvent(deps.onEvent);
    const r: Running = { handle, unsubscribe, ticker: setInterval(tick, deps.periodMs), specs, options };
    running = r;
    try {
      await handle.start();
    } catch (err) {
      await stopRunning();
      return fail(`Cannot start the bridge: ${errorText(err)}`);
    }
    if (cancelled()) {
      // A stop arrived while the bridge was starting: it waits for us, so stop here.
      await stopRunning();
      return fail(STOPPED_WHILE_STARTING);
    }
    const snap = handle.snapshot();
    if (snap.legs.length > 0 && snap.legs.every((l) => l.state === 'error')) {
      await stopRunning();
      const why = snap.legs.map((l) => `leg ${l.id + 1} (${l.leg}): ${l.error ?? 'failed'}`).join('\n');
      return fail(`No leg could start:\n${why}`);
    }
    startedAt = Date.now();
    if (isCrashable(handle)) handle.onCrash((reason) => onCrash(r, reason));
    tick();
    return ok(snap);
  }

  return {
    async start(specs, options = AUTO) {
      if (running || starting) return fail(ALREADY_RUNNING);
      starting = true;
      crashesInARow = 0;
      const generation = stopGeneration;
      const cancelled = (): boolean => generation !== stopGeneration;
      try {
        const resolved = await resolveNics(specs);
        if (!resolved.ok) return resolved;
        return await serial(() => startResolved(resolved.value, options, cancelled));
      } finally {
        starting = false;
      }
    },

    stop() {
      stopGeneration++; // cancels a start still resolving adapters or starting
      return serial(stopRunning);
    },

    status: () => (running ? running.handle.snapshot() : null),

    dataPlane: () => (running && reportsDataPlane(running.handle) ? running.handle.dataPlane() : null),

    tick,

    async dispose() {
      disposed = true;
      stopGeneration++;
      await serial(stopRunning);
    },
  };
}
