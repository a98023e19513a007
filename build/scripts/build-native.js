#!/usr/bin/env node
// postinstall: builds the native data plane (native/dataplane, Linux only)
// with node-gyp against the running Node's own headers (nothing is
// downloaded). N-API: the same binary loads in Electron. Elsewhere (Windows,
// macOS) there is nothing to build: the JavaScript data plane serves.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIR = join(ROOT, 'native', 'dataplane');

if (process.platform !== 'linux') {
  console.log(`vxbridge: the native data plane is for Linux; on ${process.platform} the JavaScript data plane is used.`);
  process.exit(0);
}

/** Node's headers: beside the binary (a distribution's or nodejs.org's layout). */
function nodeDir() {
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  if (process.env.npm_config_nodedir && existsSync(join(process.env.npm_config_nodedir, 'include', 'node', 'node_api.h'))) return process.env.npm_config_nodedir;
  return null;
}

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

const dir = nodeDir();
const gyp = nodeGyp();
if (dir === null || gyp === null) {
  console.error(
    `vxbridge: cannot build the native data plane: ${dir === null ? `Node's headers (include/node/node_api.h) are not beside ${process.execPath}` : 'node-gyp is missing'}. ` +
      'Install Node.js from nodejs.org or your distribution with its headers, then run: node build/scripts/build-native.js',
  );
  process.exit(1);
}
console.log(`vxbridge: building the native data plane (node-gyp, headers from ${dir})`);
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`, '--jobs=max'], { cwd: DIR, stdio: 'inherit' });
if (r.status !== 0) {
  console.error(
    'vxbridge: building the native data plane failed; see above. It needs python3, make, g++ and libcrypto 3 (build/setup.sh installs them). ubdg --data-plane js runs without it.',
  );
  process.exit(r.status ?? 1);
}
