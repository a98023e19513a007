// MAC addresses as plain numbers (48 bits fit a double exactly), so the MAC
// table is a Map<number, …> and reading a MAC allocates nothing.

export const ETH_HEADER_LEN = 14;

/** The 48-bit MAC at buf[offset..offset+6) as a number. */
export function readMac(buf: Uint8Array, offset: number): number {
  return (buf[offset]! * 0x10000 + buf[offset + 1]! * 0x100 + buf[offset + 2]!) * 0x1000000 + buf[offset + 3]! * 0x10000 + buf[offset + 4]! * 0x100 + buf[offset + 5]!;
}

/** Group (multicast/broadcast) bit: least significant bit of the first octet. */
export function isGroupMac(buf: Uint8Array, offset: number): boolean {
  return (buf[offset]! & 1) === 1;
}

export function formatMac(mac: number): string {
  const hex = mac.toString(16).padStart(12, '0');
  return hex.replace(/(..)(?!$)/g, '$1:');
}

export function parseMac(text: string): number {
  const m = /^([0-9a-f]{2})(?::([0-9a-f]{2})){5}$/i.test(text);
  if (!m) throw new Error(`not a MAC address: ${text}`);
  return parseInt(text.replace(/:/g, ''), 16);
}
