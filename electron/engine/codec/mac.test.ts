import { describe, expect, it } from 'vitest';
import { formatMac, isGroupMac, parseMac, readMac } from './mac.js';

describe('MAC codec', () => {
  const table = [
    { text: '00:00:00:00:00:00', group: false },
    { text: 'ff:ff:ff:ff:ff:ff', group: true },
    { text: '01:00:5e:00:00:fb', group: true },
    { text: '33:33:00:00:00:01', group: true },
    { text: '02:42:ac:11:00:02', group: false },
    { text: 'fe:dc:ba:98:76:54', group: false },
  ];
  it.each(table)('$text reads, formats and parses back', ({ text, group }) => {
    const buf = Buffer.concat([Buffer.from([0xaa]), Buffer.from(text.replace(/:/g, ''), 'hex')]);
    const mac = readMac(buf, 1);
    expect(formatMac(mac)).toBe(text);
    expect(parseMac(text)).toBe(mac);
    expect(isGroupMac(buf, 1)).toBe(group);
  });
  it('rejects malformed text', () => {
    expect(() => parseMac('00:11:22:33:44')).toThrow(/not a MAC/);
    expect(() => parseMac('00:11:22:33:44:zz')).toThrow(/not a MAC/);
  });
});
