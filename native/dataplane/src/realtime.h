// The data thread's scheduling. Real-time (SCHED_FIFO at the lowest priority):
// a frame that arrives while the machine is busy is handled at once instead of
// after other programs' time slices (ping during a full TCP transfer on 2
// shared cores: 2.5 ms → 0.6 ms measured). A real-time thread that never sleeps
// would starve everything else on its CPU, so it is used only on machines with
// 2 CPUs or more, and a thread that was busy for more than 95 % of a 50 ms
// window (a flood: more than it can carry) goes back to normal scheduling for
// 500 ms. Without the privilege (CAP_SYS_NICE) it stays normal.
#pragma once
#include <cstdint>

namespace vxb {

class Realtime {
 public:
  // On the data thread, once: real-time if `wanted` and possible.
  void Start(bool wanted, uint64_t nowNs);
  // On the data thread after each batch: steps down when overloaded, up again later.
  void Check(uint64_t nowNs);

 private:
  bool Set(bool realtime);

  bool wanted_ = false, active_ = false;
  uint64_t windowAt_ = 0, cpuAt_ = 0, backAt_ = 0;
};

}  // namespace vxb
