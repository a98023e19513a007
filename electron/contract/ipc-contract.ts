// The one file that names every IPC channel between the UI (renderer) and the
// backend (Electron main, or the `ubdg ui` browser host over a WebSocket).
// main, preload, renderer and the browser host all type-check against it.
// It must stay importable from the renderer: types and plain data only.

import type { NicInfo } from '../model/nic-info.js';
import type { BridgeEvent } from '../model/events.js';
import type { ExportOptions, Profile, ProfileExport, ProfileSummary } from '../model/profile-schema.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import type { DataPlaneChoice, DataPlaneRun } from '../model/data-plane.js';
import type { AppSettings } from '../model/settings.js';

export type { AppSettings, DataPlaneRun, ExportOptions, Profile, ProfileExport, ProfileSummary };

export interface AppInfo {
  readonly version: string;
  readonly platform: string;
  /** 'electron' or 'browser' (ubdg ui). */
  readonly host: 'electron' | 'browser';
  /** Set when capture cannot work (no Npcap, no permission): what and how to fix. */
  readonly captureProblem?: string;
  /** Folder that holds the profiles (shown to the user). */
  readonly profilesDir?: string;
}

/** What runs, as the user set it up: a page that (re)connects to a running bridge
 *  shows exactly this (legs in the editor, the adapter, the profile and whether
 *  it has unsaved changes). The backend owns it (running-setup.ts). */
export interface RunningSetup {
  /** The leg strings given to 'bridge:start', as typed. A typed key is in them, as in
   *  what 'profiles:load' returns: the page needs it to save or restart the legs. */
  readonly legs: readonly string[];
  /** The profile it was started from or last saved as, as stored now; null if none (or deleted). */
  readonly profile: {
    readonly name: string;
    /** The profile's legs as saved: the baseline that tells whether the setup has unsaved changes. */
    readonly legs: readonly string[];
    readonly autoStart: boolean;
  } | null;
  /** ms since epoch when it started, for the uptime. */
  readonly startedAt: number;
  /** Which data plane runs it and why (asked for by VXB_DATA_PLANE or the setting; why `auto` fell back).
   *  Absent until the data-plane process has said (or where the bridge cannot tell). */
  readonly dataPlane?: DataPlaneRun;
}

/** The app's settings as the host sees them ('settings:get'/'settings:set'). */
export interface SettingsView {
  readonly settings: AppSettings;
  /** Where they are kept (shown to the user). */
  readonly file: string;
  /** Why the settings file was not used (corrupt, unknown version or value): the defaults apply until saved. */
  readonly problem?: string;
  /** VXB_DATA_PLANE in the host's environment, when set to a valid choice: it wins over settings.dataPlane. */
  readonly envDataPlane?: DataPlaneChoice;
  /** VXB_DATA_PLANE set to something else: ignored, and this says so. */
  readonly envProblem?: string;
}

/** One engine event with the backend's time, from the ring a (re)connecting page replays. */
export interface RecentEvent {
  readonly time: number;
  readonly event: BridgeEvent;
}

/** Either a value or a user-facing error. Handlers never throw across IPC. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Request/response channels: name → argument tuple and result. */
export interface InvokeChannels {
  'app:info': { args: []; result: AppInfo };
  'nics:list': { args: []; result: readonly NicInfo[] };
  /** Start a bridge from leg strings; fails if one is already running. `profile`: the
   *  profile the editor holds (null or absent: an unsaved setup), kept as part of the running setup. */
  'bridge:start': { args: [legs: readonly string[], profile?: string | null]; result: BridgeSnapshot };
  'bridge:stop': { args: []; result: null };
  /** Latest snapshot, or null when nothing runs. */
  'bridge:status': { args: []; result: BridgeSnapshot | null };
  /** What runs, as set up (see RunningSetup), or null when nothing runs. */
  'bridge:setup': { args: []; result: RunningSetup | null };
  /** The most recent engine events, oldest first (a bounded ring), for a page that (re)connects. */
  'bridge:events': { args: []; result: readonly RecentEvent[] };
  'profiles:list': { args: []; result: readonly ProfileSummary[] };
  'profiles:load': { args: [name: string]; result: Profile };
  /** Create or overwrite. */
  'profiles:save': { args: [profile: Profile]; result: ProfileSummary };
  'profiles:rename': { args: [from: string, to: string]; result: ProfileSummary };
  'profiles:delete': { args: [name: string]; result: null };
  /** Recently used profile names, most recent first. */
  'profiles:recent': { args: []; result: readonly string[] };
  /** Export through a save dialog (Electron) or as a download (browser); returns the path or file name.
   *  Unless `options.includeKeys`, each key typed into a leg is written as `*env:VXBRIDGE_KEY` (see exportLegs). */
  'profiles:export': { args: [name: string, options: ExportOptions]; result: string | null };
  /** Import from a file dialog (Electron) or uploaded JSON text (browser). */
  'profiles:import': { args: [jsonText: string | null]; result: ProfileSummary | null };
  /** The export file's name and text, for the browser to offer as a download (works on both hosts).
   *  Keys as for 'profiles:export'. */
  'profiles:exportJson': { args: [name: string, options: ExportOptions]; result: ProfileExport };
  /** The app's settings, with what overrides them. */
  'settings:get': { args: []; result: SettingsView };
  /** Saves the settings (all fields); they apply from the next Start. */
  'settings:set': { args: [settings: AppSettings]; result: SettingsView };
}

/** Pushed from backend to UI. */
export interface PushChannels {
  'bridge:snapshot': BridgeSnapshot;
  'bridge:event': BridgeEvent;
}

export type InvokeChannel = keyof InvokeChannels;
export type PushChannel = keyof PushChannels;
export type InvokeArgs<C extends InvokeChannel> = InvokeChannels[C]['args'];
export type InvokeResult<C extends InvokeChannel> = InvokeChannels[C]['result'];

/** Every invoke channel, for main/host to register and check completeness. */
export const INVOKE_CHANNELS = [
  'app:info',
  'nics:list',
  'bridge:start',
  'bridge:stop',
  'bridge:status',
  'bridge:setup',
  'bridge:events',
  'profiles:list',
  'profiles:load',
  'profiles:save',
  'profiles:rename',
  'profiles:delete',
  'profiles:recent',
  'profiles:export',
  'profiles:import',
  'profiles:exportJson',
  'settings:get',
  'settings:set',
] as const satisfies readonly InvokeChannel[];

/** Named functions, one per action: what the preload exposes as `window.vxbridge`
 *  (never ipcRenderer itself) and what the browser client implements identically. */
export const API_METHODS = {
  appInfo: 'app:info',
  listNics: 'nics:list',
  startBridge: 'bridge:start',
  stopBridge: 'bridge:stop',
  bridgeStatus: 'bridge:status',
  runningSetup: 'bridge:setup',
  recentEvents: 'bridge:events',
  listProfiles: 'profiles:list',
  loadProfile: 'profiles:load',
  saveProfile: 'profiles:save',
  renameProfile: 'profiles:rename',
  deleteProfile: 'profiles:delete',
  recentProfiles: 'profiles:recent',
  exportProfile: 'profiles:export',
  importProfile: 'profiles:import',
  exportProfileJson: 'profiles:exportJson',
  getSettings: 'settings:get',
  saveSettings: 'settings:set',
} as const satisfies Record<string, InvokeChannel>;

export type ApiMethod = keyof typeof API_METHODS;

// Compile-time completeness: every channel is listed and has a named function.
true satisfies Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never ? true : false;
true satisfies Exclude<InvokeChannel, (typeof API_METHODS)[ApiMethod]> extends never ? true : false;

export type VxbridgeApi = {
  readonly [M in ApiMethod]: (...args: InvokeArgs<(typeof API_METHODS)[M]>) => Promise<Result<InvokeResult<(typeof API_METHODS)[M]>>>;
} & {
  readonly onSnapshot: (listener: (s: PushChannels['bridge:snapshot']) => void) => () => void;
  readonly onEvent: (listener: (e: PushChannels['bridge:event']) => void) => () => void;
};

// ---- Browser host wire format (`ubdg ui`): the same channels over one WebSocket.
// The page is paired once through http://127.0.0.1:PORT/pair/<one-time token>,
// which sets an HttpOnly session cookie, and connects to ws://127.0.0.1:PORT/ipc
// with that cookie (electron/backend/browser-host.ts). Every message is one JSON object.

export const WS_PATH = '/ipc';

/** Browser → host. `id` pairs the reply with the request. */
export interface WsRequest {
  readonly id: number;
  readonly channel: InvokeChannel;
  readonly args: readonly unknown[];
}

/** Host → browser: the answer to one request. */
export interface WsReply {
  readonly id: number;
  readonly result: Result<unknown>;
}

/** Host → browser: a pushed snapshot or event. */
export interface WsPush {
  readonly push: PushChannel;
  readonly payload: unknown;
}
