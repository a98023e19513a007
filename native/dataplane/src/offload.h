// Frames as the kernel hands them to an AF_PACKET socket with PACKET_VNET_HDR:
// a virtio-net header says whether the checksum still has to be filled in
// (CHECKSUM_PARTIAL) and whether the "frame" is a GSO/GRO super-frame. These
// functions turn such a frame into the frames a wire would carry, exactly.
#pragma once
#include <cstddef>
#include <cstdint>

namespace vxb {

// struct virtio_net_hdr, host byte order (AF_PACKET uses the legacy layout,
// little-endian on every host this module builds for).
struct VnetHeader {
  uint8_t flags;
  uint8_t gso_type;
  uint16_t hdr_len;
  uint16_t gso_size;
  uint16_t csum_start;
  uint16_t csum_offset;
};
static_assert(sizeof(VnetHeader) == 10, "virtio_net_hdr is 10 bytes");

constexpr uint8_t kVnetNeedsCsum = 1;
constexpr uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoUdp = 3, kGsoTcpV6 = 4, kGsoUdpL4 = 5, kGsoEcn = 0x80;

// One's-complement sum of data[0..len) added to `sum` (not folded).
uint64_t csumAdd(const uint8_t* data, size_t len, uint64_t sum);
// Folds a sum to 16 bits.
uint16_t csumFold(uint64_t sum);

enum class Split { kOk, kUnsupported, kMalformed, kNoRoom };

// Writes the wire frames that `frame` stands for into out (capacity outCap),
// one after another; lens[i] gets each frame's length, *count how many
// (at most maxFrames). A plain frame is copied; a frame whose checksum the
// kernel left to the device gets it filled in; a GSO super-frame is cut into
// gso_size segments with lengths, IDs, sequence numbers and checksums set.
Split toWireFrames(const VnetHeader& h, const uint8_t* frame, size_t len, uint8_t* out, size_t outCap, uint32_t* lens, size_t maxFrames, size_t* count);

}  // namespace vxb
