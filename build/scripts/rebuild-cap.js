#!/usr/bin/env node
// postinstall: rebuilds the capture module (npm `cap`) with assertions off.
// cap 0.2.1 asserts that its poll callback never reports an error; when a
// captured adapter goes down or is removed, libuv does report one, and the
// assertion aborts the whole process (every leg, the Electron app). Without
// the assertion libuv stops that poll handle, the process lives on, and the
// leg's injects fail and are counted (send-error).
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
if (process.platform === 'win32') env.CL = `${env.CL ?? ''} /DNDEBUG`.trim();
else env.CXXFLAGS = `${env.CXXFLAGS ?? ''} -DNDEBUG`.trim();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['rebuild', 'cap'], { env, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.error('vxbridge: rebuilding the capture module (cap) failed; see above. Linux needs libpcap-dev, python3, make and g++ (build/setup.sh installs them).');
  process.exit(r.status ?? 1);
}
