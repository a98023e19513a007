// The handler layer behind every IPC channel, shared by the Electron main
// process (ipcMain.handle) and the `ubdg ui` browser host (WebSocket).
// Every handler takes untrusted `unknown` arguments, validates them and
// answers with a Result: bad input gets an error, never an exception.
// It owns the one running bridge and pushes one snapshot per tick (~4 Hz)
// plus the engine's events to subscribers.

import type { BridgeEvent, BridgeHandle } from '../engine/bridge-api.js';
import type { LegSpec } from '../model/leg-spec.js';
import { CaptureError, type NicInfo } from '../engine/ports/capture-port.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import {
  INVOKE_CHANNELS,
  type AppInfo,
  type InvokeChannel,
  type InvokeResult,
  type PushChannel,
  type PushChannels,
  type Result,
} from '../contract/ipc-contract.js';
import { PROFILE_FILE_MAX_BYTES, describe, maskLegKey, validateLegList } from '../model/profile-schema.js';
import { ProfileError, type ProfileStore } from './profiles/profile-store.js';

/** Leg grammar, normalized: the error is already a user-facing sentence. */
export type LegParser = (text: string) => { readonly ok: true; readonly spec: LegSpec } | { readonly ok: false; readonly error: string };

/** Native file dialogs (Electron only; the browser host has none). */
export interface FileDialogs {
  /** Asks where to save, writes `json` there; the chosen path, or null if cancelled. */
  exportProfile(suggestedFileName: string, json: string): Promise<string | null>;
  /** Asks for a file and reads it (size-limited); its text, or null if cancelled. */
  importProfile(): Promise<string | null>;
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface BackendDeps {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly platform?: string;
  readonly profiles: ProfileStore;
  readonly parseLeg: LegParser;
  /** Builds (does not start) a bridge; the engine's createBridge with real or fake ports. */
  readonly createBridge: (legs: readonly LegSpec[]) => BridgeHandle;
  readonly listNics: () => Promise<readonly NicInfo[]>;
  /** Turns what the user typed for a W leg (name, description, index) into the
   *  adapter name pcap opens. Default: taken as is. */
  readonly resolveNic?: (query: string) => Promise<{ readonly ok: true; readonly name: string } | { readonly ok: false; readonly error: string }>;
  /** What keeps capture from working (no Npcap, no permission), or undefined. */
  readonly captureProblem?: () => Promise<string | undefined>;
  readonly dialogs?: FileDialogs;
  /** Snapshot push period; default 250 ms (4 Hz). */
  readonly snapshotIntervalMs?: number;
  readonly timers?: Timers;
  readonly log?: (line: string) => void;
}

export type Handler<C extends InvokeChannel> = (...args: readonly unknown[]) => Promise<Result<InvokeResult<C>>>;
export type Handlers = { readonly [C in InvokeChannel]: Handler<C> };

export type PushMessage = { [P in PushChannel]: { readonly channel: P; readonly payload: PushChannels[P] } }[PushChannel];
export type PushListener = (message: PushMessage) => void;

export interface Backend {
  readonly handlers: Handlers;
  /** Dispatches an untrusted request by channel name. Never throws. */
  invoke(channel: unknown, args: unknown): Promise<Result<unknown>>;
  /** Snapshots (~4 Hz while a bridge runs, plus one when it stops) and engine events. */
  subscribe(listener: PushListener): () => void;
  /** Starts the last used profile if it is flagged autoStart; null if there is none. */
  autoStart(): Promise<{ readonly profile: string; readonly result: Result<BridgeSnapshot> } | null>;
  /** Stops the bridge and the snapshot timer. Idempotent. */
  dispose(): Promise<void>;
}

export const DEFAULT_SNAPSHOT_INTERVAL_MS = 250;
const LIST_NICS_TIMEOUT_MS = 10_000;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

function messageOf(err: unknown): string {
  if (err instanceof CaptureError) return `${err.message} ${err.fix}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(c);
}

/** Argument count and types, checked before any work. */
function arity(args: readonly unknown[], n: number): string | undefined {
  return args.length === n ? undefined : `expected ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`;
}

function nameArg(v: unknown, field: string): string | undefined {
  if (typeof v !== 'string') return `${field}: expected a string, got ${describe(v)}`;
  if (v.length === 0 || v.length > 256) return `${field}: expected 1 to 256 characters`;
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
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
  ticker: unknown;
}

export function createBackend(deps: BackendDeps): Backend {
  const timers: Timers = deps.timers ?? {
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  };
  const log = deps.log ?? (() => undefined);
  const period = deps.snapshotIntervalMs ?? DEFAULT_SNAPSHOT_INTERVAL_MS;
  const listeners = new Set<PushListener>();
  let running: Running | null = null;
  let disposed = false;
  // start/stop run one at a time.
  let lock: Promise<unknown> = Promise.resolve();
  let starting = false;
  /** Bumped by every stop/dispose: a start that began under an older value was cancelled. */
  let stopGeneration = 0;

  function serial<T>(op: () => Promise<T>): Promise<T> {
    const run = lock.then(op, op);
    lock = run.catch(() => undefined);
    return run;
  }

  function emit(message: PushMessage): void {
    for (const l of [...listeners]) {
      try {
        l(message);
      } catch (err) {
        log(`push listener failed: ${messageOf(err)}`);
      }
    }
  }

  function tick(): void {
    if (!running || listeners.size === 0) return;
    try {
      emit({ channel: 'bridge:snapshot', payload: running.handle.snapshot() });
    } catch (err) {
      log(`snapshot failed: ${messageOf(err)}`);
    }
  }

  const validateLeg = (text: string): string | undefined => {
    const r = deps.parseLeg(text);
    return r.ok ? undefined : r.error;
  };

  /** Leg strings → specs, or an error naming the leg. */
  function parseLegs(value: unknown): Result<readonly LegSpec[]> {
    const list = validateLegList(value, validateLeg, 'legs');
    if (!list.ok) return fail(list.error);
    if (list.value.length === 0) return fail('legs: add at least one leg');
    const specs: LegSpec[] = [];
    for (const [i, text] of list.value.entries()) {
      const r = deps.parseLeg(text);
      if (!r.ok) return fail(`legs[${i}]: invalid leg ${JSON.stringify(maskLegKey(text))}: ${r.error}`);
      if (r.spec.kind === 'W' && (r.spec.nic === undefined || r.spec.nic === '')) {
        return fail(`legs[${i}]: pick a network adapter for the W leg ${JSON.stringify(text)} (e.g. ${text}@eth0; see the adapter list)`);
      }
      specs.push(r.spec);
    }
    return ok(specs);
  }

  async function stopRunning(): Promise<void> {
    const r = running;
    if (!r) return;
    running = null;
    if (r.ticker !== undefined) timers.clearInterval(r.ticker);
    try {
      await r.handle.stop();
    } catch (err) {
      log(`bridge stop failed: ${messageOf(err)}`);
    }
    r.unsubscribe();
    try {
      emit({ channel: 'bridge:snapshot', payload: r.handle.snapshot() });
    } catch (err) {
      log(`final snapshot failed: ${messageOf(err)}`);
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
      let r: Awaited<ReturnType<typeof resolve>>;
      try {
        r = await withTimeout(resolve(s.nic), LIST_NICS_TIMEOUT_MS, 'Listing network adapters');
      } catch (err) {
        return fail(`legs[${i}]: ${messageOf(err)}`);
      }
      if (!r.ok) return fail(`legs[${i}]: ${r.error}`);
      out.push({ ...s, nic: r.name });
    }
    return ok(out);
  }

  async function startBridge(value: unknown): Promise<Result<BridgeSnapshot>> {
    const parsed = parseLegs(value);
    if (!parsed.ok) return parsed;
    if (running || starting) return fail('A bridge is already running: stop it first.');
    starting = true;
    const generation = stopGeneration;
    const cancelled = (): boolean => generation !== stopGeneration;
    const STOPPED = 'The bridge was stopped before it finished starting.';
    try {
      const specs = await resolveNics(parsed.value);
      if (!specs.ok) return specs;
      return await serial(async () => {
        if (disposed) return fail('The app is shutting down.');
        if (cancelled()) return fail(STOPPED);
        if (running) return fail('A bridge is already running: stop it first.');
        let handle: BridgeHandle;
        try {
          handle = deps.createBridge(specs.value);
        } catch (err) {
          return fail(`Cannot create the bridge: ${messageOf(err)}`);
        }
        const unsubscribe = handle.onEvent((e: BridgeEvent) => emit({ channel: 'bridge:event', payload: e }));
        const r: Running = { handle, unsubscribe, ticker: undefined };
        running = r;
        r.ticker = timers.setInterval(tick, period);
        try {
          await handle.start();
        } catch (err) {
          await stopRunning();
          return fail(`Cannot start the bridge: ${messageOf(err)}`);
        }
        if (cancelled()) {
          // A stop arrived while the bridge was starting: it waits for us, so stop here.
          await stopRunning();
          return fail(STOPPED);
        }
        const snap = handle.snapshot();
        if (snap.legs.length > 0 && snap.legs.every((l) => l.state === 'error')) {
          await stopRunning();
          const why = snap.legs.map((l) => `leg ${l.id + 1} (${l.leg}): ${l.error ?? 'failed'}`).join('\n');
          return fail(`No leg could start:\n${why}`);
        }
        tick();
        return ok(snap);
      });
    } finally {
      starting = false;
    }
  }

  /** Runs a handler body: ProfileError and anything unexpected become Result errors. */
  async function guard<T>(channel: InvokeChannel, body: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await body();
    } catch (err) {
      if (err instanceof ProfileError || err instanceof CaptureError) return fail(messageOf(err));
      log(`${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fail(`Internal error in ${channel}: ${messageOf(err)}`);
    }
  }

  type Body<C extends InvokeChannel> = (args: readonly unknown[]) => Promise<Result<InvokeResult<C>>>;
  function handler<C extends InvokeChannel>(channel: C, n: number, body: Body<C>): Handler<C> {
    return (...args) =>
      guard(channel, async () => {
        const bad = arity(args, n);
        return bad === undefined ? body(args) : fail(`${channel}: ${bad}`);
      });
  }

  const handlers: Handlers = {
    'app:info': handler('app:info', 0, async () => {
      let captureProblem: string | undefined;
      try {
        captureProblem = await deps.captureProblem?.();
      } catch (err) {
        captureProblem = messageOf(err);
      }
      return ok({
        version: deps.version,
        platform: deps.platform ?? process.platform,
        host: deps.host,
        ...(captureProblem !== undefined ? { captureProblem } : {}),
        profilesDir: deps.profiles.profilesDir,
      });
    }),

    'nics:list': handler('nics:list', 0, async () => {
      try {
        return ok(await withTimeout(deps.listNics(), LIST_NICS_TIMEOUT_MS, 'Listing network adapters'));
      } catch (err) {
        return fail(`Cannot list network adapters: ${messageOf(err)}`);
      }
    }),

    'bridge:start': handler('bridge:start', 1, (a) => startBridge(a[0])),

    'bridge:stop': handler('bridge:stop', 0, () => {
      stopGeneration++; // cancels a start still resolving adapters or starting
      return serial(async () => {
        await stopRunning();
        return ok(null);
      });
    }),

    'bridge:status': handler('bridge:status', 0, async () => ok(running ? running.handle.snapshot() : null)),

    'profiles:list': handler('profiles:list', 0, async () => ok(await deps.profiles.list())),

    'profiles:load': handler('profiles:load', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      return bad ? fail(bad) : ok(await deps.profiles.load(name as string));
    }),

    'profiles:save': handler('profiles:save', 1, async ([profile]) => ok(await deps.profiles.save(profile))),

    'profiles:rename': handler('profiles:rename', 2, async ([from, to]) => {
      const bad = nameArg(from, 'from') ?? nameArg(to, 'to');
      return bad ? fail(bad) : ok(await deps.profiles.rename(from as string, to as string));
    }),

    'profiles:delete': handler('profiles:delete', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      if (bad) return fail(bad);
      await deps.profiles.delete(name as string);
      return ok(null);
    }),

    'profiles:recent': handler('profiles:recent', 0, async () => ok(await deps.profiles.recent())),

    'profiles:export': handler('profiles:export', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      if (bad) return fail(bad);
      if (!deps.dialogs) return fail('Saving to a file through a dialog needs the desktop app; in the browser, use exportProfileJson and download the file.');
      const { fileName, json } = await deps.profiles.exportJson(name as string);
      return ok(await deps.dialogs.exportProfile(fileName, json));
    }),

    'profiles:import': handler('profiles:import', 1, async ([text]) => {
      if (text !== null && typeof text !== 'string') return fail(`jsonText: expected the file's text or null, got ${describe(text)}`);
      if (typeof text === 'string' && text.length > PROFILE_FILE_MAX_BYTES) return fail(`jsonText: larger than ${PROFILE_FILE_MAX_BYTES / 1024} KiB: not a profile`);
      let json = text;
      if (json === null) {
        if (!deps.dialogs) return fail('No file dialog here: pass the text of the profile file.');
        json = await deps.dialogs.importProfile();
        if (json === null) return ok(null);
      }
      return ok(await deps.profiles.importJson(json));
    }),

    'profiles:exportJson': handler('profiles:exportJson', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      return bad ? fail(bad) : ok(await deps.profiles.exportJson(name as string));
    }),
  };

  return {
    handlers,

    async invoke(channel, args) {
      if (!isInvokeChannel(channel)) return fail(`Unknown channel ${JSON.stringify(typeof channel === 'string' ? channel.slice(0, 64) : channel) ?? 'undefined'}`);
      if (!Array.isArray(args)) return fail(`${channel}: arguments must be a list`);
      const h = handlers[channel] as (...a: readonly unknown[]) => Promise<Result<unknown>>;
      return h(...(args as unknown[]));
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async autoStart() {
      const p = await deps.profiles.autoStartProfile();
      if (!p) return null;
      const result = await startBridge(p.legs);
      log(result.ok ? `auto-started profile "${p.name}"` : `auto-start of profile "${p.name}" failed: ${result.error}`);
      return { profile: p.name, result };
    },

    async dispose() {
      disposed = true;
      stopGeneration++;
      await serial(stopRunning);
    },
  };
}
