// Control packets of plain provider/access legs (codec/control.ts): golden
// bytes, every malformed variant refused, random input never throws.

import { describe, expect, it } from 'vitest';
import { CONTROL_LEN, COOKIE_LEN, ControlType, NONCE_LEN, emptyControlPacket, readControl, writeControlCookie, writeControlKeepalive, type ControlPacket } from './control.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const COOKIE = hex('000102030405060708090a0b0c0d0e0f');
const NONCE = hex('a0a1a2a3a4a5a6a7');
const ZEROS = '00'.repeat(COOKIE_LEN);

/** xorshift32: small, seeded, good enough to spread inputs. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('control packet constants', () => {
  it('are the documented layout', () => {
    expect([CONTROL_LEN, NONCE_LEN, COOKIE_LEN, ControlType.KEEPALIVE, ControlType.COOKIE]).toEqual([40, 8, 16, 1, 2]);
  });
});

describe('control packets: golden bytes', () => {
  // Hand-written from the layout in control.ts's header comment (40 bytes since
  // the nonce came in; not produced by the writer and pasted back):
  //   keepalive  00 c1 01 00 | VNI (3) | 00 | period (u16) 0000 VTEP id (u32) | nonce (8)          | cookie (16, zeros if none)
  //   cookie     00 c1 02 00 | VNI (3) | 00 | the answered keepalive's nonce (8) | 00 x 8            | cookie (16)
  // Offsets: body 8, keepalive nonce 16, cookie packet nonce 8, cookie 24 (both).
  const keepalives: ReadonlyArray<{ name: string; vni: number; periodS: number; vtepId: number; nonce: Buffer; cookie: Buffer | null; bytes: string }> = [
    {
      name: 'keepalive without a cookie',
      vni: 5000,
      periodS: 20,
      vtepId: 0xdeadbeef,
      nonce: NONCE,
      cookie: null,
      bytes: `00 c1 01 00 001388 00 0014 0000 deadbeef a0a1a2a3a4a5a6a7 ${ZEROS}`,
    },
    {
      name: 'keepalive with a cookie',
      vni: 5000,
      periodS: 20,
      vtepId: 0xdeadbeef,
      nonce: NONCE,
      cookie: COOKIE,
      bytes: '00 c1 01 00 001388 00 0014 0000 deadbeef a0a1a2a3a4a5a6a7 000102030405060708090a0b0c0d0e0f',
    },
    {
      name: 'keepalive, largest VNI and period',
      vni: 0xffffff,
      periodS: 0xffff,
      vtepId: 0xffffffff,
      nonce: hex('ffffffffffffffff'),
      cookie: null,
      bytes: `00 c1 01 00 ffffff 00 ffff 0000 ffffffff ffffffffffffffff ${ZEROS}`,
    },
    {
      name: 'keepalive, VNI 1, VTEP id 0, nonce of zeros',
      vni: 1,
      periodS: 1,
      vtepId: 0,
      nonce: hex('0000000000000000'),
      cookie: null,
      bytes: `00 c1 01 00 000001 00 0001 0000 00000000 0000000000000000 ${ZEROS}`,
    },
  ];
  it.each(keepalives)('writes a $name', ({ vni, periodS, vtepId, nonce, cookie, bytes }) => {
    const buf = Buffer.alloc(CONTROL_LEN + 4, 0xee); // stale bytes: the writer must overwrite them all
    expect(writeControlKeepalive(buf, 2, vni, periodS, vtepId, nonce, cookie)).toBe(CONTROL_LEN);
    expect(buf.subarray(2, 2 + CONTROL_LEN)).toEqual(hex(bytes));
    expect([buf[0], buf[1], buf[CONTROL_LEN + 2], buf[CONTROL_LEN + 3]]).toEqual([0xee, 0xee, 0xee, 0xee]);
  });
  it.each(keepalives)('reads a $name (into a reused object)', ({ vni, periodS, vtepId, nonce, bytes }) => {
    const out = emptyControlPacket();
    const buf = Buffer.concat([hex('eeeeee'), hex(bytes)]);
    expect(readControl(buf, 3, CONTROL_LEN, out)).toBe(out);
    expect(out).toEqual({ type: ControlType.KEEPALIVE, vni, periodS, vtepId, nonceAt: 3 + 16, cookieAt: 3 + 24 });
    expect(buf.subarray(out.nonceAt, out.nonceAt + NONCE_LEN)).toEqual(nonce);
    expect(buf.subarray(out.cookieAt, out.cookieAt + COOKIE_LEN)).toEqual(hex(bytes).subarray(24));
  });

  it('the keepalive writer copies only NONCE_LEN bytes of a longer nonce buffer', () => {
    const buf = Buffer.alloc(CONTROL_LEN);
    writeControlKeepalive(buf, 0, 5000, 20, 0xdeadbeef, Buffer.concat([NONCE, hex('eeee')]), null);
    expect(buf).toEqual(hex(keepalives[0]!.bytes));
  });

  // Answers the keepalive with nonce a0..a7: bytes 8..15 echo it, 16..23 are zero.
  const cookiePacket = '00 c1 02 00 001388 00 a0a1a2a3a4a5a6a7 0000000000000000 000102030405060708090a0b0c0d0e0f';
  it('writes a cookie packet, the nonce taken from where it sits in the keepalive', () => {
    const buf = Buffer.alloc(CONTROL_LEN + 1, 0xee);
    const keepalive = Buffer.concat([hex('eeee'), hex(keepalives[0]!.bytes)]); // its nonce at 2 + 16
    expect(writeControlCookie(buf, 1, 5000, keepalive, 2 + 16, COOKIE)).toBe(CONTROL_LEN);
    expect(buf.subarray(1)).toEqual(hex(cookiePacket));
    expect(buf[0]).toBe(0xee);
  });
  it('reads a cookie packet', () => {
    const out = emptyControlPacket();
    const buf = hex(cookiePacket);
    expect(readControl(buf, 0, CONTROL_LEN, out)).toEqual({ type: ControlType.COOKIE, vni: 5000, periodS: 0, vtepId: 0, nonceAt: 8, cookieAt: 24 });
    expect(buf.subarray(out.nonceAt, out.nonceAt + NONCE_LEN)).toEqual(NONCE);
    expect(buf.subarray(out.cookieAt, out.cookieAt + COOKIE_LEN)).toEqual(COOKIE);
  });

  it('a cookie answering a keepalive read from the wire echoes exactly its nonce (round trip)', () => {
    const nonce = hex('0123456789abcdef');
    const keepalive = Buffer.alloc(CONTROL_LEN + 5, 0xee);
    writeControlKeepalive(keepalive, 5, 5000, 20, 7, nonce, null);
    const ka = readControl(keepalive, 5, CONTROL_LEN, emptyControlPacket())!;
    const answer = Buffer.alloc(CONTROL_LEN, 0xee);
    writeControlCookie(answer, 0, ka.vni, keepalive, ka.nonceAt, COOKIE);
    const c = readControl(answer, 0, CONTROL_LEN, emptyControlPacket())!;
    expect(c.type).toBe(ControlType.COOKIE);
    expect(answer.subarray(c.nonceAt, c.nonceAt + NONCE_LEN)).toEqual(nonce);
    expect(answer.subarray(c.cookieAt, c.cookieAt + COOKIE_LEN)).toEqual(COOKIE);
  });

  it('a keepalive is as long as the cookie that answers it (no amplification)', () => {
    const a = Buffer.alloc(64);
    const b = Buffer.alloc(64);
    const keepaliveLen = writeControlKeepalive(a, 0, 1, 20, 1, NONCE, null);
    expect(writeControlCookie(b, 0, 1, a, 16, COOKIE)).toBe(keepaliveLen);
    expect(keepaliveLen).toBe(CONTROL_LEN);
  });

  it.each([
    { name: 'period 0 is written as 1 (0 would be refused)', periodS: 0, field: '0001' },
    { name: 'a fractional period is rounded', periodS: 2.4, field: '0002' },
    { name: 'a period above 65535 s is capped', periodS: 70_000, field: 'ffff' },
  ])('keepalive writer: $name', ({ periodS, field }) => {
    const buf = Buffer.alloc(CONTROL_LEN);
    writeControlKeepalive(buf, 0, 5000, periodS, 7, NONCE, null);
    expect(buf.subarray(8, 10)).toEqual(hex(field));
    expect(readControl(buf, 0, CONTROL_LEN, emptyControlPacket())).not.toBeNull();
  });

  it('keepalive writer: a negative VTEP id is written as its u32', () => {
    const buf = Buffer.alloc(CONTROL_LEN);
    writeControlKeepalive(buf, 0, 5000, 20, -1, NONCE, null);
    expect(readControl(buf, 0, CONTROL_LEN, emptyControlPacket())?.vtepId).toBe(0xffffffff);
  });
});

describe('control packets: malformed input is none', () => {
  // Valid 40-byte packets (see 'the bases are valid' below), each row breaks one thing.
  const ka = `00 c1 01 00 001388 00 0014 0000 deadbeef a0a1a2a3a4a5a6a7 ${ZEROS}`;
  const cookie = `00 c1 02 00 001388 00 a0a1a2a3a4a5a6a7 0000000000000000 ${ZEROS}`;
  const withByte = (bytes: string, at: number, value: number) => {
    const b = hex(bytes);
    b[at] = value;
    return b;
  };
  const rows: ReadonlyArray<{ name: string; buf: Buffer; off?: number; len?: number }> = [
    { name: 'empty', buf: hex(''), len: 0 },
    { name: 'one byte short', buf: hex(ka), len: CONTROL_LEN - 1 },
    { name: 'one byte long', buf: Buffer.concat([hex(ka), hex('00')]), len: CONTROL_LEN + 1 },
    { name: 'a 12-byte VXBK keepalive of the old format', buf: Buffer.concat([hex('0800000000138800'), hex('5658424b 01 00 0014 deadbeef')]), len: 20 },
    { name: 'a 32-byte keepalive of the layout before the nonce', buf: hex(`00 c1 01 00 001388 00 0014 0000 deadbeef ${ZEROS}`), len: 32 },
    { name: 'a 32-byte keepalive of the layout before the nonce, read as 40', buf: hex(`00 c1 01 00 001388 00 0014 0000 deadbeef ${ZEROS}`), len: CONTROL_LEN },
    { name: 'length beyond the buffer', buf: hex(ka).subarray(0, CONTROL_LEN - 1), len: CONTROL_LEN },
    { name: 'offset past the end', buf: hex(ka), off: 1, len: CONTROL_LEN },
    { name: 'negative offset', buf: hex(ka), off: -1, len: CONTROL_LEN },
    { name: 'NaN offset', buf: hex(ka), off: NaN, len: CONTROL_LEN },
    { name: 'fractional offset', buf: Buffer.concat([hex('00'), hex(ka)]), off: 0.5, len: CONTROL_LEN },
    { name: 'flags 0x08: the VXLAN I bit set (a frame, not control)', buf: withByte(ka, 0, 0x08) },
    { name: 'flags 0x80', buf: withByte(ka, 0, 0x80) },
    { name: 'flags 0x01', buf: withByte(ka, 0, 0x01) },
    { name: 'marker 0xe1 (a sealed datagram)', buf: withByte(ka, 1, 0xe1) },
    { name: 'marker 0xc2 (another version)', buf: withByte(ka, 1, 0xc2) },
    { name: 'marker 0x00', buf: withByte(ka, 1, 0x00) },
    { name: 'type 0', buf: withByte(ka, 2, 0) },
    { name: 'type 3', buf: withByte(ka, 2, 3) },
    { name: 'type 0xff', buf: withByte(ka, 2, 0xff) },
    { name: 'reserved byte 3 not 0', buf: withByte(ka, 3, 1) },
    { name: 'reserved byte 7 not 0', buf: withByte(ka, 7, 0x80) },
    { name: 'cookie packet, reserved byte 3 not 0', buf: withByte(cookie, 3, 0xff) },
    { name: 'cookie packet, reserved byte 7 not 0', buf: withByte(cookie, 7, 1) },
    { name: 'keepalive period 0', buf: hex(`00 c1 01 00 001388 00 0000 0000 deadbeef a0a1a2a3a4a5a6a7 ${ZEROS}`) },
    { name: 'all zeros', buf: Buffer.alloc(CONTROL_LEN) },
    { name: 'all ones', buf: Buffer.alloc(CONTROL_LEN, 0xff) },
  ];
  it('the bases are valid (so each row is refused for the one thing it breaks)', () => {
    expect(hex(ka)).toHaveLength(CONTROL_LEN);
    expect(hex(cookie)).toHaveLength(CONTROL_LEN);
    expect(readControl(hex(ka), 0, CONTROL_LEN, emptyControlPacket())?.type).toBe(ControlType.KEEPALIVE);
    expect(readControl(hex(cookie), 0, CONTROL_LEN, emptyControlPacket())?.type).toBe(ControlType.COOKIE);
  });
  it.each(rows)('$name', ({ buf, off = 0, len = CONTROL_LEN }) => {
    expect(readControl(buf, off, len, emptyControlPacket())).toBeNull();
  });

  it('never throws on random input, and what it accepts is exactly the format', () => {
    const next = rng(0x5eed);
    const out: ControlPacket = emptyControlPacket();
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const n = i % 4 === 0 ? next() % 80 : CONTROL_LEN; // mostly the right length, to get past the first check
      const buf = Buffer.alloc(n);
      for (let j = 0; j < n; j++) buf[j] = next() & 0xff;
      if (i % 2 === 1 && n >= 4) {
        // A valid head half of the time, so the deeper checks see random bodies.
        buf[0] = 0;
        buf[1] = 0xc1;
        buf[2] = 1 + (next() % 3);
        buf[3] = next() % 8 === 0 ? 1 : 0;
        if (n > 7) buf[7] = next() % 8 === 0 ? 1 : 0;
      }
      const off = next() % 8 === 0 ? (next() % 5) - 2 : 0;
      const len = next() % 8 === 0 ? next() % 48 : n - Math.max(0, off);
      const r = readControl(buf, off, len, out); // a throw fails the test
      if (r === null) continue;
      accepted++;
      expect(len).toBe(CONTROL_LEN);
      expect([buf[off], buf[off + 1], buf[off + 3], buf[off + 7]]).toEqual([0, 0xc1, 0, 0]);
      expect([ControlType.KEEPALIVE, ControlType.COOKIE]).toContain(out.type);
      if (out.type === ControlType.KEEPALIVE) expect(out.periodS).toBeGreaterThan(0);
      expect(out.nonceAt).toBe(off + (out.type === ControlType.KEEPALIVE ? 16 : 8));
      expect(out.cookieAt).toBe(off + 24);
      expect(out.cookieAt + COOKIE_LEN).toBeLessThanOrEqual(buf.length);
    }
    expect(accepted).toBeGreaterThan(100); // the generator did reach the accepting paths
  });
});
