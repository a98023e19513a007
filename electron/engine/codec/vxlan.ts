// VXLAN header (RFC 7348 section 5):
//   byte 0: flags, 0x08 = I (VNI valid); bytes 1-3 reserved; bytes 4-6 VNI; byte 7 reserved.
// Reserved bits are written 0 and ignored on receive, as the RFC says.

export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;
/** Returned by readVxlanVni for a packet that is not valid VXLAN. */
export const NOT_VXLAN = -1;

/** Writes the 8-byte header at buf[offset]. */
export function writeVxlanHeader(buf: Uint8Array, offset: number, vni: number): void {
  buf[offset] = VXLAN_FLAG_I;
  buf[offset + 1] = 0;
  buf[offset + 2] = 0;
  buf[offset + 3] = 0;
  buf[offset + 4] = (vni >>> 16) & 0xff;
  buf[offset + 5] = (vni >>> 8) & 0xff;
  buf[offset + 6] = vni & 0xff;
  buf[offset + 7] = 0;
}

/** VNI of a VXLAN packet of `length` bytes at offset, or NOT_VXLAN if it is too
 *  short or the I flag is clear. Never throws. */
export function readVxlanVni(buf: Uint8Array, offset: number, length: number): number {
  if (length < VXLAN_HEADER_LEN || offset < 0 || offset + VXLAN_HEADER_LEN > buf.length) return NOT_VXLAN;
  if ((buf[offset]! & VXLAN_FLAG_I) === 0) return NOT_VXLAN;
  return (buf[offset + 4]! << 16) | (buf[offset + 5]! << 8) | buf[offset + 6]!;
}
