import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';

describe('parseArgs', () => {
  const good = [
    { argv: ['5000#W:E@eth0'], want: { command: 'run', legs: ['5000#W:E@eth0'], json: false, dryRun: false, interval: 1 } },
    { argv: ['--json', 'a', 'b'], want: { command: 'run', legs: ['a', 'b'], json: true } },
    { argv: ['-n', 'a'], want: { command: 'run', dryRun: true } },
    { argv: ['--interval', '0.5', '--json', 'a'], want: { interval: 0.5, json: true } },
    { argv: ['--help'], want: { command: 'help' } },
    { argv: ['-h', 'a'], want: { command: 'help' } },
    { argv: ['--list-nics'], want: { command: 'list-nics' } },
    { argv: ['--version'], want: { command: 'version' } },
    { argv: ['ui', '--port', '8080'], want: { command: 'ui', rest: ['--port', '8080'] } },
    { argv: ['--udp-buffer', '4M', '--pcap-buffer', '512k', 'a'], want: { udpBufferBytes: 4 * 1024 * 1024, pcapBufferBytes: 512 * 1024 } },
    { argv: ['--udp-buffer', '262144', 'a'], want: { udpBufferBytes: 262144 } },
    { argv: ['--keepalive', '5', 'a'], want: { keepaliveS: 5 } },
  ] as const;
  it.each(good)('$argv', ({ argv, want }) => {
    const r = parseArgs(argv);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.args).toMatchObject(want);
  });

  const bad = [
    { argv: [], error: /no legs given/ },
    { argv: ['--json'], error: /no legs given/ },
    { argv: ['--bogus', 'a'], error: /unknown option --bogus/ },
    { argv: ['--interval', 'x', 'a'], error: /--interval needs a number/ },
    { argv: ['--interval', '0', 'a'], error: /--interval needs a number/ },
    { argv: ['--interval'], error: /--interval needs a number/ },
    { argv: ['--udp-buffer', '1K', 'a'], error: /--udp-buffer needs a size/ },
    { argv: ['--pcap-buffer', 'lots', 'a'], error: /--pcap-buffer needs a size/ },
    { argv: ['--pcap-buffer'], error: /--pcap-buffer needs a size/ },
    { argv: ['--keepalive', '0', 'a'], error: /--keepalive needs whole seconds/ },
    { argv: ['--keepalive', '2.5', 'a'], error: /--keepalive needs whole seconds/ },
  ] as const;
  it.each(bad)('rejects $argv', ({ argv, error }) => {
    const r = parseArgs(argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(error);
  });
});
