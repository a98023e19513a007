import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CaptureError } from '../engine/ports/capture-port.js';
import { API_METHODS, INVOKE_CHANNELS } from '../contract/ipc-contract.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createBackend, type Backend, type BackendDeps, type PushMessage } from './backend.js';
import { fakeBridgeFactory, type FakeBridge, type FakeBridgeOptions } from './fake-bridge.js';

let dataDir: string;
let bridges: FakeBridge[];
let bridgeOpts: FakeBridgeOptions;
let pushes: PushMessage[];
let backend: Backend;

function make(extra: Partial<BackendDeps> = {}): Backend {
  const profiles = createProfileStore({ dataDir });
  const b = createBackend({
    host: 'browser',
    version: '9.9.9',
    platform: 'linux',
    profiles,
    createBridge: fakeBridgeFactory(
      (fb) => bridges.push(fb),
      () => bridgeOpts,
    ),
    listNics: async () => [{ name: 'eth0', description: 'eth0', index: 1, addresses: [], flags: { up: true, loopback: false, wireless: false } }],
    ...extra,
  });
  b.subscribe((m) => pushes.push(m));
  return b;
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-backend-'));
  bridges = [];
  bridgeOpts = {};
  pushes = [];
  backend = make();
});
afterEach(async () => {
  await backend.dispose();
  vi.useRealTimers();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const LEGS = ['5000#W:E@eth0', '5000#V:E@10.0.0.1:0'];

describe('handlers', () => {
  it('has one handler per contract channel and per API method', () => {
    expect(Object.keys(backend.handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
    for (const channel of Object.values(API_METHODS)) expect(typeof backend.handlers[channel]).toBe('function');
  });

  // Bad input of every kind, on every channel that takes input: an error, never a throw.
  const bad: readonly [string, unknown[], string][] = [
    ['app:info', [1], 'expected 0 arguments, got 1'],
    ['bridge:start', [], 'expected 1 to 2 arguments, got 0'],
    ['bridge:start', [['5000#W:E@eth0'], 'lab', 3], 'expected 1 to 2 arguments, got 3'],
    ['bridge:start', [['5000#W:E@eth0'], 42], 'profile: expected a string, got number'],
    ['bridge:start', [['5000#W:E@eth0'], ''], 'profile: expected 1 to 256 characters'],
    ['bridge:start', [['5000#W:E@eth0'], { name: 'lab' }], 'profile: expected a string, got an object'],
    ['bridge:setup', [1], 'expected 0 arguments, got 1'],
    ['bridge:events', [[]], 'expected 0 arguments, got 1'],
    ['bridge:start', ['5000#W:E@eth0'], 'legs: expected a list of leg strings'],
    ['bridge:start', [[]], 'legs: add at least one leg'],
    ['bridge:start', [[42]], 'legs[0]: expected a leg string, got number'],
    ['bridge:start', [['5000#W:E@eth0', 'junk']], 'legs[1]: invalid leg "junk"'],
    ['bridge:start', [['5000#W:E']], 'legs[0]: pick a network adapter'],
    ['bridge:start', [['1#W:E@x'.padEnd(600, 'x')]], 'longer than 512'],
    ['bridge:start', [{ length: 1, 0: '1#W:E@eth0' }], 'legs: expected a list'],
    ['bridge:start', [null], 'legs: expected a list'],
    ['profiles:load', [null], 'name: expected a string, got null'],
    ['profiles:load', ['../../etc/passwd'], 'name: must not contain "/"'],
    ['profiles:load', ['x'.repeat(1000)], 'name: expected 1 to 256 characters'],
    ['profiles:save', [{ version: 1, name: 'a', legs: ['1#Q:E'] }], 'legs[0]: invalid leg "1#Q:E"'],
    ['profiles:save', [{ version: 1, name: 'a', legs: [], __proto__: { x: 1 } }], ''],
    ['profiles:save', ['not a profile'], 'profile: expected a JSON object'],
    ['profiles:save', [], 'expected 1 argument'],
    ['profiles:rename', ['a'], 'expected 2 arguments, got 1'],
    ['profiles:rename', ['a', 7], 'to: expected a string, got number'],
    ['profiles:delete', [{}], 'name: expected a string, got an object'],
    ['profiles:import', [42], "jsonText: expected the file's text or null"],
    ['profiles:import', ['{'], 'not a valid vxbridge profile: profile: not valid JSON'],
    ['profiles:import', [' '.repeat(300_000)], 'larger than 256 KiB'],
    ['profiles:import', [null], 'No file dialog here'],
    ['profiles:export', ['a', { includeKeys: false }], 'needs the desktop app'],
    ['profiles:exportJson', ['nope', { includeKeys: false }], 'There is no profile named "nope"'],
    // The export options: exactly { includeKeys: boolean }, on both export channels.
    ['profiles:export', ['a'], 'expected 2 arguments, got 1'],
    ['profiles:exportJson', ['a'], 'expected 2 arguments, got 1'],
    ['profiles:exportJson', ['a', { includeKeys: false }, 1], 'expected 2 arguments, got 3'],
    ['profiles:exportJson', [7, { includeKeys: false }], 'name: expected a string, got number'],
    ['profiles:exportJson', ['a', null], 'options: expected { includeKeys: true or false }, got null'],
    ['profiles:exportJson', ['a', true], 'options: expected { includeKeys: true or false }, got boolean'],
    ['profiles:exportJson', ['a', [true]], 'options: expected { includeKeys: true or false }, got a list'],
    ['profiles:exportJson', ['a', {}], 'options.includeKeys: expected true or false, got nothing'],
    ['profiles:exportJson', ['a', { includeKeys: 'yes' }], 'options.includeKeys: expected true or false, got string'],
    ['profiles:exportJson', ['a', { includeKeys: 1 }], 'options.includeKeys: expected true or false, got number'],
    ['profiles:exportJson', ['a', { includeKeys: false, extra: 1 }], 'options.extra: unknown field'],
    ['profiles:exportJson', ['a', JSON.parse('{"__proto__": {"includeKeys": true}}')], 'options.__proto__: unknown field'],
    ['profiles:exportJson', ['a', Object.create({ includeKeys: true })], 'options.includeKeys: expected true or false, got nothing'],
    ['profiles:export', ['a', { includeKeys: null }], 'options.includeKeys: expected true or false, got null'],
    ['profiles:export', ['a', 'includeKeys'], 'options: expected { includeKeys: true or false }, got string'],
  ];
  it.each(bad)('%s %j → error', async (channel, args, error) => {
    const r = await backend.invoke(channel, args);
    if (error === '') return; // only "does not throw"
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(error);
  });

  it.each(['5000#X:E', '99999999#W:E', 'garbage', '5000#V:E@10.0.0.1'])('bridge:start names a bad leg %s in one line, with what was expected', async (leg) => {
    const r = await backend.invoke('bridge:start', [[leg]]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^legs\[0\]: invalid leg "[^\n]*; expected [^\n]*$/);
  });

  it('rejects unknown channels and non-list arguments', async () => {
    expect(await backend.invoke('shell:exec', [])).toEqual({ ok: false, error: 'Unknown channel "shell:exec"' });
    expect(await backend.invoke(undefined, [])).toMatchObject({ ok: false });
    expect(await backend.invoke('__proto__', [])).toMatchObject({ ok: false });
    expect(await backend.invoke('toString', [])).toMatchObject({ ok: false });
    expect(await backend.invoke('app:info', 'x')).toEqual({ ok: false, error: 'app:info: arguments must be a list' });
  });

  it('app info, with the capture problem when there is one', async () => {
    expect(await backend.handlers['app:info']()).toEqual({
      ok: true,
      value: { version: '9.9.9', platform: 'linux', host: 'browser', profilesDir: path.join(dataDir, 'profiles') },
    });
    const b = make({ captureProblem: async () => 'Npcap is not installed.' });
    const r = await b.handlers['app:info']();
    expect(r.ok && r.value.captureProblem).toBe('Npcap is not installed.');
  });

  it('lists NICs, and explains capture errors', async () => {
    const r = await backend.handlers['nics:list']();
    expect(r.ok && r.value.map((n) => n.name)).toEqual(['eth0']);
    const b = make({
      listNics: async () => {
        throw new CaptureError('driver-missing', 'Npcap is not installed.', 'Install it from https://npcap.com/#download.');
      },
    });
    expect(await b.handlers['nics:list']()).toEqual({
      ok: false,
      error: 'Cannot list network adapters: Npcap is not installed. Fix: Install it from https://npcap.com/#download.',
    });
  });

  it('turns an unexpected exception into an error result', async () => {
    const b = make({
      listNics: () => {
        throw new TypeError('boom');
      },
    });
    expect(await b.handlers['nics:list']()).toMatchObject({ ok: false, error: expect.stringContaining('boom') });
  });
});

describe('bridge', () => {
  it('starts, reports status, stops', async () => {
    expect(await backend.handlers['bridge:status']()).toEqual({ ok: true, value: null });
    const r = await backend.handlers['bridge:start'](LEGS);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.legs.map((l) => l.state)).toEqual(['running', 'running']);
    expect(bridges).toHaveLength(1);
    expect(bridges[0]?.legs.map((l) => l.kind)).toEqual(['W', 'V']);
    const st = await backend.handlers['bridge:status']();
    expect(st.ok && st.value?.running).toBe(true);
    expect(await backend.handlers['bridge:start'](LEGS)).toEqual({ ok: false, error: 'A bridge is already running: stop it first.' });
    expect(await backend.handlers['bridge:stop']()).toEqual({ ok: true, value: null });
    expect(bridges[0]?.calls).toEqual(['start', 'stop']);
    expect(await backend.handlers['bridge:status']()).toEqual({ ok: true, value: null });
    expect(await backend.handlers['bridge:stop']()).toEqual({ ok: true, value: null }); // idempotent
    const last = pushes.at(-1);
    expect(last?.channel === 'bridge:snapshot' && last.payload.running).toBe(false);
  });

  it('refuses a second start while the first is still starting', async () => {
    bridgeOpts = { startDelayMs: 50 };
    const [a, b] = await Promise.all([backend.handlers['bridge:start'](LEGS), backend.handlers['bridge:start'](LEGS)]);
    expect(a.ok).toBe(true);
    expect(b).toEqual({ ok: false, error: 'A bridge is already running: stop it first.' });
    expect(bridges).toHaveLength(1);
  });

  it('a stop while adapters are still resolving cancels the start', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await backend.dispose();
    backend = make({
      resolveNic: async (q) => {
        await gate;
        return { ok: true, name: q };
      },
    });
    const start = backend.handlers['bridge:start'](LEGS);
    await new Promise((r) => setTimeout(r, 10));
    expect(await backend.handlers['bridge:stop']()).toEqual({ ok: true, value: null });
    release();
    expect(await start).toEqual({ ok: false, error: 'The bridge was stopped before it finished starting.' });
    expect(bridges).toHaveLength(0);
    expect(await backend.handlers['bridge:status']()).toEqual({ ok: true, value: null });
    // and a later start works again
    expect((await backend.handlers['bridge:start'](LEGS)).ok).toBe(true);
  });

  it('a stop while the bridge is starting leaves nothing running', async () => {
    bridgeOpts = { startDelayMs: 50 };
    const start = backend.handlers['bridge:start'](LEGS);
    await new Promise((r) => setTimeout(r, 10));
    expect(await backend.handlers['bridge:stop']()).toEqual({ ok: true, value: null });
    expect(await start).toEqual({ ok: false, error: 'The bridge was stopped before it finished starting.' });
    expect(bridges[0]?.calls).toEqual(['start', 'stop']);
    expect(await backend.handlers['bridge:status']()).toEqual({ ok: true, value: null });
  });

  it('reports a start failure and cleans up', async () => {
    bridgeOpts = { startError: new CaptureError('permission', 'No permission to capture on "eth0".', 'Run as root.') };
    expect(await backend.handlers['bridge:start'](LEGS)).toEqual({
      ok: false,
      error: 'Cannot start the bridge: No permission to capture on "eth0". Fix: Run as root.',
    });
    expect(bridges[0]?.calls).toEqual(['start', 'stop']);
    expect(await backend.handlers['bridge:status']()).toEqual({ ok: true, value: null });
  });

  it('fails when no leg could start, keeps going when some could', async () => {
    bridgeOpts = { legState: () => 'error' };
    const r = await backend.handlers['bridge:start'](LEGS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/^No leg could start:\nleg 1 .*fake failure\nleg 2 /);
    bridgeOpts = { legState: (l) => (l.kind === 'W' ? 'error' : 'running') };
    const r2 = await backend.handlers['bridge:start'](LEGS);
    expect(r2.ok && r2.value.legs.map((l) => l.state)).toEqual(['error', 'running']);
  });

  it('pushes about 4 snapshots a second, not one per packet, and forwards events', async () => {
    vi.useFakeTimers();
    await backend.handlers['bridge:start'](LEGS);
    const before = pushes.filter((p) => p.channel === 'bridge:snapshot').length;
    await vi.advanceTimersByTimeAsync(1000);
    const snaps = pushes.filter((p) => p.channel === 'bridge:snapshot').length - before;
    expect(snaps).toBe(4);
    bridges[0]?.emit({ type: 'peer-learned', leg: 1, address: '203.0.113.9:4789' });
    expect(pushes.at(-1)).toEqual({ channel: 'bridge:event', payload: { type: 'peer-learned', leg: 1, address: '203.0.113.9:4789' } });
    await backend.handlers['bridge:stop']();
    const after = pushes.length;
    await vi.advanceTimersByTimeAsync(2000);
    expect(pushes.length).toBe(after); // ticker gone
    bridges[0]?.emit({ type: 'warning', leg: 0, message: 'late' });
    expect(pushes.length).toBe(after); // unsubscribed from the stopped bridge
  });

  it('does not build snapshots when nobody listens', async () => {
    vi.useFakeTimers();
    // a backend with no subscribers at all:
    const lonely = createBackend({
      host: 'browser',
      version: '1',
      profiles: createProfileStore({ dataDir }),
      createBridge: fakeBridgeFactory((fb) => bridges.push(fb)),
      listNics: async () => [],
    });
    await lonely.handlers['bridge:start'](LEGS);
    const fb = bridges.at(-1);
    const n = fb?.snapshots ?? 0;
    await vi.advanceTimersByTimeAsync(5000);
    expect(fb?.snapshots).toBe(n);
    await lonely.dispose();
  });

  it('a throwing subscriber does not break the others', async () => {
    const seen: string[] = [];
    backend.subscribe(() => {
      throw new Error('bad listener');
    });
    backend.subscribe((m) => seen.push(m.channel));
    await backend.handlers['bridge:start'](LEGS);
    expect(seen).toContain('bridge:snapshot');
  });

  it('dispose stops the bridge', async () => {
    await backend.handlers['bridge:start'](LEGS);
    await backend.dispose();
    expect(bridges[0]?.calls).toEqual(['start', 'stop']);
    expect(await backend.handlers['bridge:start'](LEGS)).toMatchObject({ ok: false, error: 'The app is shutting down.' });
  });
});

describe('profiles through the backend', () => {
  it('save, list, load, rename, recent, delete', async () => {
    const saved = await backend.handlers['profiles:save']({ version: 1, name: 'lab', legs: LEGS });
    expect(saved).toMatchObject({ ok: true, value: { name: 'lab', legCount: 2 } });
    expect(await backend.handlers['profiles:list']()).toMatchObject({ ok: true, value: [{ name: 'lab' }] });
    expect(await backend.handlers['profiles:load']('lab')).toMatchObject({ ok: true, value: { legs: LEGS } });
    expect(await backend.handlers['profiles:rename']('lab', 'site')).toMatchObject({ ok: true, value: { name: 'site' } });
    expect(await backend.handlers['profiles:recent']()).toEqual({ ok: true, value: ['site'] });
    expect(await backend.handlers['profiles:load']('lab')).toEqual({ ok: false, error: 'There is no profile named "lab".' });
    expect(await backend.handlers['profiles:delete']('site')).toEqual({ ok: true, value: null });
    expect(await backend.handlers['profiles:list']()).toEqual({ ok: true, value: [] });
  });

  it('export/import through dialogs (Electron) and as text (browser)', async () => {
    const written: string[] = [];
    const b = make({
      host: 'electron',
      dialogs: {
        exportProfile: async (fileName, json) => {
          written.push(fileName, json);
          return `/home/u/${fileName}`;
        },
        importProfile: async () => written[1] ?? null,
      },
    });
    await b.handlers['profiles:save']({ version: 1, name: 'lab', legs: LEGS });
    expect(await b.handlers['profiles:export']('lab', { includeKeys: false })).toEqual({ ok: true, value: '/home/u/lab.vxbridge.json' });
    expect(await b.handlers['profiles:import'](null)).toMatchObject({ ok: true, value: { name: 'lab (2)' } });
    const ex = await backend.handlers['profiles:exportJson']('lab', { includeKeys: false });
    expect(ex.ok && ex.value.fileName).toBe('lab.vxbridge.json');
    if (ex.ok) expect(await backend.handlers['profiles:import'](ex.value.json)).toMatchObject({ ok: true, value: { name: 'lab (3)' } });
    const cancelled = make({ dialogs: { exportProfile: async () => null, importProfile: async () => null } });
    expect(await cancelled.handlers['profiles:import'](null)).toEqual({ ok: true, value: null });
    expect(await cancelled.handlers['profiles:export']('lab', { includeKeys: true })).toEqual({ ok: true, value: null });
  });

  const KEYED = ['5000#W:E@eth0', '5000#V:E@203.0.113.5:0*s3cret-A:8000', '6000#V:E@*:203.0.113.9*env:SITE_KEY', '7000#V:E@10.0.0.1:10.0.0.2*file:/etc/vxbridge/lab.key'];

  it('exports without the typed keys unless asked: each becomes *env:VXBRIDGE_KEY, env:/file: stay', async () => {
    await backend.handlers['profiles:save']({ version: 1, name: 'keyed', legs: KEYED });
    expect(await backend.handlers['profiles:list']()).toMatchObject({ ok: true, value: [{ name: 'keyed', literalKeys: true }] });

    const without = await backend.handlers['profiles:exportJson']('keyed', { includeKeys: false });
    if (!without.ok) throw new Error(without.error);
    expect(without.value.json).not.toContain('s3cret-A');
    expect(JSON.parse(without.value.json).legs).toEqual([
      '5000#W:E@eth0',
      '5000#V:E@203.0.113.5:0*env:VXBRIDGE_KEY:8000',
      '6000#V:E@*:203.0.113.9*env:SITE_KEY',
      '7000#V:E@10.0.0.1:10.0.0.2*file:/etc/vxbridge/lab.key',
    ]);
    // The exported leg is still encrypted once imported: it names where the key comes from.
    expect(await backend.handlers['profiles:import'](without.value.json)).toMatchObject({ ok: true, value: { name: 'keyed (2)', legCount: 4 } });
    const imported = await backend.handlers['profiles:load']('keyed (2)');
    expect(imported.ok && imported.value.legs[1]).toBe('5000#V:E@203.0.113.5:0*env:VXBRIDGE_KEY:8000');
    const listed = await backend.handlers['profiles:list']();
    expect(listed.ok && listed.value.map((p) => [p.name, p.literalKeys === true])).toEqual([
      ['keyed', true],
      ['keyed (2)', false],
    ]);

    const withKeys = await backend.handlers['profiles:exportJson']('keyed', { includeKeys: true });
    expect(withKeys.ok && JSON.parse(withKeys.value.json).legs).toEqual(KEYED);
  });

  it('the save-dialog export takes the same options', async () => {
    const written: string[] = [];
    const b = make({
      host: 'electron',
      dialogs: {
        exportProfile: async (fileName, json) => {
          written.push(json);
          return `/home/u/${fileName}`;
        },
        importProfile: async () => null,
      },
    });
    await b.handlers['profiles:save']({ version: 1, name: 'keyed', legs: KEYED });
    expect(await b.handlers['profiles:export']('keyed', { includeKeys: false })).toEqual({ ok: true, value: '/home/u/keyed.vxbridge.json' });
    expect(written[0]).not.toContain('s3cret-A');
    expect(written[0]).toContain('*env:VXBRIDGE_KEY:8000');
    expect((await b.handlers['profiles:export']('keyed', { includeKeys: true })).ok).toBe(true);
    expect(written[1]).toContain('*s3cret-A:8000');
    // A bad options argument writes nothing.
    expect(await b.handlers['profiles:export']('keyed', { includeKeys: 'no' })).toMatchObject({ ok: false });
    expect(written).toHaveLength(2);
  });

  it('auto-starts the last used profile when flagged', async () => {
    expect(await backend.autoStart()).toBeNull();
    await backend.handlers['profiles:save']({ version: 1, name: 'auto', legs: LEGS, autoStart: true });
    const fresh = make();
    const r = await fresh.autoStart();
    expect(r?.profile).toBe('auto');
    expect(r?.result.ok).toBe(true);
    await fresh.dispose();
  });
});
