import { describe, expect, it } from 'vitest';
import { fixIpv4L4Checksum, ipv4L4ChecksumState, isOversizeFrame, offloadFixHint } from './offload-check.js';

// Real frames, captured with `tcpdump -xx` on a veth with offloads off
// (10.77.0.1 -> 10.77.0.2): UDP with a 17-byte payload, TCP SYN, TCP RST.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const UDP = hex(`52d8 d428 fed5 e634 088c e780 0800 4500 002d e14b 4000 4011 44d8 0a4d 0001 0a4d
  0002 9c41 12b5 0019 0f1a 7678 6272 6964 6765 2067 6f6c 6465 6e21 21`);
const SYN = hex(`52d8 d428 fed5 e634 088c e780 0800 4500 003c dd39 4000 4006 48e6 0a4d 0001 0a4d
  0002 9c42 15b3 8e38 46d6 0000 0000 a002 faf0 f8ec 0000 0204 05b4 0402 080a 15e9
  a295 0000 0000 0103 030a`);
const RST = hex(`e634 088c e780 52d8 d428 fed5 0800 4500 0028 0000 4000 4006 2634 0a4d 0002 0a4d
  0001 15b3 9c42 0000 0000 8e38 46d7 5014 0000 142f 0000`);
const IP = 14;
const ck = (f: Buffer, ip = IP) => f.readUInt16BE(ip + (f[ip]! & 15) * 4 + (f[ip + 9] === 6 ? 16 : 6));

/** Reference: build pseudo header + segment as one buffer, add with end-around carry. */
function refChecksum(frame: Buffer, ip = IP): number {
  const ihl = (frame[ip]! & 15) * 4;
  const proto = frame[ip + 9]!;
  const seg = Buffer.from(frame.subarray(ip + ihl, ip + frame.readUInt16BE(ip + 2)));
  seg.writeUInt16BE(0, proto === 6 ? 16 : 6);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(seg.length);
  const all = Buffer.concat([frame.subarray(ip + 12, ip + 20), Buffer.from([0, proto]), len, seg, Buffer.alloc(seg.length % 2)]);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) {
    sum += all.readUInt16BE(i);
    if (sum > 0xffff) sum -= 0xffff;
  }
  const c = ~sum & 0xffff;
  return proto === 17 && c === 0 ? 0xffff : c;
}

function withVlan(f: Buffer): Buffer {
  return Buffer.concat([f.subarray(0, 12), hex('8100 0064'), f.subarray(12)]);
}
function edit(f: Buffer, fn: (b: Buffer) => void): Buffer {
  const b = Buffer.from(f);
  fn(b);
  return b;
}
/** A UDP/TCP frame with `n` payload bytes of a pattern and checksum 0. */
function built(proto: 6 | 17, n: number): Buffer {
  const l4 = proto === 6 ? 20 : 8;
  const f = Buffer.alloc(IP + 20 + l4 + n);
  hex('020000000002 020000000001 0800').copy(f);
  f.writeUInt8(0x45, IP);
  f.writeUInt16BE(20 + l4 + n, IP + 2);
  f.writeUInt8(64, IP + 8);
  f.writeUInt8(proto, IP + 9);
  hex('c0a80a01 c0a80a63').copy(f, IP + 12);
  if (proto === 17) f.writeUInt16BE(l4 + n, IP + 24);
  else f.writeUInt8(0x50, IP + 32);
  for (let i = 0; i < n; i++) f[IP + 20 + l4 + i] = (i * 37 + n) & 0xff;
  return f;
}

describe('ipv4L4ChecksumState', () => {
  const cases: [string, Buffer, 'ok' | 'bad' | 'not-applicable'][] = [
    ['captured UDP', UDP, 'ok'],
    ['captured TCP SYN', SYN, 'ok'],
    ['captured TCP RST', RST, 'ok'],
    ['UDP, payload byte changed', edit(UDP, (b) => (b[50] = b[50]! ^ 1)), 'bad'],
    ['TCP, checksum left to the NIC (0)', edit(SYN, (b) => b.writeUInt16BE(0, 50)), 'bad'],
    ['UDP checksum 0 = unused', edit(UDP, (b) => b.writeUInt16BE(0, 40)), 'ok'],
    ['802.1Q-tagged UDP', withVlan(UDP), 'ok'],
    ['more-fragments set', edit(UDP, (b) => (b[20] = 0x20)), 'not-applicable'],
    ['non-first fragment', edit(UDP, (b) => b.writeUInt16BE(0x0010, 20)), 'not-applicable'],
    ['ICMP', edit(UDP, (b) => (b[23] = 1)), 'not-applicable'],
    ['ARP', edit(RST, (b) => b.writeUInt16BE(0x0806, 12)), 'not-applicable'],
    ['IPv6 ethertype', edit(RST, (b) => b.writeUInt16BE(0x86dd, 12)), 'not-applicable'],
    ['truncated capture', SYN.subarray(0, 60), 'not-applicable'],
    ['IP version 6 in an IPv4 ethertype', edit(UDP, (b) => (b[14] = 0x65)), 'not-applicable'],
    ['UDP length beyond the IP packet', edit(UDP, (b) => b.writeUInt16BE(0x40, 38)), 'not-applicable'],
    ['shorter than an Ethernet header', UDP.subarray(0, 10), 'not-applicable'],
  ];
  it.each(cases)('%s -> %s', (_name, frame, want) => {
    expect(ipv4L4ChecksumState(frame, 0, frame.length)).toBe(want);
  });

  it('reads at an offset inside a larger buffer and ignores what follows', () => {
    const big = Buffer.concat([Buffer.alloc(7, 0xee), SYN, Buffer.alloc(9, 0xee)]);
    expect(ipv4L4ChecksumState(big, 7, SYN.length)).toBe('ok');
    expect(ipv4L4ChecksumState(big, 7, SYN.length - 1)).toBe('not-applicable');
    expect(ipv4L4ChecksumState(big, 7, big.length)).toBe('not-applicable'); // out of bounds
  });

  it('agrees with the reference implementation on built frames', () => {
    for (const proto of [6, 17] as const) {
      for (const n of [0, 1, 2, 17, 18, 1000, 1001, 1452]) {
        const f = built(proto, n);
        f.writeUInt16BE(refChecksum(f), IP + 20 + (proto === 6 ? 16 : 6));
        expect(ipv4L4ChecksumState(f, 0, f.length), `${proto}/${n}`).toBe('ok');
      }
    }
  });
});

describe('fixIpv4L4Checksum', () => {
  it.each([
    ['UDP', UDP, 0x0f1a],
    ['TCP SYN', SYN, 0xf8ec],
    ['TCP RST', RST, 0x142f],
  ] as const)('restores the captured checksum of %s', (_n, golden, want) => {
    const f = edit(golden, (b) => b.writeUInt16BE(0x1234, b[23] === 6 ? 50 : 40));
    expect(ipv4L4ChecksumState(f, 0, f.length)).toBe('bad');
    expect(fixIpv4L4Checksum(f, 0, f.length)).toBe(true);
    expect(ck(f)).toBe(want);
    expect(f.equals(golden)).toBe(true);
  });

  it('fills in built frames exactly like the reference implementation', () => {
    for (const proto of [6, 17] as const) {
      for (const n of [0, 1, 7, 64, 513, 1460]) {
        const f = built(proto, n);
        f.writeUInt16BE(0xbeef, IP + 20 + (proto === 6 ? 16 : 6));
        expect(fixIpv4L4Checksum(f, 0, f.length)).toBe(true);
        expect(ck(f), `${proto}/${n}`).toBe(refChecksum(f));
      }
    }
  });

  it('writes 0xffff, never 0, when a UDP checksum computes to zero', () => {
    const f = built(17, 2);
    // Pick the payload word that makes the correct checksum 0 (the reference reports it as 0xffff).
    let w = 0;
    for (; w <= 0xffff; w++) {
      f.writeUInt16BE(w, IP + 28);
      if (refChecksum(f) === 0xffff) break;
    }
    expect(w).toBeLessThanOrEqual(0xffff);
    f.writeUInt16BE(0x0101, IP + 26);
    expect(fixIpv4L4Checksum(f, 0, f.length)).toBe(true);
    expect(ck(f)).toBe(0xffff);
    expect(ipv4L4ChecksumState(f, 0, f.length)).toBe('ok');
  });

  it('leaves UDP checksum 0 alone and refuses what it cannot sum', () => {
    const zero = edit(UDP, (b) => b.writeUInt16BE(0, 40));
    expect(fixIpv4L4Checksum(zero, 0, zero.length)).toBe(true);
    expect(ck(zero)).toBe(0);
    const frag = edit(UDP, (b) => (b[20] = 0x20));
    expect(fixIpv4L4Checksum(frag, 0, frag.length)).toBe(false);
    expect(frag.equals(edit(UDP, (b) => (b[20] = 0x20)))).toBe(true);
    expect(fixIpv4L4Checksum(SYN, 0, 60)).toBe(false);
  });

  it('fixes a VLAN-tagged frame at an offset', () => {
    const tagged = withVlan(SYN);
    const big = Buffer.concat([Buffer.alloc(5), tagged]);
    big.writeUInt16BE(0, 5 + 18 + 36);
    expect(fixIpv4L4Checksum(big, 5, tagged.length)).toBe(true);
    expect(big.subarray(5).equals(tagged)).toBe(true);
  });
});

describe('isOversizeFrame', () => {
  it.each([
    [1514, 1500, false],
    [1518, 1500, false], // one VLAN tag
    [1519, 1500, true],
    [65226, 1500, true], // a GSO/GRO super-frame
    [9018, 9000, false],
    [1414, 1400, false],
    [1419, 1400, true],
  ])('%i bytes at MTU %i -> %s', (len, mtu, want) => {
    expect(isOversizeFrame(len, mtu)).toBe(want);
  });
});

describe('offloadFixHint', () => {
  it('gives the exact ethtool command for the adapter and says why', () => {
    const hint = offloadFixHint('lan1');
    expect(hint.startsWith('ethtool -K lan1 tx off gso off tso off gro off')).toBe(true);
    expect(hint).toMatch(/checksum/);
  });
});
