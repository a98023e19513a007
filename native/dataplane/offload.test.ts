// The native offload path (offload.cc) on frames as the kernel hands them to a
// packet socket with PACKET_VNET_HDR: table-driven, each result checked with an
// independent checksum and against the original stream.
import { describe, expect, it } from 'vitest';
import { loadDataPlaneModule, type DataPlaneModule } from '../dataplane-module.js';

const loaded = loadDataPlaneModule();

function sum16(b: Buffer, from: number, to: number, seed = 0): number {
  let s = seed;
  for (let i = from; i + 1 < to; i += 2) s += b.readUInt16BE(i);
  if ((to - from) % 2 === 1) s += b[to - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

const MAC_HDR = Buffer.from('020000000002020000000001', 'hex');

interface Built {
  frame: Buffer;
  l3: number;
  l4: number;
  payload: Buffer;
}

function build(opts: { v6?: boolean; udp?: boolean; payload: number; vlan?: boolean; flags?: number }): Built {
  const l3 = 14 + (opts.vlan ? 4 : 0);
  const ipLen = opts.v6 ? 40 : 20;
  const l4Len = opts.udp ? 8 : 32; // TCP with 12 bytes of options (timestamps)
  const payload = Buffer.alloc(opts.payload);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) & 0xff;
  const f = Buffer.alloc(l3 + ipLen + l4Len + payload.length);
  MAC_HDR.copy(f, 0);
  if (opts.vlan) {
    f.writeUInt16BE(0x8100, 12);
    f.writeUInt16BE(42, 14);
  }
  f.writeUInt16BE(opts.v6 ? 0x86dd : 0x0800, l3 - 2);
  const proto = opts.udp ? 17 : 6;
  if (opts.v6) {
    f[l3] = 0x60;
    f.writeUInt16BE(l4Len + payload.length, l3 + 4);
    f[l3 + 6] = proto;
    f[l3 + 7] = 64;
    Buffer.from('fd000000000000000000000000000001', 'hex').copy(f, l3 + 8);
    Buffer.from('fd000000000000000000000000000002', 'hex').copy(f, l3 + 24);
  } else {
    f[l3] = 0x45;
    f.writeUInt16BE(ipLen + l4Len + payload.length, l3 + 2);
    f.writeUInt16BE(0x1234, l3 + 4);
    f[l3 + 6] = 0x40;
    f[l3 + 8] = 64;
    f[l3 + 9] = proto;
    Buffer.from([10, 20, 1, 1, 10, 20, 1, 2]).copy(f, l3 + 12);
  }
  const l4 = l3 + ipLen;
  f.writeUInt16BE(40000, l4);
  f.writeUInt16BE(5201, l4 + 2);
  if (opts.udp) {
    f.writeUInt16BE(8 + payload.length, l4 + 4);
  } else {
    f.writeUInt32BE(0xfffff000, l4 + 4); // wraps within the super-frame
    f[l4 + 12] = (l4Len / 4) << 4;
    f[l4 + 13] = opts.flags ?? 0x18; // PSH|ACK
    f.writeUInt16BE(65535, l4 + 14);
    f[l4 + 20] = 1; // NOP NOP timestamp option
    f[l4 + 21] = 1;
    f[l4 + 22] = 8;
    f[l4 + 23] = 10;
  }
  payload.copy(f, l4 + l4Len);
  return { frame: f, l3, l4, payload };
}

function vnet(h: { flags?: number; gsoType?: number; hdrLen?: number; gsoSize?: number; csumStart?: number; csumOffset?: number }): Buffer {
  const b = Buffer.alloc(10);
  b[0] = h.flags ?? 0;
  b[1] = h.gsoType ?? 0;
  b.writeUInt16LE(h.hdrLen ?? 0, 2);
  b.writeUInt16LE(h.gsoSize ?? 0, 4);
  b.writeUInt16LE(h.csumStart ?? 0, 6);
  b.writeUInt16LE(h.csumOffset ?? 0, 8);
  return b;
}

/** One's-complement sum of the pseudo-header and the L4 segment is 0xffff when its checksum is right. */
function l4ChecksumOk(f: Buffer, l3: number, l4: number, v6: boolean, proto: number): boolean {
  const l4Len = f.length - l4;
  const pseudo = Buffer.alloc(v6 ? 40 : 12);
  if (v6) {
    f.copy(pseudo, 0, l3 + 8, l3 + 40);
    pseudo.writeUInt32BE(l4Len, 32);
    pseudo[39] = proto;
  } else {
    f.copy(pseudo, 0, l3 + 12, l3 + 20);
    pseudo[9] = proto;
    pseudo.writeUInt16BE(l4Len, 10);
  }
  return sum16(f, l4, f.length, sum16(pseudo, 0, pseudo.length)) === 0xffff;
}

describe.runIf(process.platform === 'linux')('native offload path (toWireFrames)', () => {
  it('the native module loads on Linux (else every native test here would be skipped)', () => {
    expect('module' in loaded ? 'loaded' : loaded.problem).toBe('loaded');
  });
  const m = (loaded as { module: DataPlaneModule }).module;

  const gsoCases = [
    { name: 'TCP/IPv4, 64,000 bytes at MSS 1,348 (TSO from a veth)', v6: false, udp: false, payload: 64_000, mss: 1348, gsoType: 1 },
    { name: 'TCP/IPv4 behind a VLAN tag, last segment short', v6: false, udp: false, payload: 5000, mss: 1448, gsoType: 1, vlan: true },
    { name: 'TCP/IPv6, 20,000 bytes at MSS 1,428', v6: true, udp: false, payload: 20_000, mss: 1428, gsoType: 4 },
    { name: 'UDP GSO (UDP_L4) over IPv4, 10 datagrams of 1,200', v6: false, udp: true, payload: 12_000, mss: 1200, gsoType: 5 },
    { name: 'UDP GSO over IPv6, last datagram short', v6: true, udp: true, payload: 3000, mss: 1400, gsoType: 5 },
  ];
  it.each(gsoCases)('cuts a GSO super-frame into wire frames: $name', (c) => {
    const b = build({ v6: c.v6, udp: c.udp, payload: c.payload, ...(c.vlan ? { vlan: true } : {}), flags: 0x19 }); // FIN|PSH|ACK
    const out = m.toWireFrames(vnet({ flags: 1, gsoType: c.gsoType, gsoSize: c.mss, csumStart: b.l4, csumOffset: c.udp ? 6 : 16 }), b.frame);
    if (typeof out === 'string') throw new Error(out);
    expect(out.length).toBe(Math.ceil(c.payload / c.mss));
    const hdrs = b.frame.length - c.payload;
    const joined: Buffer[] = [];
    out.forEach((seg, i) => {
      const last = i === out.length - 1;
      expect(seg.length).toBe(hdrs + (last ? c.payload - i * c.mss : c.mss));
      expect(seg.subarray(0, b.l3).equals(b.frame.subarray(0, b.l3))).toBe(true);
      if (c.v6) {
        expect(seg.readUInt16BE(b.l3 + 4)).toBe(seg.length - b.l4);
      } else {
        expect(seg.readUInt16BE(b.l3 + 2)).toBe(seg.length - b.l3);
        expect(seg.readUInt16BE(b.l3 + 4)).toBe((0x1234 + i) & 0xffff);
        expect(sum16(seg, b.l3, b.l3 + 20)).toBe(0xffff); // IPv4 header checksum
      }
      expect(l4ChecksumOk(seg, b.l3, b.l4, c.v6, c.udp ? 17 : 6)).toBe(true);
      if (c.udp) {
        expect(seg.readUInt16BE(b.l4 + 4)).toBe(seg.length - b.l4);
      } else {
        expect(seg.readUInt32BE(b.l4 + 4)).toBe((0xfffff000 + i * c.mss) >>> 0);
        expect(seg[b.l4 + 13]).toBe(last ? 0x19 : 0x10); // FIN and PSH on the last segment only
      }
      joined.push(seg.subarray(hdrs));
    });
    expect(Buffer.concat(joined).equals(b.payload)).toBe(true);
  });

  it('fills in a checksum the kernel left to the device (CHECKSUM_PARTIAL), exactly', () => {
    const b = build({ udp: false, payload: 1000 });
    const want = Buffer.from(b.frame);
    // What the stack leaves in the field: the folded pseudo-header sum, not its complement.
    const pseudo = Buffer.alloc(12);
    b.frame.copy(pseudo, 0, b.l3 + 12, b.l3 + 20);
    pseudo[9] = 6;
    pseudo.writeUInt16BE(b.frame.length - b.l4, 10);
    b.frame.writeUInt16BE(sum16(pseudo, 0, 12), b.l4 + 16);
    want.writeUInt16BE(0, b.l4 + 16);
    want.writeUInt16BE(~sum16(want, b.l4, want.length, sum16(pseudo, 0, 12)) & 0xffff, b.l4 + 16);
    const out = m.toWireFrames(vnet({ flags: 1, csumStart: b.l4, csumOffset: 16 }), b.frame);
    expect(Array.isArray(out) && out.length === 1 && out[0]!.equals(want)).toBe(true);
    expect(l4ChecksumOk((out as Buffer[])[0]!, b.l3, b.l4, false, 6)).toBe(true);
  });

  it('passes a complete frame through unchanged', () => {
    const b = build({ payload: 100 });
    const out = m.toWireFrames(vnet({}), b.frame);
    expect(Array.isArray(out) && out.length === 1 && out[0]!.equals(b.frame)).toBe(true);
  });

  it.each([
    { name: 'UFO (IP fragmentation offload)', h: { gsoType: 3, gsoSize: 1400 }, why: 'unsupported' },
    { name: 'GSO on a frame that is not TCP/UDP over IP', h: { gsoType: 1, gsoSize: 1000 }, frame: Buffer.alloc(200, 0), why: 'malformed' },
    { name: 'a checksum offset beyond the frame', h: { flags: 1, csumStart: 500, csumOffset: 16 }, why: 'malformed' },
    { name: 'GSO with a segment size of 0', h: { gsoType: 1, gsoSize: 0 }, why: 'malformed' },
    { name: 'TCPv6 GSO type on an IPv4 frame', h: { gsoType: 4, gsoSize: 1000 }, why: 'malformed' },
  ])('refuses $name (the frame is dropped and counted, never forwarded half-made)', ({ h, frame, why }) => {
    expect(m.toWireFrames(vnet(h), frame ?? build({ payload: 300 }).frame)).toBe(why);
  });
});
