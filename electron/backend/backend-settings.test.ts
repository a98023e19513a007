// The app's settings through the backend ('settings:get', 'settings:set'): every
// argument checked, kept in the data folder, and the data-plane choice reaching
// the bridge at the next Start (VXB_DATA_PLANE over the setting); which data
// plane runs is part of what a (re)connecting page gets ('bridge:setup').

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_PATH, type SettingsView, type WsReply } from '../contract/ipc-contract.js';
import type { BridgeBuildOptions } from './bridge-runner.js';
import { createBackend, type Backend } from './backend.js';
import { startBrowserHost } from './browser-host.js';
import { withDataPlaneReport } from './data-plane/data-plane-report.js';
import { createFakeBridge } from './fake-bridge.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createSettingsStore } from './settings/settings-store.js';

const LEGS = ['5000#V:E@10.0.0.1:0'];

let dataDir: string;
let built: BridgeBuildOptions[];
let logs: string[];
const backends: Backend[] = [];

/** A backend over the real settings file; bridges report `kind` (js with a reason when asked for auto). */
function make(env: NodeJS.ProcessEnv = {}): Backend {
  const b = createBackend({
    host: 'browser',
    version: '9.9.9',
    platform: 'linux',
    profiles: createProfileStore({ dataDir }),
    settings: createSettingsStore({ dataDir }),
    env,
    createBridge: (legs, options) => {
      built.push(options);
      const fallback = options.dataPlane === 'auto' ? { fallback: 'the native data plane is not built' } : {};
      return withDataPlaneReport(createFakeBridge(legs), { kind: options.dataPlane === 'native' ? 'native' : 'js', ...fallback });
    },
    listNics: async () => [],
    log: (l) => logs.push(l),
  });
  backends.push(b);
  return b;
}

async function value<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: string }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const settingsFile = () => path.join(dataDir, 'settings.json');

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-settings-'));
  built = [];
  logs = [];
});
afterEach(async () => {
  for (const b of backends.splice(0)) await b.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("'settings:set' checks its argument", () => {
  const bad: readonly [unknown[], string][] = [
    [[], 'settings:set: expected 1 argument, got 0'],
    [[{ dataPlane: 'js' }, 1], 'settings:set: expected 1 argument, got 2'],
    [['js'], 'settings: expected { dataPlane: auto, native, js }, got string'],
    [[null], 'settings: expected { dataPlane: auto, native, js }, got null'],
    [[['js']], 'settings: expected { dataPlane: auto, native, js }, got a list'],
    [[{}], 'settings.dataPlane: expected one of auto, native, js, got nothing'],
    [[{ dataPlane: 'fast' }], 'settings.dataPlane: expected one of auto, native, js, got "fast"'],
    [[{ dataPlane: 'JS' }], 'settings.dataPlane: expected one of auto, native, js, got "JS"'],
    [[{ dataPlane: 2 }], 'settings.dataPlane: expected one of auto, native, js, got number'],
    [[{ dataPlane: 'js', theme: 'dark' }], 'settings.theme: unknown field'],
    [[JSON.parse('{"__proto__": {"dataPlane": "js"}}')], 'settings.__proto__: unknown field'],
    [[Object.create({ dataPlane: 'js' })], 'settings.dataPlane: expected one of auto, native, js, got nothing'],
  ];
  it.each(bad)('%j → %s, and nothing is written', async (args, error) => {
    const b = make();
    expect(await b.invoke('settings:set', args)).toEqual({ ok: false, error });
    expect(fs.existsSync(settingsFile())).toBe(false);
  });

  it("'settings:get' takes no argument", async () => {
    expect(await make().invoke('settings:get', [1])).toEqual({ ok: false, error: 'settings:get: expected 0 arguments, got 1' });
  });

  it('the browser host serves both channels, with the same checks', async () => {
    const host = await startBrowserHost({ backend: make(), rendererDir: dataDir, port: 0, log: () => undefined });
    try {
      const h = `127.0.0.1:${host.port}`;
      const paired = await fetch(host.url, { redirect: 'manual' });
      const cookie = (paired.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const ws = new WebSocket(`ws://${h}${WS_PATH}`, { headers: { host: h, origin: `http://${h}`, cookie } });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const replies = new Map<number, WsReply['result']>();
      ws.on('message', (d: Buffer) => {
        const m = JSON.parse(d.toString()) as Partial<WsReply>;
        if (typeof m.id === 'number' && m.result) replies.set(m.id, m.result);
      });
      ws.send(JSON.stringify({ id: 1, channel: 'settings:set', args: [{ dataPlane: 'turbo' }] }));
      ws.send(JSON.stringify({ id: 2, channel: 'settings:set', args: [{ dataPlane: 'native' }] }));
      await expect.poll(() => replies.size).toBe(2);
      expect(replies.get(1)).toEqual({ ok: false, error: 'settings.dataPlane: expected one of auto, native, js, got "turbo"' });
      expect(replies.get(2)).toMatchObject({ ok: true, value: { settings: { dataPlane: 'native' } } });
      ws.close();
    } finally {
      await host.close();
    }
  });
});

describe('settings in the data folder', () => {
  it('are the defaults until saved; saved, they are in settings.json for the next backend (the app and ubdg ui share it)', async () => {
    expect(await value(make().handlers['settings:get']())).toEqual({ settings: { dataPlane: 'auto' }, file: settingsFile() });
    const saved = await value(make().handlers['settings:set']({ dataPlane: 'js' }));
    expect(saved.settings).toEqual({ dataPlane: 'js' });
    expect(JSON.parse(fs.readFileSync(settingsFile(), 'utf8'))).toEqual({ version: 1, dataPlane: 'js' });
    expect((await value(make().handlers['settings:get']())).settings).toEqual({ dataPlane: 'js' });
  });

  it('a corrupt file gives the defaults and says why (logged once), and saving replaces it', async () => {
    fs.writeFileSync(settingsFile(), '{"version": 1, "dataPl');
    const b = make();
    const view = await value(b.handlers['settings:get']());
    expect(view.settings).toEqual({ dataPlane: 'auto' });
    expect(view.problem).toBe(`The settings file ${settingsFile()} was not used: the file is not valid JSON. The defaults apply until the settings are saved again.`);
    await b.handlers['settings:get']();
    expect(logs.filter((l) => l.includes('was not used'))).toHaveLength(1);
    // A bridge still starts, on the default.
    expect((await b.handlers['bridge:start'](LEGS)).ok).toBe(true);
    expect(built).toEqual([{ dataPlane: 'auto' }]);
    await b.handlers['bridge:stop']();
    const fixed = await value(b.handlers['settings:set']({ dataPlane: 'native' }));
    expect(fixed.problem).toBeUndefined();
  });

  it('VXB_DATA_PLANE is shown as overriding the setting; an unknown value is shown as ignored', async () => {
    await value(make().handlers['settings:set']({ dataPlane: 'js' }));
    expect(await value(make({ VXB_DATA_PLANE: 'native' }).handlers['settings:get']())).toMatchObject({ settings: { dataPlane: 'js' }, envDataPlane: 'native' });
    const odd: SettingsView = await value(make({ VXB_DATA_PLANE: 'fastest' }).handlers['settings:get']());
    expect(odd.envDataPlane).toBeUndefined();
    expect(odd.envProblem).toBe('VXB_DATA_PLANE="fastest" is not one of auto, native, js: ignored');
  });
});

describe('the data plane at Start', () => {
  it('is the setting as it is when Start is pressed; a change while running applies at the next Start', async () => {
    const b = make();
    await value(b.handlers['settings:set']({ dataPlane: 'native' }));
    expect((await b.handlers['bridge:start'](LEGS)).ok).toBe(true);
    expect(await value(b.handlers['bridge:setup']())).toMatchObject({ dataPlane: { choice: 'native', source: 'setting', kind: 'native' } });
    // Saved while running: the running bridge keeps what it runs on.
    await value(b.handlers['settings:set']({ dataPlane: 'auto' }));
    expect((await value(b.handlers['bridge:setup']()))?.dataPlane).toEqual({ choice: 'native', source: 'setting', kind: 'native' });
    await b.handlers['bridge:stop']();
    expect((await b.handlers['bridge:start'](LEGS)).ok).toBe(true);
    expect(built).toEqual([{ dataPlane: 'native' }, { dataPlane: 'auto' }]);
    // auto fell back: the reason reaches the page, and the log.
    expect((await value(b.handlers['bridge:setup']()))?.dataPlane).toEqual({
      choice: 'auto',
      source: 'setting',
      kind: 'js',
      fallback: 'the native data plane is not built',
    });
    expect(logs).toContain('data plane: js (asked: auto): the native data plane is not built');
  });

  it('VXB_DATA_PLANE wins over the setting, and the page is told so', async () => {
    await value(make().handlers['settings:set']({ dataPlane: 'js' }));
    const b = make({ VXB_DATA_PLANE: 'native' });
    expect((await b.handlers['bridge:start'](LEGS)).ok).toBe(true);
    expect(built).toEqual([{ dataPlane: 'native' }]);
    expect((await value(b.handlers['bridge:setup']()))?.dataPlane).toEqual({ choice: 'native', source: 'env', kind: 'native' });
    expect(logs).toContain('data plane: native (asked: native, from VXB_DATA_PLANE)');
  });

  it('a bridge that cannot tell which data plane it runs on leaves it out, rather than guess', async () => {
    const b = createBackend({
      host: 'browser',
      version: '1',
      profiles: createProfileStore({ dataDir }),
      env: {},
      createBridge: (legs) => createFakeBridge(legs),
      listNics: async () => [],
    });
    backends.push(b);
    expect((await b.handlers['bridge:start'](LEGS)).ok).toBe(true);
    const setup = await value(b.handlers['bridge:setup']());
    expect(setup).not.toBeNull();
    expect(setup && 'dataPlane' in setup).toBe(false);
  });
});
