import { describe, expect, it } from 'vitest';
import { KEEPALIVE_LEN, readKeepalive, writeKeepalive } from './keepalive.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('keepalive payload', () => {
  const golden = [
    { k: { vtepId: 0xdeadbeef, periodS: 20 }, bytes: '5658424b 01 00 0014 deadbeef' },
    { k: { vtepId: 1, periodS: 1 }, bytes: '5658424b 01 00 0001 00000001' },
    { k: { vtepId: 0, periodS: 3600 }, bytes: '5658424b 01 00 0e10 00000000' },
  ];
  it.each(golden)('$bytes', ({ k, bytes }) => {
    const buf = Buffer.alloc(KEEPALIVE_LEN + 3, 0xee);
    writeKeepalive(buf, 3, k);
    expect(buf.subarray(3)).toEqual(hex(bytes));
    expect(readKeepalive(buf, 3, KEEPALIVE_LEN)).toEqual(k);
  });

  const notKeepalives = [
    { name: 'empty', buf: hex(''), len: 0 },
    { name: 'wrong magic', buf: hex('5658424c 01 00 0014 deadbeef'), len: 12 },
    { name: 'unknown version', buf: hex('5658424b 02 00 0014 deadbeef'), len: 12 },
    { name: 'period 0', buf: hex('5658424b 01 00 0000 deadbeef'), len: 12 },
    { name: 'longer (a frame)', buf: hex('5658424b 01 00 0014 deadbeef 00'), len: 13 },
    { name: 'length beyond buffer', buf: hex('5658424b 01 00 0014'), len: 12 },
  ];
  it.each(notKeepalives)('$name is not a keepalive', ({ buf, len }) => {
    expect(readKeepalive(buf, 0, len)).toBeNull();
  });
});
