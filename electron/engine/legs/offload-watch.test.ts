import { describe, expect, it } from 'vitest';
import { fixIpv4L4Checksum, ipv4L4ChecksumState } from '../codec/offload-check.js';
import { OffloadWatch } from './offload-watch.js';

const OWN = 0x020000000001;
const OTHER = 0x020000000002;

/** An IPv4/UDP frame from `srcMac` with a correct checksum, or with a zeroed-out one
 *  left for the NIC (what tx checksum offload hands to pcap). */
function udpFrame(srcMac: number, checksum: 'good' | 'unfilled'): Buffer {
  const f = Buffer.alloc(14 + 20 + 8 + 18);
  f.writeUIntBE(0x02aaaaaaaaaa, 0, 6);
  f.writeUIntBE(srcMac, 6, 6);
  f.writeUInt16BE(0x0800, 12);
  f[14] = 0x45;
  f.writeUInt16BE(20 + 8 + 18, 16);
  f[22] = 64;
  f[23] = 17;
  f.writeUInt32BE(0x0a000001, 26);
  f.writeUInt32BE(0x0a000002, 30);
  f.writeUInt16BE(5000, 34);
  f.writeUInt16BE(5001, 36);
  f.writeUInt16BE(8 + 18, 38);
  f.fill(7, 42);
  fixIpv4L4Checksum(f, 0, f.length);
  if (checksum === 'unfilled') f.writeUInt16BE(0x1234, 40);
  return f;
}

describe('OffloadWatch', () => {
  it('drops frames over the MTU and tells the fix', () => {
    const warnings: string[] = [];
    const w = new OffloadWatch('lan1', 1500, (m) => warnings.push(m), OWN);
    expect(w.admit(Buffer.alloc(9000), 9000)).toBe(false);
    expect(w.admit(Buffer.alloc(1518), 1518)).toBe(true);
    expect(warnings[0]).toMatch(/ethtool -K lan1/);
  });

  it('repairs this host’s outgoing frames once unfilled checksums keep coming, and says so', () => {
    const warnings: string[] = [];
    const w = new OffloadWatch('lan1', 1500, (m) => warnings.push(m), OWN);
    for (let i = 0; i < 2; i++) w.admit(udpFrame(OWN, 'unfilled'), 60);
    expect(w.repairing).toBe(false);
    const third = udpFrame(OWN, 'unfilled');
    w.admit(third, third.length);
    expect(w.repairing).toBe(true);
    expect(ipv4L4ChecksumState(third, 0, third.length)).toBe('ok');
    const later = udpFrame(OWN, 'unfilled');
    w.admit(later, later.length);
    expect(ipv4L4ChecksumState(later, 0, later.length)).toBe('ok');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/checksum.*ethtool -K lan1/);
  });

  it('leaves bad checksums from other hosts alone: that is corruption, not offload', () => {
    const warnings: string[] = [];
    const w = new OffloadWatch('lan1', 1500, (m) => warnings.push(m), OWN);
    for (let i = 0; i < 10; i++) {
      const f = udpFrame(OTHER, 'unfilled');
      w.admit(f, f.length);
      expect(ipv4L4ChecksumState(f, 0, f.length)).toBe('bad');
    }
    expect(w.repairing).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('without a known adapter MAC, one bad frame is not enough', () => {
    const w = new OffloadWatch('lan1', 1500, () => {});
    w.admit(udpFrame(OTHER, 'unfilled'), 60);
    expect(w.repairing).toBe(false);
    w.admit(udpFrame(OTHER, 'good'), 60);
    expect(w.repairing).toBe(false);
  });
});
