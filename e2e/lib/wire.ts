// ubdg's own datagrams as they appear on the wire, decoded and built by hand
// (independently of the product's codecs, so a test checks the documented
// format, not the code against itself): plain control packets
// (electron/engine/codec/control.ts) and the header of sealed datagrams (README
// "Secure legs: wire format"); plus UDP datagrams parsed from a `tcpdump -x`
// capture.

import { randomBytes } from 'node:crypto';

/** Every plain control packet (keepalive, cookie) is this long (UDP payload). */
export const CONTROL_LEN = 40;
/** Byte 1 of a plain control packet: format marker and version 1. */
export const CONTROL_MARKER = 0xc1;
export const CONTROL_KEEPALIVE = 1;
export const CONTROL_COOKIE = 2;

/** Byte 1 of a sealed datagram: format marker and version 1. */
export const SECURE_MARKER = 0xe1;
export const SECURE_HEADER_LEN = 24;
export const SECURE_TAG_LEN = 16;
/** Sealed types (byte 2). */
export const SECURE_FRAME = 1;
export const SECURE_KEEPALIVE = 2;
export const SECURE_CHALLENGE = 3;
export const SECURE_RESPONSE = 4;
/** Keepalives, challenges and responses: header + 24-byte body + tag. */
export const SECURE_CONTROL_LEN = SECURE_HEADER_LEN + 24 + SECURE_TAG_LEN;

/**
 * A plain control packet (electron/engine/codec/control.ts), all numbers big-endian:
 *
 *   0 flags 0x00 (VXLAN I flag clear) | 1 marker 0xC1 | 2 type | 3 0 | 4..6 VNI | 7 0
 *   keepalive: 8 period s (u16) | 10 0 (u16) | 12 VTEP id (u32) | 16 nonce (8) | 24 cookie (16; zeros if none)
 *   cookie:    8 the nonce of the keepalive it answers (8) | 16 zeros (8) | 24 cookie (16)
 */
export interface ControlPacket {
  readonly flags: number;
  readonly marker: number;
  readonly type: number;
  readonly reserved3: number;
  readonly vni: number;
  readonly reserved7: number;
  /** Keepalive: announced period, s. */
  readonly periodS: number;
  /** Keepalive: bytes 10..11, 0. */
  readonly zero10: number;
  /** Keepalive: the VTEP id. */
  readonly vtepId: number;
  /** Keepalive: its own nonce (bytes 16..23); cookie: the nonce it answers (bytes 8..15). Hex. */
  readonly nonce: string;
  /** Cookie: bytes 16..23, hex (zeros). */
  readonly cookieZeros: string;
  /** Bytes 24..39, hex. */
  readonly cookie: string;
}

/** A plain control packet decoded field by field (no validation: the test checks). */
export function decodeControl(b: Buffer): ControlPacket {
  if (b.length !== CONTROL_LEN) throw new Error(`a control packet is ${CONTROL_LEN} bytes, got ${b.length}: ${b.toString('hex')}`);
  const keepalive = b[2] === CONTROL_KEEPALIVE;
  return {
    flags: b[0]!,
    marker: b[1]!,
    type: b[2]!,
    reserved3: b[3]!,
    vni: b.readUIntBE(4, 3),
    reserved7: b[7]!,
    periodS: keepalive ? b.readUInt16BE(8) : 0,
    zero10: keepalive ? b.readUInt16BE(10) : 0,
    vtepId: keepalive ? b.readUInt32BE(12) : 0,
    nonce: (keepalive ? b.subarray(16, 24) : b.subarray(8, 16)).toString('hex'),
    cookieZeros: keepalive ? '' : b.subarray(16, 24).toString('hex'),
    cookie: b.subarray(24, 40).toString('hex'),
  };
}

/** A plain keepalive as an access leg sends it; `cookie` (16 bytes) absent = zeros; nonce random unless given. */
export function controlKeepalive(vni: number, periodS: number, vtepId: number, cookie?: Buffer, nonce: Buffer = randomBytes(8)): Buffer {
  const b = Buffer.alloc(CONTROL_LEN);
  b[1] = CONTROL_MARKER;
  b[2] = CONTROL_KEEPALIVE;
  b.writeUIntBE(vni, 4, 3);
  b.writeUInt16BE(periodS, 8);
  b.writeUInt32BE(vtepId >>> 0, 12);
  nonce.copy(b, 16, 0, 8);
  if (cookie) cookie.copy(b, 24, 0, 16);
  return b;
}

export interface SealedHeader {
  readonly flags: number;
  readonly marker: number;
  readonly type: number;
  readonly vni: number;
  /** 16 hex digits (as in the snapshots' `session`). */
  readonly session: string;
  readonly counter: bigint;
}

/** The clear header of a sealed datagram, or undefined if `b` is none (too short, wrong marker). */
export function decodeSealed(b: Buffer): SealedHeader | undefined {
  if (b.length < SECURE_HEADER_LEN + SECURE_TAG_LEN || b[1] !== SECURE_MARKER) return undefined;
  return {
    flags: b[0]!,
    marker: b[1]!,
    type: b[2]!,
    vni: b.readUIntBE(4, 3),
    session: b.subarray(8, 16).toString('hex'),
    counter: b.readBigUInt64BE(16),
  };
}

export interface Datagram {
  /** ms since the epoch (tcpdump -tt). */
  readonly time: number;
  /** "IP:PORT" */
  readonly src: string;
  readonly dst: string;
  /** The UDP payload. */
  readonly payload: Buffer;
}

export interface HexPacket {
  /** ms since the epoch (tcpdump -tt). */
  readonly time: number;
  /** tcpdump's first line for the packet. */
  readonly line: string;
  /** What -x dumped: from the IP header on (the link header is not shown). */
  readonly bytes: Buffer;
}

/** Every packet of `tcpdump -n -v -tt -x` output (any protocol). */
export function parseHexPackets(text: string): HexPacket[] {
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\d+\.\d+ /.test(line)) frames.push(line);
    else if (line.trim() !== '' && frames.length > 0) frames[frames.length - 1] += `\n${line}`;
  }
  const out: HexPacket[] = [];
  for (const f of frames) {
    const ts = /^(\d+\.\d+) /.exec(f)!;
    const hexText = f
      .split('\n')
      .map((l) => /^\s+0x[0-9a-f]{4}:\s+([0-9a-f ]+)$/.exec(l)?.[1] ?? '')
      .join('')
      .replace(/\s/g, '');
    out.push({ time: Number(ts[1]) * 1000, line: f.split('\n')[0]!, bytes: Buffer.from(hexText, 'hex') });
  }
  return out;
}

/** UDP datagrams from `tcpdump -n -v -tt -x` output (IPv4; -x dumps from the IP header). */
export function parseHexCapture(text: string): Datagram[] {
  const out: Datagram[] = [];
  for (const { time, bytes: pkt } of parseHexPackets(text)) {
    if (pkt.length < 28 || pkt[0]! >> 4 !== 4 || pkt[9] !== 17) continue;
    const ihl = (pkt[0]! & 0x0f) * 4;
    const ip = (o: number) => `${pkt[o]}.${pkt[o + 1]}.${pkt[o + 2]}.${pkt[o + 3]}`;
    const udpLen = pkt.readUInt16BE(ihl + 4);
    out.push({
      time,
      src: `${ip(12)}:${pkt.readUInt16BE(ihl)}`,
      dst: `${ip(16)}:${pkt.readUInt16BE(ihl + 2)}`,
      payload: pkt.subarray(ihl + 8, ihl + udpLen),
    });
  }
  return out;
}
