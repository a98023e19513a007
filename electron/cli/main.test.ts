// The CLI in-process: exit codes and messages for what needs no root.

import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from './main.js';

async function run(argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (d) => (chunks.out += d));
  err.on('data', (d) => (chunks.err += d));
  const code = await main(argv, { stdout: out, stderr: err });
  return { code, ...chunks };
}

describe('ubdg', () => {
  it('--help prints usage with the leg grammar and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SEG#V:E@LOCAL:REMOTE/);
  });
  it('--dry-run explains every DESIGN.md example and starts nothing, keys masked', async () => {
    const r = await run([
      '--dry-run',
      '5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10',
      '5000#W:E@lan1',
      '5000#V:E@203.0.113.5:0*secret:8000',
      '5000#V:E@*:203.0.113.5*secret:8000',
      '5000#V:E@10.1.1.1:239.1.1.1:8472',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/head-end replication/);
    expect(r.out).toMatch(/multicast/);
    expect(r.out).toMatch(/provider/);
    expect(r.out).toMatch(/access/);
    expect(r.out).toMatch(/nothing started/);
    expect(r.out + r.err).not.toMatch(/secret/);
  });
  it('a malformed leg exits 2, points at the bad part, starts nothing', async () => {
    const r = await run(['5000#V:E@10.0.0.1:10.0.0.2', '5000#X:E@eth0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/leg 2 of 2/);
    expect(r.err).toMatch(/\^/);
    expect(r.err).toMatch(/Nothing was started/);
  });
  it('unknown options exit 2', async () => {
    expect((await run(['--frobnicate'])).code).toBe(2);
  });
});
