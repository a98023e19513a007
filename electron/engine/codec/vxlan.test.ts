import { describe, expect, it } from 'vitest';
import { NOT_VXLAN, VXLAN_HEADER_LEN, readVxlanVni, writeVxlanHeader } from './vxlan.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Golden headers as the Linux kernel vxlan device sends them (tcpdump -xx).
describe('VXLAN header', () => {
  const golden: ReadonlyArray<{ vni: number; bytes: string }> = [
    { vni: 0, bytes: '08 000000 000000 00' },
    { vni: 5000, bytes: '08 000000 001388 00' },
    { vni: 0xabcdef, bytes: '08 000000 abcdef 00' },
    { vni: 16777215, bytes: '08 000000 ffffff 00' },
  ];
  it.each(golden)('writes VNI $vni as $bytes', ({ vni, bytes }) => {
    const buf = Buffer.alloc(VXLAN_HEADER_LEN + 2, 0xee);
    writeVxlanHeader(buf, 1, vni);
    expect(buf.subarray(1, 9)).toEqual(hex(bytes));
    expect(buf[0]).toBe(0xee);
    expect(buf[9]).toBe(0xee);
  });
  it.each(golden)('reads $bytes as VNI $vni', ({ vni, bytes }) => {
    expect(readVxlanVni(hex(bytes), 0, 8)).toBe(vni);
  });

  const hostile: ReadonlyArray<{ name: string; buf: Buffer; off: number; len: number; want: number }> = [
    { name: 'empty', buf: hex(''), off: 0, len: 0, want: NOT_VXLAN },
    { name: 'short', buf: hex('08 000000 0013'), off: 0, len: 6, want: NOT_VXLAN },
    { name: 'I flag clear', buf: hex('00 000000 001388 00'), off: 0, len: 8, want: NOT_VXLAN },
    { name: 'length lies beyond buffer', buf: hex('08 000000'), off: 0, len: 8, want: NOT_VXLAN },
    { name: 'offset past end', buf: hex('08 000000 001388 00'), off: 4, len: 8, want: NOT_VXLAN },
    { name: 'reserved bits set are ignored', buf: hex('ff ffffff 001388 ff'), off: 0, len: 8, want: 5000 },
  ];
  it.each(hostile)('$name', ({ buf, off, len, want }) => {
    expect(readVxlanVni(buf, off, len)).toBe(want);
  });
});
