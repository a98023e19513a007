// Real pcap capture and injection (native/pcap-capture.ts over npm `cap`) on a
// veth pair inside a namespace of its own. Needs root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NicInfo } from '../electron/model/nic-info.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NS = `vxbnat${process.pid}a`;
const A = 'vxcapa';
const B = 'vxcapb';
const N = 40;
// Outside the checkout, world-readable, with its own copy of `cap`: the
// unprivileged child must reach it even when the checkout sits under a 0700
// folder (as `mktemp -d` makes). Its package.json makes the .js files ES modules.
const OUT = mkdtempSync(join(tmpdir(), 'vxb-native-e2e-'));
const CHILD = join(OUT, 'e2e', 'fixtures', 'native-capture-child.js');

function run(cmd: string, args: readonly string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const inNs = (...args: string[]) => run('ip', ['netns', 'exec', NS, ...args]);

function child(prefix: readonly string[], ...args: string[]): Record<string, unknown> {
  const r = spawnSync('ip', ['netns', 'exec', NS, ...prefix, process.execPath, CHILD, ...args], { encoding: 'utf8', timeout: 30_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`child failed (status ${r.status}, signal ${r.signal}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(line) as Record<string, unknown>;
}

beforeAll(() => {
  // Compile only native/ and the child (not the whole tree, which others edit).
  chmodSync(OUT, 0o755);
  writeFileSync(join(OUT, 'package.json'), '{"type":"module"}\n');
  cpSync(join(ROOT, 'node_modules', 'cap'), join(OUT, 'node_modules', 'cap'), { recursive: true });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--outDir', OUT, '--rootDir', ROOT, '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'];
  run(process.execPath, [tsc, ...flags, '--strict', '--skipLibCheck', '--types', 'node', join(ROOT, 'e2e/fixtures/native-capture-child.ts')]);

  run('ip', ['netns', 'add', NS]);
  // No IPv6: no router/neighbour solicitations or MLD on the veths, so the
  // only frames on the wire are the test's own.
  inNs('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
  run('ip', ['-n', NS, 'link', 'add', A, 'type', 'veth', 'peer', 'name', B]);
  for (const nic of [A, B]) {
    // Offloads off: with them on, a veth hands pcap 64 KB GSO "frames" and
    // frames whose TCP/UDP checksums are not filled in yet.
    inNs('ethtool', '-K', nic, 'tx', 'off', 'rx', 'off', 'gso', 'off', 'tso', 'off', 'gro', 'off');
    run('ip', ['-n', NS, 'link', 'set', nic, 'up']);
  }
  run('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
});

afterAll(() => {
  try {
    spawnSync('ip', ['netns', 'del', NS]);
  } finally {
    rmSync(OUT, { recursive: true, force: true });
  }
});

describe('pcap capture on a veth pair', () => {
  let result: Record<string, unknown>;
  beforeAll(() => {
    result = child([], 'main', A, B, String(N));
  });

  it('injects frames on one end that the other end captures byte for byte, in order', () => {
    const injected = result.injected as string[];
    expect(injected).toHaveLength(N);
    expect(new Set(injected).size).toBe(N);
    expect(result.injectResults).toEqual(Array(N).fill(true));
    expect(result.capturedB).toEqual(injected);
  });

  it('returns false for a frame the kernel refuses (larger than the MTU)', () => {
    expect(result.oversizeInject).toBe(false);
  });

  it('does not hand the injecting handle its own frames back (Linux)', () => {
    // The kernel skips the sending packet socket; Npcap may not (the engine
    // must cope with echoes either way).
    expect(result.capturedA).toEqual([]);
  });

  it('reports a missing adapter as no-such-nic, listing those present', () => {
    const missing = result.missing as { code: string; message: string; fix: string };
    expect(missing.code).toBe('no-such-nic');
    expect(missing.message).toContain('"vxbnope0"');
    expect(missing.message).toMatch(new RegExp(`present: .*${A}`));
    expect(missing.fix).toContain('ubdg --list-nics');
  });

  it('lists both veths with the right flags, and lo as unsuitable, without pseudo devices', () => {
    const nics = result.nics as NicInfo[];
    expect(nics.map((n) => n.index)).toEqual(nics.map((_n, i) => i + 1));
    expect(nics.map((n) => n.name)).not.toContain('any');
    expect(nics.map((n) => n.name)).not.toContain('nflog');
    for (const name of [A, B]) {
      const nic = nics.find((n) => n.name === name);
      expect(nic, name).toMatchObject({
        description: name,
        mtu: 1500,
        mac: inNs('cat', `/sys/class/net/${name}/address`).trim(),
        addresses: [],
        flags: { up: true, running: true, loopback: false, wireless: false },
      });
      expect(nic?.flags.unsuitable).toBeUndefined();
    }
    const lo = nics.find((n) => n.name === 'lo');
    expect(lo?.flags.loopback).toBe(true);
    expect(lo?.flags.unsuitable).toMatch(/loopback/);
  });
});

describe('pcap capture without privileges', () => {
  it('reports permission with the setcap fix', () => {
    const r = child(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all'], 'permission', A) as {
      opened: boolean;
      error?: { code: string; fix: string };
    };
    expect(r.opened).toBe(false);
    expect(r.error?.code).toBe('permission');
    expect(r.error?.fix).toContain('setcap cap_net_raw,cap_net_admin=eip');
  });
});
