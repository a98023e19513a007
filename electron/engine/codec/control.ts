// Control packets of plain (unencrypted) provider/access VXLAN legs. Their
// VXLAN I flag is clear, so a standard VTEP (RFC 7348; the Linux kernel checks
// it) drops them and they never reach a NIC. All are CONTROL_LEN bytes, so a
// provider's answer is never larger than the keepalive that provoked it.
//
//   offset 0  flags = 0x00 (I flag clear)
//          1  0xC1: plain control, version 1
//          2  type: 1 = keepalive (access → provider), 2 = cookie (provider → access)
//          3  0 (reserved)
//          4  VNI, 3 bytes
//          7  0 (reserved)
//          8  keepalive: period in seconds (u16), 0 (u16), VTEP id (u32), a random
//             nonce (8 bytes, new in every keepalive), then the cookie the provider
//             last gave this address (16 bytes; zeros if none)
//             cookie: the nonce of the keepalive it answers (8 bytes), 0 (8 bytes),
//             then the cookie for the address that keepalive came from
//
// The nonce ties a cookie to a keepalive: someone off the path, who cannot see
// the keepalive, cannot make an access VTEP take a cookie of theirs.
//
// The cookie proves that the access VTEP receives at its address (IP:port as
// the provider sees it, behind NAT): the provider learns nobody before that,
// so a forged source address can neither be learned nor be sent more than one
// packet no larger than the forged one (see legs/cookies.ts).

export const CONTROL_LEN = 40;
export const COOKIE_LEN = 16;
export const NONCE_LEN = 8;
const FLAGS = 0x00;
const MARKER = 0xc1;
const BODY = 8;
const COOKIE_AT = BODY + 16;

export const ControlType = { KEEPALIVE: 1, COOKIE: 2 } as const;
export type ControlType = (typeof ControlType)[keyof typeof ControlType];

/** A decoded control packet; mutable so that one object serves every packet. */
export interface ControlPacket {
  type: ControlType;
  vni: number;
  /** Keepalive only. */
  periodS: number;
  vtepId: number;
  /** Offset of the 8 nonce bytes (keepalive: its own; cookie: the one it answers). */
  nonceAt: number;
  /** Offset of the 16 cookie bytes in the buffer the packet was read from. */
  cookieAt: number;
}

export function emptyControlPacket(): ControlPacket {
  return { type: ControlType.KEEPALIVE, vni: 0, periodS: 0, vtepId: 0, nonceAt: 0, cookieAt: 0 };
}

function writeHead(buf: Buffer, off: number, type: ControlType, vni: number): void {
  buf[off] = FLAGS;
  buf[off + 1] = MARKER;
  buf[off + 2] = type;
  buf[off + 3] = 0;
  buf[off + 4] = (vni >>> 16) & 0xff;
  buf[off + 5] = (vni >>> 8) & 0xff;
  buf[off + 6] = vni & 0xff;
  buf[off + 7] = 0;
}

/** A keepalive with its nonce (NONCE_LEN bytes); `cookie` null writes zeros (no cookie yet). */
export function writeControlKeepalive(buf: Buffer, off: number, vni: number, periodS: number, vtepId: number, nonce: Buffer, cookie: Buffer | null): number {
  writeHead(buf, off, ControlType.KEEPALIVE, vni);
  buf.writeUInt16BE(Math.min(0xffff, Math.max(1, Math.round(periodS))), off + BODY);
  buf.writeUInt16BE(0, off + BODY + 2);
  buf.writeUInt32BE(vtepId >>> 0, off + BODY + 4);
  nonce.copy(buf, off + BODY + 8, 0, NONCE_LEN);
  if (cookie === null) buf.fill(0, off + COOKIE_AT, off + CONTROL_LEN);
  else cookie.copy(buf, off + COOKIE_AT, 0, COOKIE_LEN);
  return CONTROL_LEN;
}

/** The cookie answering a keepalive whose nonce sits at nonceBuf[nonceAt]. */
export function writeControlCookie(buf: Buffer, off: number, vni: number, nonceBuf: Buffer, nonceAt: number, cookie: Buffer): number {
  writeHead(buf, off, ControlType.COOKIE, vni);
  nonceBuf.copy(buf, off + BODY, nonceAt, nonceAt + NONCE_LEN);
  buf.fill(0, off + BODY + NONCE_LEN, off + COOKIE_AT);
  cookie.copy(buf, off + COOKIE_AT, 0, COOKIE_LEN);
  return CONTROL_LEN;
}

/** The control packet in buf[off..off+len) written into `out`, or null if it is none. Never throws. */
export function readControl(buf: Buffer, off: number, len: number, out: ControlPacket): ControlPacket | null {
  if (len !== CONTROL_LEN || off < 0 || off + len > buf.length) return null;
  if (buf[off] !== FLAGS || buf[off + 1] !== MARKER || buf[off + 3] !== 0 || buf[off + 7] !== 0) return null;
  const type = buf[off + 2];
  if (type !== ControlType.KEEPALIVE && type !== ControlType.COOKIE) return null;
  out.type = type;
  out.vni = (buf[off + 4]! << 16) | (buf[off + 5]! << 8) | buf[off + 6]!;
  out.periodS = type === ControlType.KEEPALIVE ? buf.readUInt16BE(off + BODY) : 0;
  if (type === ControlType.KEEPALIVE && out.periodS === 0) return null;
  out.vtepId = type === ControlType.KEEPALIVE ? buf.readUInt32BE(off + BODY + 4) : 0;
  out.nonceAt = type === ControlType.KEEPALIVE ? off + BODY + 8 : off + BODY;
  out.cookieAt = off + COOKIE_AT;
  return out;
}
