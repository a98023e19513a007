// An in-memory VxbridgeApi for unit tests and the dev preview. Tests drive it by
// hand (emitSnapshot); the preview adds a simulator (dev/simulator.ts).

import type { BridgeEvent } from '../../../electron/model/events.js';
import { formatLeg, parseLeg } from '../../../electron/model/leg-grammar.js';
import { isEncrypted } from '../../../electron/model/leg-spec.js';
import { exportLegs, hasLiteralKey } from '../../../electron/model/profile-schema.js';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import { zeroDrops, type BridgeSnapshot, type LegSnapshot } from '../../../electron/model/snapshot.js';
import type { AppInfo, AppSettings, Profile, ProfileSummary, RecentEvent, Result, RunningSetup, SettingsView, VxbridgeApi } from '../../../electron/contract/ipc-contract.js';
import { isDataPlaneChoice, type DataPlaneChoice, type DataPlaneOutcome, type DataPlaneRun } from '../../../electron/model/data-plane.js';

export const SAMPLE_NICS: readonly NicInfo[] = [
  {
    name: '\\Device\\NPF_{6B5C0D4E-2F61-4C8B-9A55-0D3C1E7F2A10}',
    description: 'Microsoft KM-TEST Loopback Adapter',
    index: 7,
    addresses: [{ family: 'IPv4', address: '169.254.12.7', netmask: '255.255.0.0' }],
    mac: '02:00:4c:4f:4f:50',
    mtu: 1500,
    flags: { up: true, running: true, loopback: false, wireless: false },
  },
  {
    name: '\\Device\\NPF_{0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9}',
    description: 'Intel(R) Ethernet Connection I219-LM',
    index: 3,
    addresses: [
      { family: 'IPv4', address: '10.10.1.10', netmask: '255.255.255.0' },
      { family: 'IPv6', address: 'fe80::1c2a:9bff:fe11:2233' },
    ],
    mac: '3c:52:82:11:22:33',
    mtu: 1500,
    flags: { up: true, running: true, loopback: false, wireless: false },
  },
  {
    name: '\\Device\\NPF_{9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0}',
    description: 'Intel(R) Wi-Fi 6 AX201 160MHz',
    index: 12,
    addresses: [{ family: 'IPv4', address: '192.168.1.23', netmask: '255.255.255.0' }],
    mac: 'a4:b1:c1:d2:e3:f4',
    mtu: 1500,
    flags: { up: true, running: true, loopback: false, wireless: true },
  },
  {
    name: '\\Device\\NPF_{11111111-2222-3333-4444-555555555555}',
    description: 'Realtek USB GbE Family Controller',
    index: 15,
    addresses: [],
    mtu: 1500,
    flags: { up: false, loopback: false, wireless: false },
  },
  {
    name: '\\Device\\NPF_Loopback',
    description: 'Adapter for loopback traffic capture',
    index: 1,
    addresses: [],
    flags: { up: true, running: true, loopback: true, wireless: false, unsuitable: 'Npcap loopback capture adapter: it carries no Ethernet frames' },
  },
];

export interface FakeApiOptions {
  readonly nics?: readonly NicInfo[];
  readonly profiles?: readonly Profile[];
  readonly recent?: readonly string[];
  readonly host?: AppInfo['host'];
  readonly now?: () => number;
  /** Makes startBridge fail with this message. */
  readonly startError?: string;
  /** Delay before replies resolve (ms), to show busy states. */
  readonly latencyMs?: number;
  /** The saved settings (default: the defaults). */
  readonly settings?: AppSettings;
  /** VXB_DATA_PLANE on the host: it overrides the setting. */
  readonly envDataPlane?: DataPlaneChoice;
  /** What a bridge started on `choice` runs on (default: js for js, else native). */
  readonly dataPlaneOutcome?: (choice: DataPlaneChoice) => DataPlaneOutcome;
}

export interface FakeApi {
  readonly api: VxbridgeApi;
  readonly calls: { method: string; args: unknown[] }[];
  readonly profiles: Map<string, Profile>;
  running: BridgeSnapshot | null;
  startError: string | undefined;
  emitSnapshot(s: BridgeSnapshot): void;
  emitEvent(e: BridgeEvent): void;
  /** Legs given to the last successful startBridge. */
  lastLegs: readonly string[];
  /** What the backend says runs ('bridge:setup'), as the real one keeps it: set by startBridge, or by hand. */
  setup: { legs: readonly string[]; profile: string | null; startedAt: number; dataPlane?: DataPlaneRun } | null;
  /** The settings as saved ('settings:get'/'settings:set'); `settingsProblem` as for a settings file that was not used. */
  settings: AppSettings;
  settingsProblem: string | undefined;
  /** The backend's ring of recent events ('bridge:events'): emitEvent adds to it. */
  recentEvents: RecentEvent[];
}

export function legSnapshots(legs: readonly string[]): LegSnapshot[] {
  return legs.map((text, id) => {
    const r = parseLeg(text);
    if (!r.ok) throw new Error(r.error.message);
    const spec = r.spec;
    return {
      id,
      leg: formatLeg(spec, { maskKey: true }),
      kind: spec.kind,
      segment: spec.segment,
      state: 'running',
      warnings: [],
      drops: zeroDrops(),
      encrypted: isEncrypted(spec),
      local:
        spec.kind === 'W' ? spec.nic : spec.kind === 'U' ? `${spec.localAddress}:${spec.localPort}` : spec.local === '*' ? '0.0.0.0:49152' : `${spec.local}:${spec.port ?? 4789}`,
      rxPackets: 0,
      rxBytes: 0,
      txPackets: 0,
      txBytes: 0,
    };
  });
}

export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const now = options.now ?? (() => Date.now());
  const snapshotListeners = new Set<(s: BridgeSnapshot) => void>();
  const eventListeners = new Set<(e: BridgeEvent) => void>();
  const profiles = new Map<string, Profile>((options.profiles ?? []).map((p) => [p.name, p]));
  let recent = [...(options.recent ?? [])];
  const calls: { method: string; args: unknown[] }[] = [];

  const reply = <T>(value: T): Promise<Result<T>> => delay({ ok: true, value });
  const fail = <T>(error: string): Promise<Result<T>> => delay({ ok: false, error });
  const delay = <T>(r: Result<T>): Promise<Result<T>> => (options.latencyMs ? new Promise((res) => setTimeout(() => res(r), options.latencyMs)) : Promise.resolve(r));
  const summary = (p: Profile): ProfileSummary => ({
    name: p.name,
    legCount: p.legs.length,
    updatedAt: p.updatedAt ?? new Date(now()).toISOString(),
    ...(p.legs.some(hasLiteralKey) ? { literalKeys: true } : {}),
  });
  const touch = (name: string) => (recent = [name, ...recent.filter((n) => n !== name)].slice(0, 8));
  const log = (method: string, args: unknown[]) => calls.push({ method, args });

  const settingsView = (): SettingsView => ({
    settings: fake.settings,
    file: '/home/me/.config/vxbridge/settings.json',
    ...(fake.settingsProblem !== undefined ? { problem: fake.settingsProblem } : {}),
    ...(options.envDataPlane !== undefined ? { envDataPlane: options.envDataPlane } : {}),
  });

  const fake: FakeApi = {
    calls,
    profiles,
    running: null,
    startError: options.startError,
    lastLegs: [],
    setup: null,
    settings: options.settings ?? { dataPlane: 'auto' },
    settingsProblem: undefined,
    recentEvents: [],
    emitSnapshot(s) {
      fake.running = s.running ? s : null;
      for (const l of snapshotListeners) l(s);
    },
    emitEvent(e) {
      fake.recentEvents.push({ time: now(), event: e });
      for (const l of eventListeners) l(e);
    },
    api: {
      appInfo: () => (log('appInfo', []), reply({ version: '0.1.0-preview', platform: 'win32', host: options.host ?? 'electron' })),
      listNics: () => (log('listNics', []), reply(options.nics ?? SAMPLE_NICS)),
      startBridge(legs, profile = null) {
        log('startBridge', [legs, profile]);
        if (fake.running) return fail('A bridge is already running. Stop it first.');
        if (fake.startError) return fail(fake.startError);
        for (const [i, l] of legs.entries()) {
          const r = parseLeg(l);
          if (!r.ok) return fail(`leg ${i + 1}: ${r.error.message}`);
        }
        fake.lastLegs = [...legs];
        const choice = options.envDataPlane ?? fake.settings.dataPlane;
        const outcome = options.dataPlaneOutcome?.(choice) ?? { kind: choice === 'js' ? 'js' : 'native' };
        fake.setup = { legs: [...legs], profile, startedAt: now(), dataPlane: { choice, source: options.envDataPlane ? 'env' : 'setting', ...outcome } };
        fake.running = { time: now(), running: true, legs: legSnapshots(legs), peers: [], macs: [], peerCount: 0, macCount: 0 };
        return reply(fake.running);
      },
      stopBridge() {
        log('stopBridge', []);
        fake.running = null;
        fake.setup = null;
        return reply(null);
      },
      bridgeStatus: () => (log('bridgeStatus', []), reply(fake.running)),
      runningSetup() {
        log('runningSetup', []);
        const st = fake.setup;
        if (!fake.running || !st) return reply<RunningSetup | null>(null);
        const p = st.profile === null ? undefined : profiles.get(st.profile);
        return reply<RunningSetup | null>({
          legs: [...st.legs],
          profile: p ? { name: p.name, legs: [...p.legs], autoStart: p.autoStart === true } : null,
          startedAt: st.startedAt,
          ...(st.dataPlane ? { dataPlane: st.dataPlane } : {}),
        });
      },
      recentEvents: () => (log('recentEvents', []), reply([...fake.recentEvents])),
      listProfiles: () => (log('listProfiles', []), reply([...profiles.values()].map(summary))),
      loadProfile(name) {
        log('loadProfile', [name]);
        const p = profiles.get(name);
        if (!p) return fail(`No profile named “${name}”.`);
        touch(name);
        return reply(p);
      },
      saveProfile(p) {
        log('saveProfile', [p]);
        profiles.set(p.name, p);
        touch(p.name);
        // As the real backend: saving the legs that run makes them run as this profile.
        const st = fake.setup;
        if (st && st.legs.length === p.legs.length && st.legs.every((l, i) => l === p.legs[i])) fake.setup = { ...st, profile: p.name };
        return reply(summary(p));
      },
      renameProfile(from, to) {
        log('renameProfile', [from, to]);
        const p = profiles.get(from);
        if (!p) return fail(`No profile named “${from}”.`);
        if (profiles.has(to)) return fail(`A profile named “${to}” already exists.`);
        profiles.delete(from);
        const q = { ...p, name: to };
        profiles.set(to, q);
        recent = recent.map((n) => (n === from ? to : n));
        return reply(summary(q));
      },
      deleteProfile(name) {
        log('deleteProfile', [name]);
        if (!profiles.delete(name)) return fail(`No profile named “${name}”.`);
        recent = recent.filter((n) => n !== name);
        return reply(null);
      },
      recentProfiles: () => (log('recentProfiles', []), reply([...recent])),
      exportProfile(name, options) {
        log('exportProfile', [name, options]);
        if (!profiles.has(name)) return fail(`No profile named “${name}”.`);
        return reply(`C:\\Users\\me\\Documents\\${name}.vxbridge.json`);
      },
      exportProfileJson(name, options) {
        log('exportProfileJson', [name, options]);
        const p = profiles.get(name);
        if (!p) return fail(`No profile named “${name}”.`);
        const legs = exportLegs(p.legs, options);
        if (!legs.ok) return fail(legs.error);
        return reply({ fileName: `${name}.vxbridge.json`, json: JSON.stringify({ ...p, legs: legs.value.legs }, null, 2) + '\n' });
      },
      importProfile(text) {
        log('importProfile', [text]);
        if (text === null) return reply(null);
        try {
          const p = JSON.parse(text) as Profile;
          profiles.set(p.name, p);
          return reply(summary(p));
        } catch {
          return fail('That file is not a vxbridge profile (not JSON).');
        }
      },
      getSettings: () => (log('getSettings', []), reply(settingsView())),
      saveSettings(settings) {
        log('saveSettings', [settings]);
        if (!isDataPlaneChoice(settings?.dataPlane)) return fail('settings.dataPlane: expected one of auto, native, js');
        fake.settings = { dataPlane: settings.dataPlane };
        fake.settingsProblem = undefined;
        return reply(settingsView());
      },
      onSnapshot(l) {
        snapshotListeners.add(l);
        return () => void snapshotListeners.delete(l);
      },
      onEvent(l) {
        eventListeners.add(l);
        return () => void eventListeners.delete(l);
      },
    },
  };
  return fake;
}
