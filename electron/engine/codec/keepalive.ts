// Keepalive of access-mode VXLAN legs (access → provider), sent every keepalive
// period so that the PAT mapping stays open, and used by the provider to learn
// and refresh the access VTEP. It is a VXLAN packet (I flag, the leg's VNI)
// whose "frame" is 12 bytes, shorter than any Ethernet header, so a standard
// VTEP (the Linux kernel) drops it and it never reaches a NIC:
//
//   offset 0  'V' 'X' 'B' 'K'   magic
//          4  version = 1
//          5  flags = 0 (reserved)
//          6  keepalive period in seconds, u16 big-endian
//          8  VTEP id, u32 big-endian: random per access leg, stable for its
//             lifetime, so the provider recognises the same VTEP when its NAT
//             mapping (public IP:port) changes and moves it there at once.

export const KEEPALIVE_LEN = 12;
const MAGIC = 0x5658424b; // 'VXBK'
const VERSION = 1;

export interface Keepalive {
  readonly vtepId: number;
  readonly periodS: number;
}

export function writeKeepalive(buf: Uint8Array, offset: number, k: Keepalive): void {
  const v = new DataView(buf.buffer, buf.byteOffset + offset, KEEPALIVE_LEN);
  v.setUint32(0, MAGIC);
  v.setUint8(4, VERSION);
  v.setUint8(5, 0);
  v.setUint16(6, Math.min(0xffff, Math.max(1, Math.round(k.periodS))));
  v.setUint32(8, k.vtepId >>> 0);
}

/** The keepalive in buf[offset..offset+length), or null if it is none (or an unknown version). */
export function readKeepalive(buf: Uint8Array, offset: number, length: number): Keepalive | null {
  if (length !== KEEPALIVE_LEN || offset < 0 || offset + KEEPALIVE_LEN > buf.length) return null;
  const v = new DataView(buf.buffer, buf.byteOffset + offset, KEEPALIVE_LEN);
  if (v.getUint32(0) !== MAGIC || v.getUint8(4) !== VERSION) return null;
  const periodS = v.getUint16(6);
  if (periodS === 0) return null;
  return { vtepId: v.getUint32(8), periodS };
}
