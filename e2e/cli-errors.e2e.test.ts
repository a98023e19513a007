// The CLI's exit codes and messages: 2 for a bad command line (nothing
// started), 1 when a leg cannot start (message names the cause and the fix),
// 0 for --help. Runs inside a namespace of its own.

import { describe, expect, it } from 'vitest';
import { holdUdpPort } from './lib/fixtures.js';
import { useTopology } from './lib/scenario.js';
import { runUbdgOnce } from './lib/ubdg.js';

describe('ubdg: exit codes and error messages', () => {
  const topo = useTopology({ tag: 'cli', sites: 2 });

  it('--help prints usage and exits 0', async () => {
    const r = await runUbdgOnce(null, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage/);
    expect(r.stdout).toMatch(/#V:E@/);
  });

  const MALFORMED: ReadonlyArray<{ legs: string[]; bad: string }> = [
    { legs: ['5000#V:E@10.99.0.1:10.99.0.999', '5000#W:E@lan1'], bad: '10.99.0.999' },
    { legs: ['16777216#W:E@lan1', '7#W:E@lan1'], bad: '16777216' },
    { legs: ['7#U:E@10.99.0.1:40000:10.99.0.2:70000', '7#W:E@lan1'], bad: '70000' },
    { legs: ['7#W:E@lan1', '7#Q:E@lan1'], bad: 'Q' },
  ];
  for (const m of MALFORMED) {
    it(`a malformed leg (${m.legs.join(' ')}) exits 2, names '${m.bad}', starts nothing`, async () => {
      const s1 = topo().site(1);
      const r = await runUbdgOnce(s1.bridge, [...m.legs, '--json']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(m.bad);
      // Nothing started: no status line on stdout, no "running" leg on stderr.
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/ running\b/);
    });
  }

  it('a missing NIC (5000#W:E@nope0) exits 1 and says what to do', async () => {
    const s1 = topo().site(1);
    const r = await runUbdgOnce(s1.bridge, ['5000#V:E@10.99.0.1:10.99.0.2', '5000#W:E@nope0', '--json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('nope0');
    expect(r.stderr).toMatch(/--list-nics/);
    expect(r.stdout).toBe('');
  });

  it('a UDP port already in use exits 1, names the port and says what to do', async () => {
    const s1 = topo().site(1);
    const holder = await holdUdpPort(s1.bridge, '0.0.0.0', 4789);
    try {
      const r = await runUbdgOnce(s1.bridge, ['5000#V:E@10.99.0.1:10.99.0.2', '5000#W:E@lan1', '--json']);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/4789/);
      expect(r.stderr).toMatch(/in use/i);
      expect(r.stderr).toMatch(/fix|another port|stop/i);
      expect(r.stdout).toBe('');
    } finally {
      holder.kill();
    }
  });
});
