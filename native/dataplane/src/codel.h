// CoDel (RFC 8289) on a socket's receive queue, judged as each message is
// read: while what comes out has waited longer than `target` for a whole
// `interval`, drop one, then more often (interval / sqrt(count)) until the
// standing queue is gone. TCP reacts to the loss and the queue stays short;
// a ping waits about `target`, and is rarely the one dropped. Dropping every
// late message instead (a plain threshold) lost a third of the pings.
#pragma once
#include <cmath>
#include <cstdint>

namespace vxb {

class CoDel {
 public:
  // `now` and `sojourn` in ns; target 0: never drop. `drained`: this read
  // emptied the socket (a batch that was not full), so there is no standing
  // queue, only the time it took to wake up (RFC 8289's "less than a packet
  // queued" rule: on a VM an idle wake-up alone can exceed the target).
  bool Drop(uint64_t sojourn, uint64_t now, uint64_t target, uint64_t interval, bool drained) {
    if (target == 0) return false;
    bool late = false;
    if (drained || sojourn < target) {
      firstAbove_ = 0;
    } else if (firstAbove_ == 0) {
      firstAbove_ = now + interval;
    } else if (now >= firstAbove_) {
      late = true;
    }
    if (dropping_) {
      if (!late) {
        dropping_ = false;
        return false;
      }
      if (now < dropNext_) return false;
      count_++;
      dropNext_ = next(dropNext_, interval);
      return true;
    }
    if (!late) return false;
    dropping_ = true;
    // Back into dropping soon after leaving it: go on near the old rate.
    count_ = (count_ > 2 && now - dropNext_ < 8 * interval) ? count_ - 2 : 1;
    dropNext_ = next(now, interval);
    return true;
  }

 private:
  uint64_t next(uint64_t t, uint64_t interval) const { return t + static_cast<uint64_t>(static_cast<double>(interval) / std::sqrt(static_cast<double>(count_))); }

  uint64_t firstAbove_ = 0, dropNext_ = 0;
  uint32_t count_ = 0;
  bool dropping_ = false;
};

}  // namespace vxb
