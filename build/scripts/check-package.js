#!/usr/bin/env node
// `npm run check:package`: validates the packaging offline, where installers
// cannot be built (no Electron binary, no NSIS/AppImage/fpm tools, no network).
//
// 1. Runs the real electron-builder with build/electron-builder.yml, Linux `--dir`
//    target, against a stand-in Electron folder (a placeholder executable that
//    carries Electron's fuse wire), with npmRebuild off (needs Electron headers).
//    This also validates the whole config (win/nsis sections included) against
//    electron-builder's schema.
// 2. Inspects the result: app.asar holds what the app needs and nothing else,
//    every import reachable from the main entry resolves inside the package,
//    cap's .node is unpacked, the fuses are flipped (RunAsNode, NodeOptions off).
//
// Needs `npm run build` first. Options: --keep (leave the output), --out DIR.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const outArg = args.indexOf('--out');
const work = outArg >= 0 && args[outArg + 1] ? path.resolve(args[outArg + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'vxbridge-check-'));

const problems = [];
const notes = [];
const fail = (msg) => problems.push(msg);

// ---- 0. Built outputs --------------------------------------------------------
const REQUIRED_BUILD = [
  'dist/electron/main/main.js',
  'dist/electron/preload/preload.cjs',
  'dist/electron/backend/real-backend.js',
  'dist/electron/backend/data-plane/data-plane-main.js',
  'dist/electron/engine/bridge.js',
  'dist/native/pcap-capture.js',
  'dist/renderer/index.html',
];
const missing = REQUIRED_BUILD.filter((f) => !fs.existsSync(path.join(root, f)));
if (missing.length > 0) {
  console.error(`check-package: not built yet (missing ${missing.join(', ')}). Run "npm run build" first.`);
  process.exit(1);
}

// ---- 1. Stand-in Electron + electron-builder --dir -------------------------
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect,
// EmbeddedAsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, GrantFileProtocolExtraPrivileges.
const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];
const DEFAULT_WIRE = '10110001';
const standin = path.join(work, 'electron-standin');
fs.mkdirSync(path.join(standin, 'resources'), { recursive: true });
fs.writeFileSync(
  path.join(standin, 'electron'),
  `#!/bin/sh\n# Stand-in for the Electron binary (check-package.js). Fuse wire: ${SENTINEL}\u0001\u0008${DEFAULT_WIRE}\necho "stand-in Electron: the real binary could not be downloaded here" >&2\nexit 1\n`,
  { mode: 0o755 },
);
const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
fs.writeFileSync(path.join(standin, 'version'), electronVersion);
fs.writeFileSync(path.join(standin, 'LICENSE'), 'stand-in\n');

const outDir = path.join(work, 'release');
const builderCli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
const builderArgs = [
  builderCli,
  '--linux',
  'dir',
  '--x64',
  '--config',
  'build/electron-builder.yml',
  `-c.electronDist=${standin}`,
  '-c.npmRebuild=false',
  `-c.directories.output=${outDir}`,
  '--publish',
  'never',
];
console.log(`check-package: electron-builder ${builderArgs.slice(1).join(' ')}`);
const r = spawnSync(process.execPath, builderArgs, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
});
if (r.status !== 0) {
  console.error(`check-package: electron-builder failed (exit ${r.status}). Output kept in ${work}`);
  process.exit(1);
}

// ---- 2. Inspect --------------------------------------------------------------
const appOut = path.join(outDir, 'linux-unpacked');
const exe = path.join(appOut, 'vxbridge');
const asarFile = path.join(appOut, 'resources', 'app.asar');
const unpackedDir = `${asarFile}.unpacked`;
if (!fs.existsSync(exe)) fail(`executable not renamed to vxbridge: ${exe} missing`);
if (!fs.existsSync(asarFile)) {
  fail(`no app.asar in ${appOut}`);
  finish();
}

const asar = createRequire(require.resolve('app-builder-lib/package.json'))('@electron/asar');
const entries = new Set(asar.listPackage(asarFile, { isPack: false }).map((e) => e.replace(/\\/g, '/').replace(/^\//, '')));
const has = (p) => entries.has(p);
const read = (p) => asar.extractFile(asarFile, p).toString('utf8');

// package.json as packed
const pkg = JSON.parse(read('package.json'));
if (pkg.main !== 'dist/electron/main/main.js') fail(`package.json main is ${pkg.main}, expected dist/electron/main/main.js`);
if (pkg.type !== 'module') fail('package.json lost "type": "module" (main.js is an ES module)');
if (pkg.devDependencies) notes.push('devDependencies are listed in the packed package.json (harmless; electron-builder keeps them as metadata)');

for (const f of [
  'dist/electron/main/main.js',
  'dist/electron/main/security.js',
  'dist/electron/main/ipc-main.js',
  'dist/electron/main/utility-data-plane.js',
  'dist/electron/backend/data-plane/data-plane-main.js',
  'dist/electron/preload/preload.cjs',
  'dist/electron/backend/backend.js',
  'dist/electron/contract/ipc-contract.js',
  'dist/electron/backend/profiles/profile-store.js',
  'dist/electron/engine/bridge.js',
  'dist/native/pcap-capture.js',
  'dist/renderer/index.html',
  'node_modules/cap/package.json',
  'node_modules/cap/lib/Cap.js',
]) {
  if (!has(f)) fail(`app.asar lacks ${f}`);
}

// Nothing that does not belong.
const FORBIDDEN = [
  [/\.map$/, 'source maps'],
  [/\.test\.js$/, 'tests'],
  [/^dist\/e2e\//, 'e2e tests'],
  [/^dist\/electron\/cli\//, 'the CLI'],
  [/^(electron|native|renderer|build|e2e)\//, 'TypeScript sources'],
  [/\.ts$/, 'TypeScript files'],
  [/^node_modules\/(react|react-dom|zustand|scheduler|ws|nan|electron|typescript|vite|vitest)\//, 'dev or renderer-only modules'],
  [/^node_modules\/cap\/(src|deps)\//, "cap's sources"],
];
for (const [re, what] of FORBIDDEN) {
  const hits = [...entries].filter((e) => re.test(e));
  if (hits.length > 0) fail(`app.asar contains ${what}: ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ` (+${hits.length - 3})` : ''}`);
}

// cap's native binding must be outside the asar.
const capNode = 'node_modules/cap/build/Release/cap.node';
if (!fs.existsSync(path.join(unpackedDir, capNode))) fail(`${capNode} is not in app.asar.unpacked (asarUnpack)`);

// Every import reachable from the entry points resolves inside the package.
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron']);
const seen = new Set();
const queue = ['dist/electron/main/main.js'];
const IMPORT_RE = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[\s;])import\s*['"]([^'"]+)['"]/gm;
while (queue.length > 0) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const src = read(file);
  for (const m of src.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (!has(target)) fail(`${file} imports ${spec}, which is not in app.asar`);
      else queue.push(target);
    } else if (!builtins.has(spec)) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (!has(`node_modules/${name}/package.json`)) fail(`${file} imports ${spec}, which is not packaged`);
    }
  }
  // createRequire(...)('cap') in native/cap-loader.js
  for (const m of src.matchAll(/createRequire\([^)]*\)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (!has(`node_modules/${m[1]}/package.json`)) fail(`${file} requires ${m[1]}, which is not packaged`);
  }
}
notes.push(`${seen.size} modules reachable from the main entry, all inside app.asar`);

// The preload is CommonJS and needs nothing but electron (sandbox).
const preload = read('dist/electron/preload/preload.cjs');
const requires = [...preload.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
if (requires.some((x) => x !== 'electron')) fail(`preload.cjs requires ${requires.join(', ')}: a sandboxed preload may only require electron`);
if (/^\s*import\s/m.test(preload)) fail('preload.cjs contains an ESM import (not allowed in a sandboxed preload)');

// The page: strict CSP meta tag, no inline scripts.
const html = read('dist/renderer/index.html');
const csp = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=["']([^"']+)["']/i.exec(html)?.[1];
if (!csp) fail('dist/renderer/index.html has no <meta http-equiv="Content-Security-Policy"> (see electron/contract/csp.ts RENDERER_CSP)');
else if (/unsafe-inline|unsafe-eval/.test(csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '')) fail(`the page CSP allows unsafe scripts: ${csp}`);
if (/<script(?![^>]*\bsrc=)[^>]*>\s*\S/i.test(html)) fail('dist/renderer/index.html has an inline <script>');

// Fuses, as electron-builder flipped them in the stand-in binary.
if (fs.existsSync(exe)) {
  const bin = fs.readFileSync(exe);
  const at = bin.indexOf(SENTINEL);
  if (at < 0) fail('fuse sentinel not found in the packaged executable');
  else {
    const len = bin[at + SENTINEL.length + 1];
    const wire = bin.subarray(at + SENTINEL.length + 2, at + SENTINEL.length + 2 + len).toString('latin1');
    const want = { runAsNode: '0', enableNodeOptionsEnvironmentVariable: '0', enableNodeCliInspectArguments: '0', onlyLoadAppFromAsar: '1', enableCookieEncryption: '1' };
    for (const [name, v] of Object.entries(want)) {
      const got = wire[FUSE_NAMES.indexOf(name)];
      if (got !== v) fail(`fuse ${name} is ${got}, expected ${v}`);
    }
    notes.push(`fuse wire ${wire} (${FUSE_NAMES.map((n, i) => `${n}=${wire[i]}`).join(', ')})`);
  }
}

finish();

function finish() {
  for (const n of notes) console.log(`check-package: ${n}`);
  if (!keep && problems.length === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.log(`check-package: output kept in ${work}`);
  if (problems.length > 0) {
    for (const p of problems) console.error(`check-package: FAIL ${p}`);
    process.exit(1);
  }
  console.log(`check-package: OK (${entries?.size ?? 0} files in app.asar, cap.node unpacked, fuses set)`);
  process.exit(0);
}
