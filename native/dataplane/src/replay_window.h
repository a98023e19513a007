// Replay window of one peer session, the same rules as the engine's
// (electron/engine/crypto/replay-window.ts; RFC 6479): a ring of 64-bit blocks
// of "seen" bits; moving forward clears whole blocks. With H the highest
// counter accepted (0 at the start, nothing seen): a counter is accepted if it
// is above H, or within the 4,095 below H and not seen yet. Check() changes
// nothing (before decrypting); Accept() only after a packet authenticated.
#pragma once
#include <cstdint>

namespace vxb {

class ReplayWindow {
 public:
  static constexpr uint64_t kSize = 4096;

  bool Check(uint64_t c) const {
    if (c > highest_) return true;
    if (highest_ - c >= kSize) return false;
    return (ring_[(c >> 6) & kMask] & bit(c)) == 0;
  }

  bool Accept(uint64_t c) {
    if (c > highest_) {
      uint64_t from = highest_ >> 6, ahead = (c >> 6) - from;
      if (ahead > kBlocks) ahead = kBlocks;
      for (uint64_t i = 1; i <= ahead; i++) ring_[(from + i) & kMask] = 0;
      highest_ = c;
    } else if (highest_ - c >= kSize) {
      return false;
    }
    uint64_t& w = ring_[(c >> 6) & kMask];
    if ((w & bit(c)) != 0) return false;
    w |= bit(c);
    return true;
  }

  // Only counters above c (or above H, if higher) are accepted from now on.
  void CloseUpTo(uint64_t c) {
    if (c > highest_) highest_ = c;
    for (auto& w : ring_) w = ~uint64_t{0};
    // Accept() clears only blocks it moves into: the counters above H in its own block stay unseen.
    uint64_t b = highest_ & 63;
    ring_[(highest_ >> 6) & kMask] = b == 63 ? ~uint64_t{0} : (bit(b + 1) - 1);
  }

  uint64_t highest() const { return highest_; }

 private:
  static constexpr uint64_t kBlocks = 128, kMask = kBlocks - 1;
  static uint64_t bit(uint64_t c) { return uint64_t{1} << (c & 63); }

  uint64_t ring_[kBlocks] = {};
  uint64_t highest_ = 0;
};

}  // namespace vxb
