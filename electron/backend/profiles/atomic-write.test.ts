import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeAtomicFs, sweepTempFiles, writeFileAtomic, type AtomicFs } from './atomic-write.js';

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
  it('removes only stale temp files', async () => {
    fs.writeFileSync(path.join(dir, '.a.json.1.abc.tmp'), 'x');
    fs.writeFileSync(path.join(dir, '.a.json.2.def.tmp'), 'x');
    fs.writeFileSync(path.join(dir, 'a.json'), 'x');
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(dir, '.a.json.1.abc.tmp'), old, old);
    expect(await sweepTempFiles(dir)).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual(['.a.json.2.def.tmp', 'a.json']);
  });
});
