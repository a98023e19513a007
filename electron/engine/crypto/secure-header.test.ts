import { describe, expect, it } from 'vitest';
import { SECURE_HEADER_LEN, SECURE_MIN_LEN, SecureType, TAG_LEN, emptySecureHeader, readSecureHeader, writeSecureHeader, type SecureHeader } from './secure-header.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const TAG = '00'.repeat(TAG_LEN);

describe('secure header constants', () => {
  it('are the README layout', () => {
    expect([SECURE_HEADER_LEN, TAG_LEN, SECURE_MIN_LEN, SecureType.FRAME, SecureType.KEEPALIVE]).toEqual([24, 16, 40, 1, 2]);
  });
});

describe('secure header', () => {
  // Hand-written from the README table: flags, marker, type, 0, VNI, 0, session, counter.
  const golden: ReadonlyArray<{ name: string; h: SecureHeader; bytes: string }> = [
    {
      name: 'frame, the fixed vector',
      h: { type: 1, vni: 5000, session: 0x0102030405060708n, counterHi: 0, counterLo: 7 },
      bytes: '00 e1 01 00 001388 00 0102030405060708 0000000000000007',
    },
    {
      name: 'keepalive',
      h: { type: 2, vni: 1, session: 0n, counterHi: 0, counterLo: 0 },
      bytes: '00 e1 02 00 000001 00 0000000000000000 0000000000000000',
    },
    {
      name: 'all fields at their maximum',
      h: { type: 1, vni: 0xffffff, session: 0xffff_ffff_ffff_ffffn, counterHi: 0xffffffff, counterLo: 0xfffffffe },
      bytes: '00 e1 01 00 ffffff 00 ffffffffffffffff fffffffffffffffe',
    },
    {
      name: 'counter halves',
      h: { type: 2, vni: 0xabcdef, session: 0x8000000000000001n, counterHi: 0x12345678, counterLo: 0x9abcdef0 },
      bytes: '00 e1 02 00 abcdef 00 8000000000000001 123456789abcdef0',
    },
  ];
  it.each(golden)('writes $name', ({ h, bytes }) => {
    const buf = Buffer.alloc(SECURE_HEADER_LEN + 2, 0xee);
    writeSecureHeader(buf, 1, h);
    expect(buf.subarray(1, 1 + SECURE_HEADER_LEN)).toEqual(hex(bytes));
    expect([buf[0], buf[SECURE_HEADER_LEN + 1]]).toEqual([0xee, 0xee]);
  });
  it.each(golden)('reads $name (into a reused object)', ({ h, bytes }) => {
    const out = emptySecureHeader();
    const buf = Buffer.concat([hex('ee ee'), hex(bytes), hex(TAG)]);
    expect(readSecureHeader(buf, 2, SECURE_MIN_LEN, out)).toBe(out);
    expect(out).toEqual(h);
  });

  const valid = '00 e1 01 00 001388 00 0102030405060708 0000000000000007';
  const hostile: ReadonlyArray<{ name: string; buf: Buffer; off: number; len: number }> = [
    { name: 'empty', buf: hex(''), off: 0, len: 0 },
    { name: 'header only, no tag', buf: hex(valid), off: 0, len: 24 },
    { name: 'one byte short of header and tag', buf: hex(valid + TAG), off: 0, len: 39 },
    { name: 'length lies beyond the buffer', buf: hex(valid + TAG), off: 0, len: 41 },
    { name: 'offset past the end', buf: hex(valid + TAG), off: 1, len: 40 },
    { name: 'negative offset', buf: hex(valid + TAG), off: -1, len: 40 },
    { name: 'NaN length', buf: hex(valid + TAG), off: 0, len: NaN },
    { name: 'fractional offset', buf: hex('00' + valid + TAG), off: 0.5, len: 40 },
    { name: 'flags 0x08 (plain VXLAN)', buf: hex('08 e1 01 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'flags 0x01', buf: hex('01 e1 01 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'marker 0xe2 (another version)', buf: hex('00 e2 01 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'marker 0x00', buf: hex('00 00 01 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'type 0', buf: hex('00 e1 00 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'type 5', buf: hex('00 e1 05 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'type 0xff', buf: hex('00 e1 ff 00 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'byte 3 not 0', buf: hex('00 e1 01 01 001388 00 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
    { name: 'byte 7 not 0', buf: hex('00 e1 01 00 001388 80 0102030405060708 0000000000000007' + TAG), off: 0, len: 40 },
  ];
  it.each(hostile)('$name is not a secure datagram', ({ buf, off, len }) => {
    expect(readSecureHeader(buf, off, len)).toBeNull();
  });

  it('accepts the shortest datagram (empty payload) and longer ones', () => {
    const buf = hex(valid + TAG + 'aabbcc');
    expect(readSecureHeader(buf, 0, 40)?.vni).toBe(5000);
    expect(readSecureHeader(buf, 0, 43)?.vni).toBe(5000);
  });
});
