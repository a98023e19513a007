// The handler layer behind every IPC channel, shared by the Electron main
// process (ipcMain.handle) and the `ubdg ui` browser host (WebSocket).
// Every handler takes untrusted `unknown` arguments, validates them and
// answers with a Result: bad input gets an error, never an exception.
// It owns the one running bridge and pushes one snapshot per tick (~4 Hz)
// plus the engine's events to subscribers. It also owns what a (re)connecting
// page needs to show exactly what runs: the setup as started (running-setup.ts)
// and a ring of recent events (event-ring.ts). The app's settings (the data
// plane the next Start uses) are read at each Start, so a change applies then.

import { SNAPSHOT_INTERVAL_MS } from '../model/defaults.js';
import type { LegSpec } from '../model/leg-spec.js';
import type { Profile } from '../model/profile-schema.js';
import type { NicInfo } from '../model/nic-info.js';
import { errorText, FixableError } from '../model/user-error.js';
import { createBridgeRunner, RESOLVE_NIC_TIMEOUT_MS, withTimeout, type BridgeRunnerDeps } from './bridge-runner.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import {
  INVOKE_CHANNELS,
  type AppInfo,
  type ExportOptions,
  type InvokeChannel,
  type InvokeResult,
  type PushChannel,
  type PushChannels,
  type Result,
  type SettingsView,
} from '../contract/ipc-contract.js';
import { PROFILE_FILE_MAX_BYTES, describe, parseLegList } from '../model/profile-schema.js';
import { ProfileError, type ProfileStore } from './profiles/profile-store.js';
import { createEventRing } from './event-ring.js';
import { createRunningSetup } from './running-setup.js';
import { validateSettings } from '../model/settings.js';
import { envDataPlane, selectDataPlane, type DataPlaneSelection } from './data-plane/data-plane-env.js';
import { memorySettingsStore, type SettingsStore } from './settings/settings-store.js';

/** Native file dialogs (Electron only; the browser host has none). */
export interface FileDialogs {
  /** Asks where to save, writes `json` there; the chosen path, or null if cancelled. */
  exportProfile(suggestedFileName: string, json: string): Promise<string | null>;
  /** Asks for a file and reads it (size-limited); its text, or null if cancelled. */
  importProfile(): Promise<string | null>;
}

export interface BackendDeps {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly platform?: string;
  readonly profiles: ProfileStore;
  /** The app's settings; default: in memory, the defaults. */
  readonly settings?: SettingsStore;
  /** Where VXB_DATA_PLANE is read (it overrides the data-plane setting); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Builds (does not start) a bridge; the engine's createBridge with real or fake ports. */
  readonly createBridge: BridgeRunnerDeps['createBridge'];
  readonly listNics: () => Promise<readonly NicInfo[]>;
  /** Turns what the user typed for a W leg (name, description, index) into the
   *  adapter name pcap opens. Default: taken as is. */
  readonly resolveNic?: BridgeRunnerDeps['resolveNic'];
  /** What keeps capture from working (no Npcap, no permission), or undefined. */
  readonly captureProblem?: () => Promise<string | undefined>;
  readonly dialogs?: FileDialogs;
  /** Snapshot push period; default SNAPSHOT_INTERVAL_MS. */
  readonly snapshotIntervalMs?: number;
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

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

function isInvokeChannel(c: unknown): c is InvokeChannel {
  return typeof c === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(c);
}

/** How many arguments a channel takes: exactly n, or [least, most] (trailing ones optional). */
type Arity = number | readonly [number, number];

/** Argument count, checked before any work. */
function arity(args: readonly unknown[], n: Arity): string | undefined {
  const [least, most] = typeof n === 'number' ? [n, n] : n;
  if (args.length >= least && args.length <= most) return undefined;
  const want = least === most ? `${least} argument${least === 1 ? '' : 's'}` : `${least} to ${most} arguments`;
  return `expected ${want}, got ${args.length}`;
}

function nameArg(v: unknown, field: string): string | undefined {
  if (typeof v !== 'string') return `${field}: expected a string, got ${describe(v)}`;
  if (v.length === 0 || v.length > 256) return `${field}: expected 1 to 256 characters`;
  return undefined;
}

/** The profile a bridge starts from: absent or null (an unsaved setup), or a name. */
function profileArg(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : nameArg(v, 'profile');
}

/** The export options: exactly `{ includeKeys: boolean }` (own field; keys go out only on an explicit true). */
function exportOptionsArg(v: unknown, field = 'options'): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${field}: expected { includeKeys: true or false }, got ${describe(v)}`;
  for (const k of Object.keys(v)) if (k !== 'includeKeys') return `${field}.${k.slice(0, 40)}: unknown field`;
  const includeKeys: unknown = Object.hasOwn(v, 'includeKeys') ? (v as { includeKeys: unknown }).includeKeys : undefined;
  if (typeof includeKeys !== 'boolean') return `${field}.includeKeys: expected true or false, got ${includeKeys === undefined ? 'nothing' : describe(includeKeys)}`;
  return undefined;
}

/** A fresh copy of options that exportOptionsArg accepted. */
const exportOptions = (v: unknown): ExportOptions => ({ includeKeys: (v as ExportOptions).includeKeys === true });

export function createBackend(deps: BackendDeps): Backend {
  const log = deps.log ?? (() => undefined);
  const listeners = new Set<PushListener>();

  function emit(message: PushMessage): void {
    for (const l of [...listeners]) {
      try {
        l(message);
      } catch (err) {
        log(`push listener failed: ${errorText(err)}`);
      }
    }
  }

  const recentEvents = createEventRing();
  const setup = createRunningSetup();
  const settings = deps.settings ?? memorySettingsStore();
  const env = deps.env ?? process.env;
  let loggedSettingsProblem: string | undefined;

  /** The settings and what overrides them; a settings file that cannot be used is logged once per problem. */
  async function settingsView(): Promise<SettingsView> {
    const r = await settings.read();
    if (r.problem !== undefined && r.problem !== loggedSettingsProblem) log(r.problem);
    loggedSettingsProblem = r.problem;
    const e = envDataPlane(env);
    return {
      settings: r.settings,
      file: settings.file,
      ...(r.problem !== undefined ? { problem: r.problem } : {}),
      ...(e.choice !== undefined ? { envDataPlane: e.choice } : {}),
      ...(e.problem !== undefined ? { envProblem: e.problem } : {}),
    };
  }

  /** One log line on which data plane a bridge got, and why (the app's equivalent of ubdg's stderr line). */
  function logDataPlane(selection: DataPlaneSelection): void {
    const got = bridge.dataPlane();
    if (got === null) return;
    const asked = selection.source === 'env' ? `${selection.choice}, from VXB_DATA_PLANE` : selection.choice;
    log(`data plane: ${got.kind} (asked: ${asked})${got.fallback !== undefined ? `: ${got.fallback}` : ''}`);
  }

  const bridge = createBridgeRunner({
    createBridge: deps.createBridge,
    ...(deps.resolveNic ? { resolveNic: deps.resolveNic } : {}),
    periodMs: deps.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS,
    listening: () => listeners.size > 0,
    onSnapshot: (payload) => emit({ channel: 'bridge:snapshot', payload }),
    onEvent: (payload) => {
      recentEvents.push(payload);
      emit({ channel: 'bridge:event', payload });
    },
    log,
  });

  /** Leg strings → the texts and their specs (parsed once), or an error naming the leg. */
  function parseLegs(value: unknown): Result<readonly { readonly text: string; readonly spec: LegSpec }[]> {
    const list = parseLegList(value, 'legs');
    if (!list.ok) return fail(list.error);
    if (list.value.length === 0) return fail('legs: add at least one leg');
    for (const [i, { text, spec }] of list.value.entries()) {
      if (spec.kind === 'W' && (spec.nic === undefined || spec.nic === '')) {
        return fail(`legs[${i}]: pick a network adapter for the W leg ${JSON.stringify(text)} (e.g. ${text}@eth0; see the adapter list)`);
      }
    }
    return ok(list.value);
  }

  /** `profile`: validated by the caller (null: an unsaved setup). Legs are never logged: they may hold a key. */
  async function startBridge(value: unknown, profile: string | null): Promise<Result<BridgeSnapshot>> {
    const parsed = parseLegs(value);
    if (!parsed.ok) return parsed;
    // Nothing runs: no earlier setup is valid any more, not even while this one starts.
    if (bridge.status() === null) setup.clear();
    const selection = selectDataPlane((await settingsView()).settings.dataPlane, env);
    const result = await bridge.start(
      parsed.value.map((l) => l.spec),
      { dataPlane: selection.choice },
    );
    if (result.ok) {
      setup.started(
        parsed.value.map((l) => l.text),
        profile,
        Date.now(),
        selection,
      );
      logDataPlane(selection);
    }
    return result;
  }

  /** Runs a handler body: ProfileError and anything unexpected become Result errors. */
  async function guard<T>(channel: InvokeChannel, body: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await body();
    } catch (err) {
      if (err instanceof ProfileError || err instanceof FixableError) return fail(errorText(err));
      log(`${channel} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fail(`Internal error in ${channel}: ${errorText(err)}`);
    }
  }

  type Body<C extends InvokeChannel> = (args: readonly unknown[]) => Promise<Result<InvokeResult<C>>>;
  function handler<C extends InvokeChannel>(channel: C, n: Arity, body: Body<C>): Handler<C> {
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
        captureProblem = errorText(err);
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
        return ok(await withTimeout(deps.listNics(), RESOLVE_NIC_TIMEOUT_MS, 'Listing network adapters'));
      } catch (err) {
        return fail(`Cannot list network adapters: ${errorText(err)}`);
      }
    }),

    'bridge:start': handler('bridge:start', [1, 2], async ([legs, profile]) => {
      const bad = profileArg(profile);
      return bad ? fail(bad) : startBridge(legs, typeof profile === 'string' ? profile : null);
    }),

    'bridge:stop': handler('bridge:stop', 0, async () => {
      await bridge.stop();
      return ok(null);
    }),

    'bridge:status': handler('bridge:status', 0, async () => ok(bridge.status())),

    'bridge:setup': handler('bridge:setup', 0, async () => ok(bridge.status() === null ? null : await setup.describe(deps.profiles, bridge.dataPlane()))),

    'bridge:events': handler('bridge:events', 0, async () => ok(recentEvents.list())),

    'profiles:list': handler('profiles:list', 0, async () => ok(await deps.profiles.list())),

    'profiles:load': handler('profiles:load', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      return bad ? fail(bad) : ok(await deps.profiles.load(name as string));
    }),

    'profiles:save': handler('profiles:save', 1, async ([profile]) => {
      const saved = await deps.profiles.save(profile);
      // Valid, or save() would have thrown: if these legs are what runs, it now runs as this profile.
      setup.saved(saved.name, (profile as Profile).legs);
      return ok(saved);
    }),

    'profiles:rename': handler('profiles:rename', 2, async ([from, to]) => {
      const bad = nameArg(from, 'from') ?? nameArg(to, 'to');
      if (bad) return fail(bad);
      const renamed = await deps.profiles.rename(from as string, to as string);
      setup.renamed(from as string, renamed.name);
      return ok(renamed);
    }),

    'profiles:delete': handler('profiles:delete', 1, async ([name]) => {
      const bad = nameArg(name, 'name');
      if (bad) return fail(bad);
      await deps.profiles.delete(name as string);
      return ok(null);
    }),

    'profiles:recent': handler('profiles:recent', 0, async () => ok(await deps.profiles.recent())),

    'profiles:export': handler('profiles:export', 2, async ([name, options]) => {
      const bad = nameArg(name, 'name') ?? exportOptionsArg(options);
      if (bad) return fail(bad);
      if (!deps.dialogs) return fail('Saving to a file through a dialog needs the desktop app; in the browser, use exportProfileJson and download the file.');
      const { fileName, json } = await deps.profiles.exportJson(name as string, exportOptions(options));
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

    'profiles:exportJson': handler('profiles:exportJson', 2, async ([name, options]) => {
      const bad = nameArg(name, 'name') ?? exportOptionsArg(options);
      return bad ? fail(bad) : ok(await deps.profiles.exportJson(name as string, exportOptions(options)));
    }),

    'settings:get': handler('settings:get', 0, async () => ok(await settingsView())),

    // A running bridge keeps its data plane: the saved choice applies from the next Start.
    'settings:set': handler('settings:set', 1, async ([value]) => {
      const v = validateSettings(value);
      if (!v.ok) return fail(v.error);
      await settings.write(v.value);
      return ok(await settingsView());
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
      const result = await startBridge(p.legs, p.name);
      log(result.ok ? `auto-started profile "${p.name}"` : `auto-start of profile "${p.name}" failed: ${result.error}`);
      return { profile: p.name, result };
    },

    dispose: () => bridge.dispose(),
  };
}
