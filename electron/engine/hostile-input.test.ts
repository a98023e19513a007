// Hostile and random input never crashes the engine or the grammar: every
// datagram is either forwarded or dropped and counted, every string either
// parses (and then round-trips) or yields an error. Seeded, so reproducible.

import { afterEach, describe, expect, it } from 'vitest';
import { createBridge } from './bridge.js';
import type { BridgeHandle } from './bridge-api.js';
import { formatLeg, parseLeg } from '../model/leg-grammar.js';
import { MemoryCapturePort, MemoryNic } from './ports/memory-capture.js';
import { MemoryNetwork } from './ports/memory-udp.js';
import { settle } from './test-support/frames.js';
import { spec } from './test-support/legs.js';

/** xorshift32: small, seeded, good enough to spread inputs. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(a: readonly T[]) => a[Math.floor(next() * a.length)]! };
}

describe('hostile datagrams', () => {
  const bridges: BridgeHandle[] = [];
  afterEach(async () => {
    for (const b of bridges.splice(0)) await b.stop();
  });

  it.each([
    // name, leg, drop reasons that must show, whether random datagrams can deliver anything
    ['HER', '5000#V:E@10.0.0.1:10.0.0.2+10.0.0.3', ['malformed', 'wrong-vni', 'unknown-peer'], true],
    ['multicast', '5000#V:E@10.0.0.1:239.1.1.1', ['malformed', 'wrong-vni'], true],
    // A provider learns only verified VTEPs: random datagrams from anywhere carry nothing.
    ['provider', '5000#V:E@10.0.0.1:0', ['malformed', 'wrong-vni', 'unknown-peer'], false],
    ['encrypted provider', '5000#V:E@10.0.0.1:0*correct-horse-battery-staple', ['malformed'], false],
    ['Ethernet-over-UDP', '5000#U:E@10.0.0.1:4789:10.0.0.2:4789', ['malformed', 'unknown-peer'], true],
  ] as const)('%s leg survives 3000 random datagrams, dropping and counting the bad ones', async (_name, leg, reasons, delivers) => {
    const r = rng(0xc0ffee);
    const net = new MemoryNetwork();
    const capture = new MemoryCapturePort();
    const nic = capture.add(new MemoryNic('lan'));
    const b = createBridge([spec(leg), spec('5000#W:E@lan')], { capture, udp: net.host('10.0.0.1') });
    bridges.push(b);
    await b.start();
    const sources = ['10.0.0.2', '10.0.0.3', '10.6.6.6', '192.0.2.1'];
    const N = 3000;
    for (let i = 0; i < N; i++) {
      const len = r.pick([0, 1, 7, 8, 9, 13, 20, 21, 22, 60, 64, 1500, 1522, 9000, r.int(2000)]);
      const d = Buffer.alloc(len);
      for (let j = 0; j < len; j++) d[j] = r.int(256);
      if (len >= 8 && r.next() < 0.6) {
        d[0] = r.next() < 0.9 ? 0x08 : d[0]!; // mostly valid flags
        if (r.next() < 0.8) d.writeUIntBE(5000, 4, 3);
      }
      net.inject(d, r.pick(sources), 1024 + r.int(60000), '10.0.0.1', 4789);
      if (i % 200 === 0) await settle(1);
    }
    await settle();
    const s = b.snapshot();
    expect(s.legs.map((l) => l.state)).toEqual(['running', 'running']);
    const tunnel = s.legs[0]!;
    for (const reason of reasons) expect(tunnel.drops[reason], reason).toBeGreaterThan(0);
    if (delivers) expect(tunnel.rxPackets).toBeGreaterThan(0);
    else expect(tunnel.rxPackets).toBe(0);
    expect(tunnel.rxPackets).toBeLessThan(N);
    expect(s.peers.filter((p) => p.origin === 'learned' && !leg.includes('239.'))).toEqual([]);
    // What reached the adapter is only whole Ethernet frames that the leg took in.
    const injected = nic.take();
    expect(injected.length).toBeLessThanOrEqual(tunnel.rxPackets);
    for (const f of injected) expect(f.length).toBeGreaterThanOrEqual(14);
  });
});

describe('hostile leg strings', () => {
  const alphabet = [
    '5000',
    '0',
    '#',
    'V',
    'U',
    'W',
    'v',
    ':',
    'E',
    '@',
    '10.0.0.1',
    '239.1.1.1',
    '+',
    '*',
    'key',
    'env:K',
    '8472',
    '256.1.1.1',
    ' ',
    'eth0',
    '\\',
    '"',
    '-1',
    '99999999',
    '.',
    '::',
  ];
  it('5000 random strings: parseLeg never throws; what parses formats back to the same spec', () => {
    const r = rng(42);
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const parts = Array.from({ length: 1 + r.int(12) }, () => r.pick(alphabet));
      // Half of them start like a real leg, so the deeper parsers are reached too.
      const text = (r.next() < 0.5 ? r.pick(['5000#V:E@', '7#U:E@', '5000#W:E@']) : '') + parts.join('');
      const res = parseLeg(text);
      if (res.ok) {
        parsed++;
        const again = parseLeg(formatLeg(res.spec));
        expect(again.ok && again.spec).toEqual(res.spec);
      } else {
        expect(res.error.offset).toBeGreaterThanOrEqual(0);
        expect(res.error.offset + res.error.length).toBeLessThanOrEqual(text.length + 1);
        expect(res.error.message.length).toBeGreaterThan(0);
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
