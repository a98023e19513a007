#include "offload.h"

#include <cstring>

namespace vxb {
namespace {

inline uint16_t rd16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t rd32(const uint8_t* p) { return static_cast<uint32_t>(p[0]) << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
inline void wr16(uint8_t* p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }
inline void wr32(uint8_t* p, uint32_t v) { p[0] = v >> 24; p[1] = (v >> 16) & 0xff; p[2] = (v >> 8) & 0xff; p[3] = v & 0xff; }

constexpr uint8_t kTcpFin = 0x01, kTcpPsh = 0x08, kTcpCwr = 0x80;
constexpr uint8_t kProtoTcp = 6, kProtoUdp = 17;

// Where the headers of an IPv4/IPv6 TCP or UDP frame sit.
struct Layout {
  size_t l3 = 0, l4 = 0, payload = 0;
  bool v6 = false;
  uint8_t proto = 0;
};

bool parse(const uint8_t* f, size_t len, Layout* o) {
  if (len < 14) return false;
  size_t l3 = 14;
  uint16_t type = rd16(f + 12);
  if (type == 0x8100 || type == 0x88a8) {  // one VLAN tag
    if (len < 18) return false;
    type = rd16(f + 16);
    l3 = 18;
  }
  if (type == 0x0800) {
    if (len < l3 + 20 || (f[l3] >> 4) != 4) return false;
    size_t ihl = (f[l3] & 0x0f) * 4u;
    if (ihl < 20 || len < l3 + ihl) return false;
    o->proto = f[l3 + 9];
    o->l4 = l3 + ihl;
  } else if (type == 0x86dd) {
    if (len < l3 + 40) return false;
    o->v6 = true;
    o->proto = f[l3 + 6];  // extension headers: not handled (the kernel does not offload those here)
    o->l4 = l3 + 40;
  } else {
    return false;
  }
  o->l3 = l3;
  if (o->proto == kProtoTcp) {
    if (len < o->l4 + 20) return false;
    size_t thl = (f[o->l4 + 12] >> 4) * 4u;
    if (thl < 20 || len < o->l4 + thl) return false;
    o->payload = o->l4 + thl;
  } else if (o->proto == kProtoUdp) {
    if (len < o->l4 + 8) return false;
    o->payload = o->l4 + 8;
  } else {
    return false;
  }
  return true;
}

// Pseudo-header sum for an L4 segment of l4len bytes.
uint64_t pseudoSum(const uint8_t* f, const Layout& L, size_t l4len) {
  uint64_t s = 0;
  if (L.v6) s = csumAdd(f + L.l3 + 8, 32, 0);
  else s = csumAdd(f + L.l3 + 12, 8, 0);
  return s + L.proto + static_cast<uint64_t>(l4len);
}

// Fills the L4 checksum of the segment at seg (headers + payload, segLen bytes).
void fillL4Checksum(uint8_t* seg, size_t segLen, const Layout& L) {
  size_t l4len = segLen - L.l4;
  size_t at = L.l4 + (L.proto == kProtoTcp ? 16 : 6);
  wr16(seg + at, 0);
  uint16_t c = static_cast<uint16_t>(~csumFold(csumAdd(seg + L.l4, l4len, pseudoSum(seg, L, l4len))));
  if (L.proto == kProtoUdp && c == 0) c = 0xffff;  // 0 means "no checksum" in UDP
  wr16(seg + at, c);
}

void fillIpv4Header(uint8_t* seg, size_t segLen, const Layout& L, uint16_t id) {
  uint8_t* ip = seg + L.l3;
  size_t ihl = L.l4 - L.l3;
  wr16(ip + 2, static_cast<uint16_t>(segLen - L.l3));
  wr16(ip + 4, id);
  wr16(ip + 10, 0);
  wr16(ip + 10, static_cast<uint16_t>(~csumFold(csumAdd(ip, ihl, 0))));
}

}  // namespace

uint64_t csumAdd(const uint8_t* d, size_t len, uint64_t sum) {
  size_t i = 0;
  for (; i + 4 <= len; i += 4) sum += rd32(d + i);
  for (; i + 2 <= len; i += 2) sum += rd16(d + i);
  if (i < len) sum += static_cast<uint64_t>(d[i]) << 8;
  return sum;
}

uint16_t csumFold(uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

Split toWireFrames(const VnetHeader& h, const uint8_t* frame, size_t len, uint8_t* out, size_t outCap, uint32_t* lens, size_t maxFrames, size_t* count) {
  *count = 0;
  uint8_t gso = h.gso_type & static_cast<uint8_t>(~kGsoEcn);
  if (gso == kGsoNone) {
    if (len > outCap) return Split::kNoRoom;
    if (maxFrames < 1) return Split::kNoRoom;
    memcpy(out, frame, len);
    if (h.flags & kVnetNeedsCsum) {
      size_t start = h.csum_start, at = start + h.csum_offset;
      if (start >= len || at + 2 > len) return Split::kMalformed;
      // The field holds the pseudo-header sum already (CHECKSUM_PARTIAL).
      wr16(out + at, static_cast<uint16_t>(~csumFold(csumAdd(out + start, len - start, 0))));
    }
    lens[0] = static_cast<uint32_t>(len);
    *count = 1;
    return Split::kOk;
  }
  if (gso != kGsoTcpV4 && gso != kGsoTcpV6 && gso != kGsoUdpL4) return Split::kUnsupported;  // UFO: IP fragments, long gone from kernels
  Layout L;
  if (!parse(frame, len, &L)) return Split::kMalformed;
  if ((gso == kGsoUdpL4) != (L.proto == kProtoUdp)) return Split::kMalformed;
  if ((gso == kGsoTcpV4 && L.v6) || (gso == kGsoTcpV6 && !L.v6)) return Split::kMalformed;
  size_t mss = h.gso_size;
  if (mss == 0) return Split::kMalformed;
  size_t hdrs = L.payload, data = len - hdrs;
  size_t n = (data + mss - 1) / mss;
  if (n == 0) n = 1;
  if (n > maxFrames || n * hdrs + data > outCap) return Split::kNoRoom;
  uint16_t id = L.v6 ? 0 : rd16(frame + L.l3 + 4);
  uint32_t seq = L.proto == kProtoTcp ? rd32(frame + L.l4 + 4) : 0;
  uint8_t tcpFlags = L.proto == kProtoTcp ? frame[L.l4 + 13] : 0;
  uint8_t* o = out;
  for (size_t i = 0; i < n; i++) {
    size_t off = i * mss, chunk = data - off < mss ? data - off : mss;
    size_t segLen = hdrs + chunk;
    memcpy(o, frame, hdrs);
    memcpy(o + hdrs, frame + hdrs + off, chunk);
    if (L.proto == kProtoTcp) {
      wr32(o + L.l4 + 4, seq + static_cast<uint32_t>(off));
      uint8_t f = tcpFlags;
      if (i + 1 < n) f &= static_cast<uint8_t>(~(kTcpFin | kTcpPsh));
      if (i > 0) f &= static_cast<uint8_t>(~kTcpCwr);
      o[L.l4 + 13] = f;
    } else {
      wr16(o + L.l4 + 4, static_cast<uint16_t>(8 + chunk));
    }
    if (L.v6) wr16(o + L.l3 + 4, static_cast<uint16_t>(segLen - L.l4));
    else fillIpv4Header(o, segLen, L, static_cast<uint16_t>(id + i));
    fillL4Checksum(o, segLen, L);
    lens[i] = static_cast<uint32_t>(segLen);
    o += segLen;
  }
  *count = n;
  return Split::kOk;
}

}  // namespace vxb
