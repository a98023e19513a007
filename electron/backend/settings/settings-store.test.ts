import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeAtomicFs, type AtomicFs } from '../profiles/atomic-write.js';
import { createSettingsStore } from './settings-store.js';

let dataDir: string;
let file: string;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-settings-store-'));
  file = path.join(dataDir, 'settings.json');
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const notUsed = (why: string) => `The settings file ${file} was not used: ${why}. The defaults apply until the settings are saved again.`;

describe('settings store', () => {
  it('no file: the defaults, no problem', async () => {
    expect(await createSettingsStore({ dataDir }).read()).toEqual({ settings: { dataPlane: 'auto' } });
  });

  it('writes versioned JSON (0600, in a data folder it creates) and reads it back', async () => {
    const nested = path.join(dataDir, 'new', 'vxbridge');
    const store = createSettingsStore({ dataDir: nested });
    await store.write({ dataPlane: 'native' });
    const text = fs.readFileSync(path.join(nested, 'settings.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({ version: 1, dataPlane: 'native' });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(nested, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(await store.read()).toEqual({ settings: { dataPlane: 'native' } });
    expect(fs.readdirSync(nested)).toEqual(['settings.json']); // no temp file left
  });

  const unusable: readonly [string, string, string][] = [
    ['not JSON', '{"version": 1, "dataPla', 'the file is not valid JSON'],
    ['empty', '', 'the file is not valid JSON'],
    ['a list', '["js"]', 'expected a JSON object, got a list'],
    ['null', 'null', 'expected a JSON object, got null'],
    ['an unknown version', '{"version": 2, "dataPlane": "js"}', 'version 2 is not one this vxbridge knows (1)'],
    ['no version', '{"dataPlane": "js"}', 'it has no version field'],
    ['an unknown data plane', '{"version": 1, "dataPlane": "dpdk"}', 'dataPlane "dpdk" is not one of auto, native, js'],
    ['a data plane of the wrong type', '{"version": 1, "dataPlane": true}', 'dataPlane true is not one of auto, native, js'],
  ];
  it.each(unusable)('%s: the defaults, with the reason', async (_what, text, why) => {
    fs.writeFileSync(file, text);
    expect(await createSettingsStore({ dataDir }).read()).toEqual({ settings: { dataPlane: 'auto' }, problem: notUsed(why) });
  });

  it('a huge file is not read', async () => {
    fs.writeFileSync(file, `{"version": 1, "dataPlane": "js", "pad": "${'x'.repeat(20_000)}"}`);
    expect(await createSettingsStore({ dataDir }).read()).toEqual({ settings: { dataPlane: 'auto' }, problem: notUsed('larger than 16 KiB') });
  });

  it('a file that cannot be read (a folder in its place): the defaults, with the reason', async () => {
    fs.mkdirSync(file);
    const r = await createSettingsStore({ dataDir }).read();
    expect(r.settings).toEqual({ dataPlane: 'auto' });
    expect(r.problem).toMatch(/^The settings file .* was not used: cannot be read \(EISDIR/);
  });

  it('ignores fields it does not know (a later version may add some) and takes a missing one as its default', async () => {
    fs.writeFileSync(file, '{"version": 1, "dataPlane": "js", "future": 1}');
    expect(await createSettingsStore({ dataDir }).read()).toEqual({ settings: { dataPlane: 'js' } });
    fs.writeFileSync(file, '{"version": 1}');
    expect(await createSettingsStore({ dataDir }).read()).toEqual({ settings: { dataPlane: 'auto' } });
  });

  it('a failed write leaves the old file whole and says what to check', async () => {
    const store = createSettingsStore({ dataDir });
    await store.write({ dataPlane: 'js' });
    const failing: AtomicFs = { ...nodeAtomicFs, rename: async () => Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })) };
    await expect(createSettingsStore({ dataDir, fs: failing }).write({ dataPlane: 'native' })).rejects.toThrow(`Cannot save the settings to ${file}: EROFS: read-only file system`);
    expect(await store.read()).toEqual({ settings: { dataPlane: 'js' } });
    expect(fs.readdirSync(dataDir)).toEqual(['settings.json']);
  });
});
