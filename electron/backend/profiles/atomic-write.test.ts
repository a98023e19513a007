import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isTempFileName, nodeAtomicFs, sweepTempFiles, tempFileName, writeFileAtomic, type AtomicFs } from './atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-atomic-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An fs whose writes stop half way with an error, like a full disk or a crash. */
function failingFs(stage: 'write' | 'sync' | 'rename'): AtomicFs {
  return {
    ...nodeAtomicFs,
    async open(file, flags, mode) {
      const fh = await nodeAtomicFs.open(file, flags, mode);
      return {
        async writeFile(data) {
          if (stage === 'write') {
            await fh.writeFile(typeof data === 'string' ? data.slice(0, data.length >> 1) : data.subarray(0, data.length >> 1));
            throw new Error('simulated crash mid-write');
          }
          await fh.writeFile(data);
        },
        async sync() {
          if (stage === 'sync') throw new Error('simulated fsync failure');
          await fh.sync();
        },
        close: () => fh.close(),
      };
    },
    async rename(from, to) {
      if (stage === 'rename') throw Object.assign(new Error('simulated rename failure'), { code: 'EIO' });
      await nodeAtomicFs.rename(from, to);
    },
  };
}

describe('writeFileAtomic', () => {
  it('creates and replaces a file', async () => {
    const f = path.join(dir, 'a.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(fs.readFileSync(f, 'utf8')).toBe('two');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
    if (process.platform !== 'win32') expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  });

  it.each(['write', 'sync', 'rename'] as const)('a failure at %s leaves the old file intact and no temp file', async (stage) => {
    const f = path.join(dir, 'a.json');
    fs.writeFileSync(f, '{"old":true}');
    await expect(writeFileAtomic(f, '{"new":true,"padding":"' + 'x'.repeat(10000) + '"}', { fs: failingFs(stage) })).rejects.toThrow(/simulated/);
    expect(fs.readFileSync(f, 'utf8')).toBe('{"old":true}');
    expect(fs.readdirSync(dir)).toEqual(['a.json']);
  });

  it('a process killed mid-write (SIGKILL) leaves the old file intact', () => {
    const f = path.join(dir, 'victim.json');
    fs.writeFileSync(f, '{"old":true}');
    const here = path.dirname(fileURLToPath(import.meta.url));
    const script = path.join(dir, 'crash.ts');
    // The child writes half the data through a hook, then kills itself: no cleanup runs.
    fs.writeFileSync(
      script,
      `import { writeFileAtomic, nodeAtomicFs } from ${JSON.stringify(path.join(here, 'atomic-write.ts'))};
const fs = { ...nodeAtomicFs, async open(file: string, flags: string, mode: number) {
  const fh = await nodeAtomicFs.open(file, flags, mode);
  return { async writeFile(d: string) { await fh.writeFile(d.slice(0, 5000)); await fh.sync(); process.kill(process.pid, 'SIGKILL'); },
           sync: () => fh.sync(), close: () => fh.close() };
} };
await writeFileAtomic(${JSON.stringify(f)}, 'n'.repeat(10000), { fs });
`,
    );
    const viteNode = path.resolve(here, '../../../node_modules/vite-node/vite-node.mjs');
    const r = spawnSync(process.execPath, [viteNode, script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBe('SIGKILL');
    expect(fs.readFileSync(f, 'utf8')).toBe('{"old":true}');
    const leftovers = fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1); // the half-written temp file, which readers skip
    expect(fs.statSync(path.join(dir, leftovers[0] ?? '')).size).toBe(5000);
  }, 60_000);
});

describe('sweepTempFiles', () => {
  const A1 = '.a.json.0123456789abcdef.vxbridge.tmp';
  const A2 = '.a.json.fedcba9876543210.vxbridge.tmp';
  it('removes only stale temp files', async () => {
    fs.writeFileSync(path.join(dir, A1), 'x');
    fs.writeFileSync(path.join(dir, A2), 'x');
    fs.writeFileSync(path.join(dir, 'a.json'), 'x');
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(dir, A1), old, old);
    expect(await sweepTempFiles(dir)).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([A2, 'a.json']);
  });

  it('names its temp files so that the sweep recognizes them, and only them', () => {
    const name = tempFileName('/x/lab.json');
    expect(name).toMatch(/^\.lab\.json\.[0-9a-f]{16}\.vxbridge\.tmp$/);
    expect(isTempFileName(name)).toBe(true);
    for (const other of [
      '.notes.tmp',
      '.a.json.1.abc.tmp',
      '.bashrc.swp.tmp',
      'a.json.0123456789abcdef.vxbridge.tmp',
      '.a.json.0123456789ABCDEF.vxbridge.tmp',
      '.x.0123456789abcde.vxbridge.tmp',
    ]) {
      expect(isTempFileName(other), other).toBe(false);
    }
  });

  it("never removes a user's own .*.tmp files (a data dir such as --data-dir ~)", async () => {
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const mine = ['.notes.tmp', '.session.1234.abcdef.tmp', '.x.tmp'];
    for (const n of [...mine, A1]) fs.writeFileSync(path.join(home, n), 'user data');
    const old = new Date(Date.now() - 30 * 86400_000);
    for (const n of [...mine, A1]) fs.utimesSync(path.join(home, n), old, old);
    expect(await sweepTempFiles(home)).toBe(1);
    expect(fs.readdirSync(home).sort()).toEqual([...mine].sort());
  });
});
