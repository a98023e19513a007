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
//    cap's .node is unpacked, the page is served from app:// (not file://), every
//    packed file carries a correct integrity record, and the fuses are set
//    (RunAsNode, NodeOptions, --inspect, file:// privileges off; cookie encryption,
//    asar integrity, only-from-asar on).
// 3. Runs electron-builder again, Windows `--dir` target, against a stand-in
//    electron.exe (a minimal PE with a version resource and the fuse wire; the
//    resource editing is pure JS, no wine): the executable must carry the
//    ELECTRONASAR integrity resource with the SHA-256 of its app.asar header (what
//    Electron checks at start when the asar-integrity fuse is on; Linux Electron
//    does not check), and the same fuses.
//
// Needs `npm run build` first. Options: --keep (leave the output), --out DIR.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
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
  'dist/native/data-plane-ports.js',
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
/** The fuse wire as Electron's binary carries it: sentinel, version 1, length, one ASCII digit per fuse. */
const FUSE_WIRE = Buffer.concat([Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE, 'latin1')]);
/** The fuses every packaged build must have, as electron-builder.yml's electronFuses set them. */
const WANT_FUSES = {
  runAsNode: '0',
  enableNodeOptionsEnvironmentVariable: '0',
  enableNodeCliInspectArguments: '0',
  enableCookieEncryption: '1',
  enableEmbeddedAsarIntegrityValidation: '1',
  onlyLoadAppFromAsar: '1',
  grantFileProtocolExtraPrivileges: '0',
};

const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const electronVersion = JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

/** A stand-in Electron folder: `executable` (its bytes), `version`, LICENSE, resources/. */
function makeStandin(dir, executable, bytes, mode) {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(dir, executable), bytes, { mode });
  fs.writeFileSync(path.join(dir, 'version'), electronVersion);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in\n');
  return dir;
}

/** Linux: a shell script carrying the fuse wire. */
const linuxStandin = makeStandin(
  path.join(work, 'electron-standin'),
  'electron',
  Buffer.concat([
    Buffer.from('#!/bin/sh\n# Stand-in for the Electron binary (check-package.js). Fuse wire: ', 'latin1'),
    FUSE_WIRE,
    Buffer.from('\necho "stand-in Electron: the real binary could not be downloaded here" >&2\nexit 1\n', 'latin1'),
  ]),
  0o755,
);

/** Windows: an empty x64 PE with the one-language version resource electron-builder
 *  edits (resedit) and the fuse wire in an RCDATA resource. Never run. */
function windowsStandinExe() {
  const rs = builderRequire('resedit');
  const exe = rs.NtExecutable.createEmpty(false, false);
  const res = rs.NtExecutableResource.from(exe);
  const vi = rs.Resource.VersionInfo.createEmpty();
  vi.lang = 1033;
  vi.setStringValues({ lang: 1033, codepage: 1200 }, { ProductName: 'Electron', FileDescription: 'stand-in (check-package.js)' });
  vi.outputToResourceEntries(res.entries);
  const wire = Uint8Array.from(FUSE_WIRE).buffer;
  res.entries.push({ type: 10 /* RT_RCDATA */, id: 1, lang: 1033, codepage: 1200, bin: wire });
  res.outputResource(exe);
  return Buffer.from(exe.generate());
}
const windowsStandin = makeStandin(path.join(work, 'electron-standin-win'), 'electron.exe', windowsStandinExe(), 0o644);

const builderCli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
/** electron-builder --dir for one platform against a stand-in; exits on failure. */
function runBuilder(platformArgs, standin, outDir) {
  const builderArgs = [
    builderCli,
    ...platformArgs,
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
}

const outDir = path.join(work, 'release');
runBuilder(['--linux'], linuxStandin, outDir);

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

const asar = builderRequire('@electron/asar');
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
  [/^(electron|native\/(?!dataplane\/build\/Release\/vxb_dataplane\.node$)|renderer|build|e2e)\//, 'TypeScript sources'],
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
// So must the native data plane's, where it was built (Linux).
const dataPlaneNode = 'native/dataplane/build/Release/vxb_dataplane.node';
if (fs.existsSync(path.join(root, dataPlaneNode)) && !fs.existsSync(path.join(unpackedDir, dataPlaneNode))) fail(`${dataPlaneNode} is not in app.asar.unpacked (asarUnpack)`);

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

// The window loads app://vxbridge/, never a file: with the file:// privileges fuse
// off, a file:// page could not even load its own ES modules.
const mainJs = read('dist/electron/main/main.js');
if (!/registerSchemesAsPrivileged\(/.test(mainJs) || !/protocol\.handle\(/.test(mainJs)) fail('main.js does not register and handle the app:// scheme');
if (/\.loadFile\(/.test(mainJs)) fail('main.js loads the page with loadFile (file://); it must load app://vxbridge/index.html');

// Asar integrity: Electron checks each file's blocks against the header when it
// reads them (with the fuse on), so every packed file needs a correct record.
checkFileIntegrity(asarFile, 'linux');

// Fuses, as electron-builder flipped them in the stand-in binary.
checkFuses(exe, 'linux');

// ---- 3. Windows: the asar integrity resource ---------------------------------
runBuilder(['--win'], windowsStandin, outDir);
const winOut = path.join(outDir, 'win-unpacked');
const winExe = path.join(winOut, 'vxbridge.exe');
const winAsar = path.join(winOut, 'resources', 'app.asar');
if (!fs.existsSync(winExe) || !fs.existsSync(winAsar)) fail(`the Windows build lacks ${fs.existsSync(winExe) ? winAsar : winExe}`);
else {
  checkWindowsAsarIntegrity(winExe, winAsar);
  checkFileIntegrity(winAsar, 'win');
  checkFuses(winExe, 'win');
}

/** The fuse wire in a packaged executable against WANT_FUSES. */
function checkFuses(file, label) {
  if (!fs.existsSync(file)) return;
  const bin = fs.readFileSync(file);
  const at = bin.indexOf(SENTINEL);
  if (at < 0) return fail(`${label}: fuse sentinel not found in ${path.basename(file)}`);
  const len = bin[at + SENTINEL.length + 1];
  const wire = bin.subarray(at + SENTINEL.length + 2, at + SENTINEL.length + 2 + len).toString('latin1');
  for (const [name, v] of Object.entries(WANT_FUSES)) {
    const got = wire[FUSE_NAMES.indexOf(name)];
    if (got !== v) fail(`${label}: fuse ${name} is ${got}, expected ${v}`);
  }
  notes.push(`${label}: fuse wire ${wire} (${FUSE_NAMES.map((n, i) => `${n}=${wire[i]}`).join(', ')})`);
}

/** Every file inside the asar (not the unpacked ones) has a SHA256 integrity record
 *  whose hash and block hashes match its bytes. */
function checkFileIntegrity(file, label) {
  const { header } = asar.getRawHeader(file);
  let checked = 0;
  const bad = [];
  const walk = (dir, prefix) => {
    for (const [name, e] of Object.entries(dir.files ?? {})) {
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      if (e.files) walk(e, rel);
      else if (e.link === undefined && !e.unpacked) {
        const ig = e.integrity;
        const data = asar.extractFile(file, rel);
        const sha = (b) => createHash('sha256').update(b).digest('hex');
        const blocks = [];
        for (let o = 0; ig && o < Math.max(data.length, 1); o += ig.blockSize) blocks.push(sha(data.subarray(o, o + ig.blockSize)));
        if (!ig || ig.algorithm !== 'SHA256' || ig.hash !== sha(data) || JSON.stringify(ig.blocks) !== JSON.stringify(blocks)) bad.push(rel);
        checked++;
      }
    }
  };
  walk(header, '');
  if (bad.length > 0) fail(`${label}: ${bad.length} files in app.asar lack a correct integrity record: ${bad.slice(0, 3).join(', ')}`);
  notes.push(`${label}: ${checked} files in app.asar carry a matching SHA256 integrity record`);
}

/** vxbridge.exe's ELECTRONASAR resource names resources\\app.asar with the SHA-256 of its header. */
function checkWindowsAsarIntegrity(exeFile, asarPath) {
  const rs = builderRequire('resedit');
  const res = rs.NtExecutableResource.from(rs.NtExecutable.from(fs.readFileSync(exeFile)));
  const entry = res.entries.find((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR');
  if (!entry) return fail('win: vxbridge.exe has no ELECTRONASAR integrity resource (electron-builder embeds it when asar is on)');
  let list;
  try {
    list = JSON.parse(Buffer.from(entry.bin).toString('utf8'));
  } catch {
    return fail('win: the ELECTRONASAR resource is not JSON');
  }
  const want = createHash('sha256').update(asar.getRawHeader(asarPath).headerString).digest('hex');
  const rec = Array.isArray(list) ? list.find((r) => r.file === 'resources\\app.asar') : undefined;
  if (!rec) return fail(`win: the ELECTRONASAR resource does not list resources\\app.asar: ${JSON.stringify(list)}`);
  if (rec.alg !== 'SHA256' || rec.value !== want) return fail(`win: ELECTRONASAR says ${rec.alg} ${rec.value}, the app.asar header hashes to SHA256 ${want}`);
  notes.push(`win: vxbridge.exe carries the app.asar header hash (SHA256 ${want.slice(0, 16)}…)`);
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
  console.log(`check-package: OK (${entries?.size ?? 0} files in app.asar, cap.node unpacked, app:// page, asar integrity, fuses set)`);
  process.exit(0);
}
