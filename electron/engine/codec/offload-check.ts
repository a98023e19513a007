// What NIC offloads do to a pcap bridge, seen on captured frames. With TX
// checksum offload pcap sees outgoing TCP/UDP before the NIC has filled in the
// checksum; with GSO/TSO/GRO it sees "frames" of up to 64 KB that no wire
// carries. Pure, bounds-checked, no allocation per call.

const ETH_HLEN = 14;
const VLAN_HLEN = 4;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

export type L4ChecksumState = 'ok' | 'bad' | 'not-applicable';

/** True for GSO/TSO/GRO super-frames: longer than MTU + Ethernet header + one VLAN tag. */
export function isOversizeFrame(len: number, mtu: number): boolean {
  return len > mtu + ETH_HLEN + VLAN_HLEN;
}

/** The exact command that stops offloads from reaching the capture, and why. */
export function offloadFixHint(nicName: string): string {
  return (
    `ethtool -K ${nicName} tx off gso off tso off gro off  # ` +
    'With these offloads on, pcap sees frames before the NIC fills in TCP/UDP checksums or splits them to MTU size, ' +
    'so the bridged copies arrive with bad checksums or too large and are dropped.'
  );
}

// Result of locate(): module-level so that no object is allocated per call.
let l4Start = 0;
let l4Len = 0;
let l4Proto = 0;
let ipStart = 0;

function u16(b: Buffer, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

/** Finds an unfragmented, untruncated IPv4 TCP/UDP segment; false if there is none. */
function locate(frame: Buffer, offset: number, length: number): boolean {
  if (offset < 0 || length < ETH_HLEN || offset + length > frame.length) return false;
  const end = offset + length;
  let p = offset + 12;
  let type = u16(frame, p);
  for (let tags = 0; (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ) && tags < 2; tags++) {
    p += VLAN_HLEN;
    if (p + 2 > end) return false;
    type = u16(frame, p);
  }
  if (type !== ETHERTYPE_IPV4) return false;
  const ip = p + 2;
  if (ip + 20 > end || frame[ip]! >> 4 !== 4) return false;
  const ihl = (frame[ip]! & 0x0f) * 4;
  const total = u16(frame, ip + 2);
  // Fragments carry no whole L4 segment; a truncated capture cannot be summed.
  if (ihl < 20 || total < ihl || ip + total > end || (u16(frame, ip + 6) & 0x3fff) !== 0) return false;
  const proto = frame[ip + 9]!;
  let len = total - ihl;
  if (proto === PROTO_TCP) {
    if (len < 20) return false;
  } else if (proto === PROTO_UDP) {
    const udpLen = len >= 8 ? u16(frame, ip + ihl + 4) : 0;
    if (udpLen < 8 || udpLen > len) return false;
    len = udpLen;
  } else {
    return false;
  }
  ipStart = ip;
  l4Start = ip + ihl;
  l4Len = len;
  l4Proto = proto;
  return true;
}

/** One's-complement sum (folded to 16 bits) of the pseudo header and segment. */
function l4Sum(frame: Buffer): number {
  let sum = u16(frame, ipStart + 12) + u16(frame, ipStart + 14) + u16(frame, ipStart + 16) + u16(frame, ipStart + 18) + l4Proto + l4Len;
  const stop = l4Start + (l4Len & ~1);
  let i = l4Start;
  for (; i < stop; i += 2) sum += u16(frame, i);
  if (l4Len & 1) sum += frame[i]! << 8;
  // sum < 2^32 here (at most 32 Ki words of 0xffff), so the bit operators are exact.
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function checksumAt(): number {
  return l4Start + (l4Proto === PROTO_TCP ? 16 : 6);
}

/** Verifies the TCP/UDP checksum of an IPv4 frame. A UDP checksum of 0 means
 *  "not used" and is ok; fragments, truncated and non-TCP/UDP frames are not-applicable. */
export function ipv4L4ChecksumState(frame: Buffer, offset: number, length: number): L4ChecksumState {
  if (!locate(frame, offset, length)) return 'not-applicable';
  if (l4Proto === PROTO_UDP && u16(frame, checksumAt()) === 0) return 'ok';
  return l4Sum(frame) === 0xffff ? 'ok' : 'bad';
}

/** Writes the correct TCP/UDP checksum in place. Returns true if the frame now
 *  carries a correct checksum (a UDP checksum of 0 is left as it is), false if
 *  the frame is not an unfragmented, complete IPv4 TCP/UDP frame. */
export function fixIpv4L4Checksum(frame: Buffer, offset: number, length: number): boolean {
  if (!locate(frame, offset, length)) return false;
  const at = checksumAt();
  if (l4Proto === PROTO_UDP && u16(frame, at) === 0) return true;
  frame[at] = 0;
  frame[at + 1] = 0;
  let ck = ~l4Sum(frame) & 0xffff;
  if (ck === 0 && l4Proto === PROTO_UDP) ck = 0xffff; // 0 would mean "no checksum"
  frame[at] = ck >> 8;
  frame[at + 1] = ck & 0xff;
  return true;
}
