import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, findAppRoot, readAppVersion, rendererDir } from './app-paths.js';

describe('data folder = Electron userData', () => {
  const cases: readonly [string, NodeJS.ProcessEnv, string][] = [
    ['linux', {}, '/home/u/.config/vxbridge'],
    ['linux', { XDG_CONFIG_HOME: '/xdg' }, '/xdg/vxbridge'],
    ['linux', { XDG_CONFIG_HOME: 'relative' }, '/home/u/.config/vxbridge'],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u\\AppData\\Roaming\\vxbridge'],
    ['darwin', {}, '/home/u/Library/Application Support/vxbridge'],
    ['linux', { VXBRIDGE_DATA_DIR: '/srv/vx' }, path.resolve('/srv/vx')],
  ];
  it.each(cases)('%s %j', (platform, env, want) => {
    expect(defaultDataDir(platform, env, '/home/u')).toBe(want);
  });
});

describe('app root', () => {
  it('finds the package.json named vxbridge', () => {
    const root = findAppRoot(import.meta.url);
    expect(fs.existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(readAppVersion(root)).toMatch(/^\d+\.\d+\.\d+/);
    expect(rendererDir(root, {})).toBe(path.join(root, 'dist', 'renderer'));
    expect(rendererDir(root, { VXBRIDGE_RENDERER_DIR: '/x' })).toBe(path.resolve('/x'));
    expect(() => findAppRoot(pathToFileURL('/nonexistent/a/b.js').href)).toThrow(/Cannot find/);
  });
});
