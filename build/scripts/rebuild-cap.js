#!/usr/bin/env node
// postinstall: patches the capture module (npm `cap`) and rebuilds it with
// assertions off.
// - native/patches/cap-0.2.1-handle-lifetime.patch (see its header): cap
//   0.2.1 frees libuv handles that libuv still lists and crashes the process
//   after some capture open/close cycles. Applied here, idempotently: npm ci /
//   npm install re-extract cap unpatched, a rebuild finds it patched already.
// - -DNDEBUG: cap 0.2.1 asserts that its poll callback never reports an
//   error; when a captured adapter goes down or is removed, libuv does report
//   one, and the assertion aborts the whole process (every leg, the Electron
//   app). Without the assertion libuv stops that poll handle, the process
//   lives on, and the leg's injects fail and are counted (send-error).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CAP_VERSION = '0.2.1';
const PATCH = join(ROOT, 'native', 'patches', `cap-${CAP_VERSION}-handle-lifetime.patch`);

function fail(message) {
  console.error(`vxbridge: ${message}`);
  process.exit(1);
}

// --- a strict unified-diff applier (no fuzz, no offsets): Node only, so no
// `patch` or git is needed on the build machine.

/** [{ path, hunks: [{ oldStart, oldLines, newStart, newLines }] }] */
function parsePatch(text) {
  const lines = text.split(/\r?\n/); // a CRLF checkout of the patch still applies
  if (lines.at(-1) === '') lines.pop();
  const files = [];
  let i = 0;
  while (i < lines.length) {
    if (!(lines[i].startsWith('--- ') && lines[i + 1]?.startsWith('+++ '))) {
      i++; // header comment, or git's "diff --git"/"index" lines
      continue;
    }
    const path = lines[i + 1].slice(4).split('\t')[0].replace(/^b\//, '');
    const file = { path, hunks: [] };
    files.push(file);
    i += 2;
    while (i < lines.length && lines[i].startsWith('@@ ')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(lines[i]);
      if (!m) throw new Error(`bad hunk header: ${lines[i]}`);
      const hunk = { oldStart: Number(m[1]), oldLines: [], newStart: Number(m[3]), newLines: [] };
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      i++;
      while (hunk.oldLines.length < oldCount || hunk.newLines.length < newCount) {
        const l = lines[i++];
        if (l === undefined) throw new Error(`hunk at line ${hunk.oldStart} of ${path} is cut short`);
        if (l.startsWith('\\')) continue; // "\ No newline at end of file"
        const body = l.slice(1);
        if (l[0] === ' ' || l === '') {
          hunk.oldLines.push(body);
          hunk.newLines.push(body);
        } else if (l[0] === '-') hunk.oldLines.push(body);
        else if (l[0] === '+') hunk.newLines.push(body);
        else throw new Error(`bad line in hunk of ${path}: ${l}`);
      }
      while (lines[i]?.startsWith('\\')) i++;
      file.hunks.push(hunk);
    }
  }
  if (files.length === 0) throw new Error('no file in the patch');
  return files;
}

/** Does every hunk's `side` ('old' or 'new') sit exactly where the hunk says? */
function matches(content, hunks, side) {
  for (const h of hunks) {
    const want = side === 'old' ? h.oldLines : h.newLines;
    const at = (side === 'old' ? h.oldStart : h.newStart) - 1 + (want.length === 0 ? 1 : 0);
    for (let k = 0; k < want.length; k++) if (content[at + k] !== want[k]) return false;
  }
  return true;
}

function applyHunks(content, hunks) {
  const out = [...content];
  // Bottom up, so that earlier positions stay valid.
  for (const h of [...hunks].reverse()) {
    const at = h.oldStart - 1 + (h.oldLines.length === 0 ? 1 : 0);
    out.splice(at, h.oldLines.length, ...h.newLines);
  }
  return out;
}

/** 'applied' or 'already'; throws if the patch neither applies nor is applied. */
function applyPatch(dir, patchFile) {
  const files = parsePatch(readFileSync(patchFile, 'utf8'));
  const plan = [];
  for (const f of files) {
    const target = resolve(dir, f.path);
    if (!target.startsWith(dir + sep)) throw new Error(`patch path outside the package: ${f.path}`);
    const text = readFileSync(target, 'utf8');
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const content = text.split(/\r?\n/);
    if (matches(content, f.hunks, 'old')) plan.push({ target, eol, content: applyHunks(content, f.hunks) });
    else if (matches(content, f.hunks, 'new')) plan.push({ target, eol, content: null });
    else throw new Error(`${f.path} matches neither the original nor the patched text`);
  }
  // Partly applied (one file of several) would be a half-patched module.
  const todo = plan.filter((p) => p.content !== null);
  if (todo.length > 0 && todo.length < plan.length) throw new Error('the patch is applied to some files only');
  for (const p of todo) writeFileSync(p.target, p.content.join(p.eol));
  return todo.length > 0 ? 'applied' : 'already';
}

// --- patch, then rebuild

const require = createRequire(join(ROOT, 'package.json'));
let capDir;
try {
  capDir = dirname(require.resolve('cap/package.json'));
} catch (err) {
  fail(`cannot find the capture module (npm cap) to patch: ${err instanceof Error ? err.message : String(err)}`);
}
const capVersion = JSON.parse(readFileSync(join(capDir, 'package.json'), 'utf8')).version;
if (capVersion !== CAP_VERSION) {
  fail(
    `cap is ${capVersion}, but ${relative(ROOT, PATCH)} is for cap ${CAP_VERSION}. ` +
      `Its handle-lifetime fix is needed (unpatched, capture crashes Node): port the patch to cap ${capVersion} (or pin cap ${CAP_VERSION}) and update build/scripts/rebuild-cap.js.`,
  );
}
try {
  const r = applyPatch(capDir, PATCH);
  console.log(r === 'applied' ? `vxbridge: applied ${relative(ROOT, PATCH)} to cap ${capVersion}` : `vxbridge: ${relative(ROOT, PATCH)} is already applied to cap ${capVersion}`);
} catch (err) {
  fail(
    `cannot apply ${relative(ROOT, PATCH)} to ${capDir} (cap ${capVersion}): ${err instanceof Error ? err.message : String(err)}. ` +
      'Reinstall cap (rm -rf node_modules/cap && npm ci) or, if cap itself changed, port the patch.',
  );
}

const env = { ...process.env };
if (process.platform === 'win32') env.CL = `${env.CL ?? ''} /DNDEBUG`.trim();
else env.CXXFLAGS = `${env.CXXFLAGS ?? ''} -DNDEBUG`.trim();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['rebuild', 'cap'], { env, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.error('vxbridge: rebuilding the capture module (cap) failed; see above. Linux needs libpcap-dev, python3, make and g++ (build/setup.sh installs them).');
  process.exit(r.status ?? 1);
}
