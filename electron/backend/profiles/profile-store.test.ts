import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeAtomicFs, type AtomicFs } from './atomic-write.js';
import { createProfileStore, ProfileError, type ProfileStore } from './profile-store.js';

let dataDir: string;
let store: ProfileStore;
let clock = 0;
const open = (extra: Partial<Parameters<typeof createProfileStore>[0]> = {}): ProfileStore =>
  createProfileStore({ dataDir, now: () => new Date(Date.UTC(2025, 0, 1) + clock++ * 1000), ...extra });

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-profiles-'));
  store = open();
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const profile = (name: string, legs: string[] = ['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2'], extra = {}) => ({ version: 1, name, legs, ...extra });
const file = (name: string) => path.join(dataDir, 'profiles', `${name}.json`);

async function rejection(p: Promise<unknown>): Promise<ProfileError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return err as ProfileError;
  }
  throw new Error('expected a rejection');
}

describe('profile store', () => {
  it('saves, lists and loads', async () => {
    const s = await store.save(profile('lab'));
    expect(s).toEqual({ name: 'lab', legCount: 2, updatedAt: '2025-01-01T00:00:00.000Z' });
    expect(JSON.parse(fs.readFileSync(file('lab'), 'utf8'))).toMatchObject({ version: 1, name: 'lab' });
    await store.save(profile('alpha', []));
    expect((await store.list()).map((p) => p.name)).toEqual(['alpha', 'lab']);
    expect(await store.load('lab')).toMatchObject({ version: 1, name: 'lab', legs: ['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2'] });
  });

  it('overwrites on save (save, then save again = "save")', async () => {
    await store.save(profile('lab'));
    await store.save(profile('lab', ['1#W:E@eth1'], { autoStart: true }));
    expect(await store.load('lab')).toMatchObject({ legs: ['1#W:E@eth1'], autoStart: true });
    expect(fs.readdirSync(path.join(dataDir, 'profiles'))).toEqual(['lab.json']);
  });

  const badSaves: readonly [string, unknown, string][] = [
    ['path traversal', profile('../evil'), 'name: must not contain "/"'],
    ['windows separator', profile('a\\b'), 'name: must not contain "\\\\"'],
    ['drive letter', profile('C:evil'), 'name: must not contain ":"'],
    ['bad leg', profile('lab', ['5000#W:E', 'nonsense']), 'legs[1]: invalid leg "nonsense"'],
    ['not a profile', 'lab', 'profile: expected a JSON object, got string'],
  ];
  it.each(badSaves)('save rejects %s', async (_l, input, msg) => {
    const err = await rejection(store.save(input));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain(msg);
    expect(await store.list()).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'profiles'))).toEqual([]);
  });

  const corrupt: readonly [string, string, string][] = [
    ['empty file', '', 'file is empty'],
    ['truncated JSON', '{"version":1,"name":"x","le', 'not valid JSON'],
    ['bad third leg', JSON.stringify(profile('x', ['1#W:E', '2#W:E', '3#Z:E'])), 'legs[2]: invalid leg "3#Z:E"'],
    ['wrong version', JSON.stringify({ ...profile('x'), version: 7 }), 'version: 7 was written by a newer vxbridge'],
    ['autoStart junk', JSON.stringify({ ...profile('x'), autoStart: 1 }), 'autoStart: expected true or false'],
  ];
  it.each(corrupt)('load of a corrupt file (%s) names the problem; list still shows it', async (_l, text, msg) => {
    fs.mkdirSync(path.join(dataDir, 'profiles'), { recursive: true });
    fs.writeFileSync(file('broken'), text);
    const err = await rejection(store.load('broken'));
    expect(err.code).toBe('invalid');
    expect(err.message).toContain('Profile "broken" is not valid');
    expect(err.message).toContain(msg);
    const listed = await store.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'broken', legCount: 0 });
    expect(listed[0]?.problem).toContain(msg);
  });

  it('load of a missing profile', async () => {
    expect((await rejection(store.load('nope'))).code).toBe('not-found');
    expect((await rejection(store.load('../../etc/passwd'))).code).toBe('invalid');
  });

  it('uses the file name when the file was renamed by hand', async () => {
    await store.save(profile('orig'));
    fs.renameSync(file('orig'), file('copied'));
    expect((await store.load('copied')).name).toBe('copied');
  });

  it('renames, refusing to overwrite', async () => {
    await store.save(profile('a'));
    await store.save(profile('b'));
    expect((await rejection(store.rename('a', 'b'))).code).toBe('exists');
    expect((await rejection(store.rename('zz', 'c'))).code).toBe('not-found');
    expect((await rejection(store.rename('a', 'x/y'))).message).toContain('to: must not contain "/"');
    const s = await store.rename('a', 'c');
    expect(s.name).toBe('c');
    expect((await store.list()).map((p) => p.name)).toEqual(['b', 'c']);
    expect((await store.load('c')).name).toBe('c');
    expect(await store.recent()).toEqual(['c', 'b']);
  });

  it('renames by case only', async () => {
    await store.save(profile('lab'));
    await store.rename('lab', 'Lab');
    expect((await store.list()).map((p) => p.name)).toEqual(['Lab']);
  });

  it('deletes', async () => {
    await store.save(profile('a'));
    await store.delete('a');
    expect(await store.list()).toEqual([]);
    expect((await rejection(store.delete('a'))).code).toBe('not-found');
  });

  it('keeps a persisted recent list, most recent first, without deleted ones', async () => {
    for (const n of ['a', 'b', 'c']) await store.save(profile(n));
    await store.load('a');
    expect(await store.recent()).toEqual(['a', 'c', 'b']);
    await store.delete('c');
    const reopened = open();
    expect(await reopened.recent()).toEqual(['a', 'b']);
    for (let i = 0; i < 15; i++) await reopened.save(profile(`p${i}`));
    expect(await reopened.recent()).toHaveLength(10);
  });

  it('survives a corrupt recent file', async () => {
    await store.save(profile('a'));
    fs.writeFileSync(path.join(dataDir, 'recent.json'), '{"recent": [1, "../x", "a"');
    expect(await open().recent()).toEqual([]);
    await store.load('a');
    expect(await store.recent()).toEqual(['a']);
  });

  it('auto-starts only the last used profile, and only when flagged', async () => {
    expect(await store.autoStartProfile()).toBeNull();
    await store.save(profile('auto', ['1#W:E@eth0'], { autoStart: true }));
    expect((await open().autoStartProfile())?.name).toBe('auto');
    await store.save(profile('manual'));
    expect(await store.autoStartProfile()).toBeNull();
    await store.load('auto');
    expect((await store.autoStartProfile())?.name).toBe('auto');
    fs.writeFileSync(file('auto'), '{broken');
    expect(await store.autoStartProfile()).toBeNull();
  });

  it('exports and imports, renaming on a name clash', async () => {
    await store.save(profile('site'));
    const exp = await store.exportJson('site', { includeKeys: false });
    expect(exp.fileName).toBe('site.vxbridge.json');
    const s1 = await store.importJson(exp.json);
    expect(s1.name).toBe('site (2)');
    const s2 = await store.importJson(exp.json);
    expect(s2.name).toBe('site (3)');
    expect((await rejection(store.importJson('{"version":1,"name":"x","legs":[5]}'))).message).toContain('legs[0]: expected a leg string');
  });

  it('never arms auto-start on import: the user turns it on', async () => {
    const text = JSON.stringify(profile('armed', ['1#W:E@eth0'], { autoStart: true }));
    const s = await store.importJson(text);
    expect(s.name).toBe('armed');
    const loaded = await store.load('armed');
    expect(loaded.autoStart).toBeUndefined();
    expect(JSON.parse(fs.readFileSync(file('armed'), 'utf8'))).not.toHaveProperty('autoStart');
    // It is the most recent profile now, and still nothing auto-starts.
    expect(await open().autoStartProfile()).toBeNull();
    await store.save({ ...loaded, autoStart: true });
    expect((await open().autoStartProfile())?.name).toBe('armed');
  });

  it("sweeps only its own temp files from the data dir, never the user's", async () => {
    await store.list();
    const notes = path.join(dataDir, '.notes.tmp');
    const ours = path.join(dataDir, '.recent.json.0123456789abcdef.vxbridge.tmp');
    fs.writeFileSync(notes, 'my notes');
    fs.writeFileSync(ours, '[');
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(notes, old, old);
    fs.utimesSync(ours, old, old);
    await open().list();
    expect(fs.readFileSync(notes, 'utf8')).toBe('my notes');
    expect(fs.existsSync(ours)).toBe(false);
  });

  it('flags profiles with typed keys in the list', async () => {
    await store.save(profile('plain'));
    await store.save(profile('typed', ['5000#V:E@10.0.0.1:0*s3cret']));
    await store.save(profile('referenced', ['5000#V:E@10.0.0.1:0*env:LAB_KEY', '5000#V:E@*:10.0.0.1*file:C:\\keys\\lab.key']));
    expect(await store.list()).toEqual([
      { name: 'plain', legCount: 2, updatedAt: expect.any(String) },
      { name: 'referenced', legCount: 2, updatedAt: expect.any(String) },
      { name: 'typed', legCount: 1, updatedAt: expect.any(String), literalKeys: true },
    ]);
  });

  it('exports typed keys only when asked; otherwise as environment variables, one per different key', async () => {
    const legs = [
      '5000#W:E@eth0',
      '5000#V:E@203.0.113.5:0*alpha:8000',
      '5001#V:E@203.0.113.5:0*beta',
      '5002#V:E@*:203.0.113.9*alpha',
      '5003#V:E@*:203.0.113.9*env:VXBRIDGE_KEY_2', // already taken: not reused for another key
      '5004#V:E@10.0.0.1:10.0.0.2*file:/etc/vxbridge/lab.key:4789',
      '5005#V:E@10.0.0.1:10.0.0.2*gamma',
    ];
    await store.save(profile('site', legs, { autoStart: true }));
    const without = await store.exportJson('site', { includeKeys: false });
    expect(without.fileName).toBe('site.vxbridge.json');
    for (const k of ['alpha', 'beta', 'gamma']) expect(without.json).not.toContain(k);
    expect(JSON.parse(without.json)).toMatchObject({
      version: 1,
      name: 'site',
      autoStart: true,
      legs: [
        '5000#W:E@eth0',
        '5000#V:E@203.0.113.5:0*env:VXBRIDGE_KEY:8000',
        '5001#V:E@203.0.113.5:0*env:VXBRIDGE_KEY_3',
        '5002#V:E@*:203.0.113.9*env:VXBRIDGE_KEY',
        '5003#V:E@*:203.0.113.9*env:VXBRIDGE_KEY_2',
        '5004#V:E@10.0.0.1:10.0.0.2*file:/etc/vxbridge/lab.key:4789',
        '5005#V:E@10.0.0.1:10.0.0.2*env:VXBRIDGE_KEY_4',
      ],
    });
    // The stored profile keeps its keys.
    expect((await store.load('site')).legs).toEqual(legs);
    const withKeys = await store.exportJson('site', { includeKeys: true });
    expect(JSON.parse(withKeys.json).legs).toEqual(legs);
    // Re-imported without keys: valid, still encrypted, no key in it.
    const s = await store.importJson(without.json);
    expect(s).toMatchObject({ name: 'site (2)', legCount: 7 });
    expect(s.literalKeys).toBeUndefined();
  });

  it('a crash while saving leaves the previous version loadable', async () => {
    await store.save(profile('lab', ['1#W:E@eth0']));
    const crashing: AtomicFs = {
      ...nodeAtomicFs,
      async open(f, flags, mode) {
        const fh = await nodeAtomicFs.open(f, flags, mode);
        return {
          async writeFile(d) {
            await fh.writeFile(String(d).slice(0, 10));
            throw new Error('simulated crash');
          },
          sync: () => fh.sync(),
          close: () => fh.close(),
        };
      },
    };
    const err = await rejection(open({ fs: crashing }).save(profile('lab', ['2#W:E@eth1'])));
    expect(err.code).toBe('io');
    expect((await store.load('lab')).legs).toEqual(['1#W:E@eth0']);
  });

  it('ignores and sweeps leftover temp files', async () => {
    await store.save(profile('a'));
    const tmp = path.join(dataDir, 'profiles', '.a.json.0123456789abcdef.vxbridge.tmp');
    fs.writeFileSync(tmp, '{"half');
    expect((await store.list()).map((p) => p.name)).toEqual(['a']);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(tmp, old, old);
    await open().list();
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('serializes concurrent saves', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(profile(`p${i}`))));
    expect(await store.list()).toHaveLength(20);
    expect(await store.recent()).toHaveLength(10);
  });
});
