// Where things are: the app root (package.json), the built renderer, and the
// data folder. The data folder is the same one Electron uses as userData
// (<appData>/vxbridge), so the desktop app and `ubdg ui` share profiles.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'vxbridge';
export const DATA_DIR_ENV = 'VXBRIDGE_DATA_DIR';
export const RENDERER_DIR_ENV = 'VXBRIDGE_RENDERER_DIR';

/** Electron's app.getPath('appData') for this platform, computed without Electron. */
export function appDataDir(platform: string = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  switch (platform) {
    case 'win32':
      return env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming');
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support');
    default:
      return env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  }
}

/** $VXBRIDGE_DATA_DIR, else <appData>/vxbridge (= Electron's userData). */
export function defaultDataDir(platform: string = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const override = env[DATA_DIR_ENV];
  if (override) return path.resolve(override);
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(appDataDir(platform, env, home), APP_NAME);
}

/** The folder holding vxbridge's package.json, found upwards from `fromUrl` (an import.meta.url). */
export function findAppRoot(fromUrl: string): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown };
      if (json.name === APP_NAME) return dir;
    } catch {
      // keep looking
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Cannot find the ${APP_NAME} package.json above ${fileURLToPath(fromUrl)}`);
    dir = up;
  }
}

export function readAppVersion(appRoot: string): string {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** $VXBRIDGE_RENDERER_DIR, else <appRoot>/dist/renderer (Vite's output). */
export function rendererDir(appRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[RENDERER_DIR_ENV];
  return override ? path.resolve(override) : path.join(appRoot, 'dist', 'renderer');
}
