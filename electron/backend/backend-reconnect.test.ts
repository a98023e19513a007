// What a page that (re)connects to a running bridge asks the backend:
// 'bridge:setup' (what runs, as set up) and 'bridge:events' (the recent events).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSetup } from '../contract/ipc-contract.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createBackend, type Backend } from './backend.js';
import { fakeBridgeFactory, type FakeBridge } from './fake-bridge.js';
import { RECENT_EVENTS_MAX } from './event-ring.js';

const KEY = 's3cret-key-42';
const LEGS = ['5000#W:E@eth0', `5000#V:E@10.0.0.1:0*${KEY}:8000`];

let dataDir: string;
let bridges: FakeBridge[];
let logs: string[];
let backend: Backend;

function make(): Backend {
  return createBackend({
    host: 'browser',
    version: '9.9.9',
    platform: 'linux',
    profiles: createProfileStore({ dataDir }),
    createBridge: fakeBridgeFactory((fb) => bridges.push(fb)),
    listNics: async () => [],
    log: (line) => logs.push(line),
  });
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-reconnect-'));
  bridges = [];
  logs = [];
  backend = make();
});
afterEach(async () => {
  await backend.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function setup(b = backend): Promise<RunningSetup | null> {
  const r = await b.handlers['bridge:setup']();
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe("'bridge:setup': what runs", () => {
  it('is null while nothing runs, the legs as typed while one runs, null again after Stop', async () => {
    expect(await setup()).toBeNull();
    const before = Date.now();
    expect((await backend.handlers['bridge:start'](LEGS)).ok).toBe(true);
    const s = await setup();
    expect(s).toMatchObject({ legs: LEGS, profile: null });
    expect(s!.startedAt).toBeGreaterThanOrEqual(before);
    await backend.handlers['bridge:stop']();
    expect(await setup()).toBeNull();
  });

  it('a failed start leaves no setup behind', async () => {
    expect(await backend.handlers['bridge:start'](['5000#W:E@eth0', 'junk'])).toMatchObject({ ok: false });
    expect(await setup()).toBeNull();
  });

  it('a refused second start keeps the first setup', async () => {
    await backend.handlers['bridge:start'](LEGS, 'lab');
    expect(await backend.handlers['bridge:start'](['7#W:E@eth1'], null)).toMatchObject({ ok: false });
    expect((await setup())?.legs).toEqual(LEGS);
  });

  it('started from a profile: its name and saved legs; an edited setup differs from them', async () => {
    await backend.handlers['profiles:save']({ version: 1, name: 'lab', legs: [LEGS[0]], autoStart: true });
    await backend.handlers['bridge:start'](LEGS, 'lab');
    expect(await setup()).toMatchObject({ legs: LEGS, profile: { name: 'lab', legs: [LEGS[0]], autoStart: true } });
  });

  it('does not mark the profile as recently used when asked', async () => {
    await backend.handlers['profiles:save']({ version: 1, name: 'lab', legs: LEGS });
    await backend.handlers['profiles:save']({ version: 1, name: 'other', legs: LEGS });
    await backend.handlers['bridge:start'](LEGS, 'lab');
    await setup();
    expect(await backend.handlers['profiles:recent']()).toEqual({ ok: true, value: ['other', 'lab'] });
  });

  it('Save as while running: the setup becomes that profile, unmodified; a rename follows it, a delete unsets it', async () => {
    await backend.handlers['bridge:start'](LEGS);
    expect(await backend.handlers['profiles:save']({ version: 1, name: 'saved while running', legs: LEGS })).toMatchObject({ ok: true });
    expect((await setup())?.profile).toEqual({ name: 'saved while running', legs: LEGS, autoStart: false });
    await backend.handlers['profiles:rename']('saved while running', 'site');
    expect((await setup())?.profile?.name).toBe('site');
    await backend.handlers['profiles:delete']('site');
    expect((await setup())?.profile).toBeNull();
  });

  it('a profile saved with other legs is not what runs', async () => {
    await backend.handlers['bridge:start'](LEGS);
    await backend.handlers['profiles:save']({ version: 1, name: 'other', legs: [LEGS[0]] });
    expect((await setup())?.profile).toBeNull();
  });

  it('auto-start runs as its profile', async () => {
    await backend.handlers['profiles:save']({ version: 1, name: 'auto', legs: LEGS, autoStart: true });
    const fresh = make();
    try {
      await fresh.autoStart();
      expect(await setup(fresh)).toMatchObject({ legs: LEGS, profile: { name: 'auto', autoStart: true } });
    } finally {
      await fresh.dispose();
    }
  });

  it('never writes the legs (or their key) to the log', async () => {
    await backend.handlers['bridge:start'](LEGS, 'lab');
    await setup();
    await backend.handlers['bridge:stop']();
    await backend.handlers['bridge:start'](['5000#V:E@10.0.0.1:300.0.0.1*' + KEY]);
    expect(logs.join('\n')).not.toContain(KEY);
  });
});

describe("'bridge:events': the recent events a page replays", () => {
  it('keeps the engine events with their time, oldest first, across stop and start', async () => {
    expect(await backend.handlers['bridge:events']()).toEqual({ ok: true, value: [] });
    await backend.handlers['bridge:start'](LEGS);
    const t0 = Date.now();
    bridges[0]!.emit({ type: 'peer-learned', leg: 1, address: '192.0.2.7:4789' });
    bridges[0]!.emit({ type: 'warning', leg: 0, message: 'offload on' });
    await backend.handlers['bridge:stop']();
    const r = await backend.handlers['bridge:events']();
    if (!r.ok) throw new Error(r.error);
    expect(r.value.map((e) => e.event)).toEqual([
      { type: 'peer-learned', leg: 1, address: '192.0.2.7:4789' },
      { type: 'warning', leg: 0, message: 'offload on' },
    ]);
    expect(r.value[0]!.time).toBeGreaterThanOrEqual(t0);
  });

  it(`is bounded (${RECENT_EVENTS_MAX})`, async () => {
    await backend.handlers['bridge:start'](LEGS);
    for (let i = 0; i < RECENT_EVENTS_MAX + 10; i++) bridges[0]!.emit({ type: 'warning', leg: 0, message: `w${i}` });
    const r = await backend.handlers['bridge:events']();
    expect(r.ok && r.value.length).toBe(RECENT_EVENTS_MAX);
    expect(r.ok && r.value[0]!.event).toEqual({ type: 'warning', leg: 0, message: 'w10' });
  });
});
