import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProfileStore } from './profiles/profile-store.js';
import { createBackend } from './backend.js';
import { createFakeBridge } from './fake-bridge.js';
import type { LegSpec } from '../model/leg-spec.js';
import type { DataPlaneOutcome } from '../model/data-plane.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import type { DataPlaneLauncher, FromDataPlane, ToDataPlane } from './data-plane/protocol.js';
import { createRealBackend } from './real-backend.js';

describe('backend with the real grammar', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('resolves W leg adapters before building the bridge, and names the leg when it cannot', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-real-'));
    dirs.push(dataDir);
    const built: (readonly LegSpec[])[] = [];
    const b = createBackend({
      host: 'browser',
      version: '1',
      profiles: createProfileStore({ dataDir }),
      createBridge: (legs) => {
        built.push(legs);
        return createFakeBridge(legs);
      },
      listNics: async () => [],
      resolveNic: async (q) => (q === 'Loopback' ? { ok: true, name: '\\Device\\NPF_{1234}' } : { ok: false, error: `No network adapter matches "${q}".` }),
    });
    const r = await b.handlers['bridge:start'](['5000#W:E@Loopback', '5000#V:E@10.0.0.1:10.0.0.2']);
    expect(r.ok).toBe(true);
    expect(built[0]?.[0]).toMatchObject({ kind: 'W', nic: '\\Device\\NPF_{1234}' });
    await b.handlers['bridge:stop']();
    expect(await b.handlers['bridge:start'](['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@wifi'])).toEqual({ ok: false, error: 'legs[1]: No network adapter matches "wifi".' });
    const bad = await b.handlers['bridge:start'](['5000#V:E@10.0.0.1:0*topsecret:99999']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatch(/^legs\[0\]: invalid leg "5000#V:E@10\.0\.0\.1:0\*\*\*\*\*:99999": /);
      expect(bad.error).not.toContain('topsecret');
    }
    await b.dispose();
  });
});

describe('the real backend and its data-plane process', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A data-plane launcher in memory: records each 'start', answers as a process on `kind` would. */
  function fakeLauncher(kind: DataPlaneOutcome['kind'], fallback?: string) {
    const starts: Extract<ToDataPlane, { type: 'start' }>[] = [];
    const launch: DataPlaneLauncher = () => {
      let listener: (m: FromDataPlane) => void = () => {};
      let exit: (code: number | null, signal: string | null) => void = () => {};
      const snapshot = (running: boolean): BridgeSnapshot => ({ time: Date.now(), running, legs: [], peers: [], macs: [], peerCount: 0, macCount: 0 });
      return {
        pid: 1,
        send(m) {
          queueMicrotask(() => {
            if (m.type === 'start') {
              starts.push(m);
              listener({ type: 'started', snapshot: snapshot(true), dataPlane: { kind, ...(fallback ? { fallback } : {}) } });
            } else {
              listener({ type: 'stopped', snapshot: snapshot(false) });
              exit(0, null);
            }
          });
        },
        onMessage: (l) => void (listener = l),
        onExit: (l) => void (exit = l),
        kill: () => exit(null, 'SIGKILL'),
      };
    };
    return { launch, starts };
  }

  it('passes the data plane chosen at Start to the process it launches (the setting, or VXB_DATA_PLANE over it), and shows what runs', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-real-dp-'));
    dirs.push(dataDir);
    const legs = ['7#U:E@127.0.0.1:40000:127.0.0.1:40001'];

    const js = fakeLauncher('js');
    const a = createRealBackend({ host: 'browser', version: '1', dataDir, dataPlane: js.launch, env: {} });
    expect((await a.handlers['settings:set']({ dataPlane: 'js' })).ok).toBe(true);
    expect((await a.handlers['bridge:start'](legs)).ok).toBe(true);
    expect(js.starts.map((m) => m.dataPlane)).toEqual(['js']);
    expect(await a.handlers['bridge:setup']()).toMatchObject({ ok: true, value: { dataPlane: { choice: 'js', source: 'setting', kind: 'js' } } });
    await a.dispose();

    // Another host on the same data folder (the app and ubdg ui share it), with VXB_DATA_PLANE set: it wins.
    const native = fakeLauncher('native');
    const b = createRealBackend({ host: 'electron', version: '1', dataDir, dataPlane: native.launch, env: { VXB_DATA_PLANE: 'native' } });
    expect((await b.handlers['bridge:start'](legs)).ok).toBe(true);
    expect(native.starts.map((m) => m.dataPlane)).toEqual(['native']);
    expect(await b.handlers['bridge:setup']()).toMatchObject({ ok: true, value: { dataPlane: { choice: 'native', source: 'env', kind: 'native' } } });
    await b.dispose();

    // auto, fallen back: the reason reaches the page.
    const auto = fakeLauncher('js', 'the native data plane is not built (run npm ci, or node build/scripts/build-native.js)');
    const c = createRealBackend({ host: 'browser', version: '1', dataDir, dataPlane: auto.launch, env: {} });
    expect((await c.handlers['settings:set']({ dataPlane: 'auto' })).ok).toBe(true);
    expect((await c.handlers['bridge:start'](legs)).ok).toBe(true);
    expect(auto.starts.map((m) => m.dataPlane)).toEqual(['auto']);
    expect(await c.handlers['bridge:setup']()).toMatchObject({
      ok: true,
      value: { dataPlane: { choice: 'auto', source: 'setting', kind: 'js', fallback: expect.stringContaining('not built') } },
    });
    await c.dispose();
  });
});
