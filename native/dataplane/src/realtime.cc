#include "realtime.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

namespace vxb {
namespace {
constexpr uint64_t kWindowNs = 200'000'000, kBackoffNs = 1'000'000'000;
constexpr uint64_t kBusyPercent = 97;

uint64_t threadCpuNs() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
}
}  // namespace

bool Realtime::Set(bool realtime) {
  sched_param p{};
  p.sched_priority = realtime ? sched_get_priority_min(SCHED_FIFO) : 0;
  if (pthread_setschedparam(pthread_self(), realtime ? SCHED_FIFO : SCHED_OTHER, &p) != 0) return false;
  active_ = realtime;
  return true;
}

void Realtime::Start(bool wanted, uint64_t nowNs) {
  wanted_ = wanted && sysconf(_SC_NPROCESSORS_ONLN) >= 2 && Set(true);
  windowAt_ = nowNs;
  cpuAt_ = threadCpuNs();
}

void Realtime::Check(uint64_t nowNs) {
  if (!wanted_ || nowNs - windowAt_ < kWindowNs) return;
  uint64_t cpu = threadCpuNs();
  bool overloaded = (cpu - cpuAt_) * 100 > (nowNs - windowAt_) * kBusyPercent;
  windowAt_ = nowNs;
  cpuAt_ = cpu;
  if (active_ && overloaded) {
    Set(false);
    backAt_ = nowNs + kBackoffNs;
  } else if (!active_ && nowNs >= backAt_) {
    Set(true);
  }
}

}  // namespace vxb
