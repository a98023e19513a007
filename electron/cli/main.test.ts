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
    // Legs 3 and 4 carry their key on the command line: ps shows it.
    expect(r.err).toMatch(/note: leg 3's pre-shared key is on the command line, where other local users can read it \(ps, \/proc\); prefer \*env:NAME or \*file:PATH/);
    expect(r.err).toMatch(/note: leg 4's pre-shared key/);
    expect(r.err).not.toMatch(/leg [125]'s pre-shared key/);
  });
  it('--dry-run of keys from the environment or a file: no warning, where the key comes from is shown', async () => {
    const r = await run(['--dry-run', '5000#V:E@203.0.113.5:0*env:VXB_KEY:8000', '5000#V:E@*:203.0.113.5*file:/etc/vxbridge/lab.key:8000', '5000#W:E@lan1']);
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/pre-shared key is on the command line/);
    expect(r.out).toMatch(/from environment variable VXB_KEY/);
    expect(r.out).toMatch(/from file \/etc\/vxbridge\/lab\.key/);
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
