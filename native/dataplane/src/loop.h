// The channels of one data plane (UDP sockets, AF_PACKET sockets) on Node's
// event loop. A readable socket is drained in batches (recvmmsg) into memory
// JavaScript owns, JavaScript gets one call per batch, and everything it
// queued to send in that call leaves in one sendmmsg per socket. After
// activity the loop polls its sockets for a short while (spin) before it lets
// the thread sleep: a reply that comes back within that time is picked up
// without a wake-up, which is most of an idle round trip's cost on a VM.
#pragma once
#include <napi.h>
#include <uv.h>

#include <poll.h>

#include <cstdint>
#include <vector>

namespace vxb {

class Loop;

class Channel {
 public:
  virtual ~Channel() = default;
  // Reads what waits: messages read (0: nothing waited); *forJs gets how many
  // items it put in the JavaScript arena/descriptors (the fast path took the rest).
  virtual size_t Receive(size_t* forJs) = 0;
  // Sends what was queued; returns datagrams/frames that failed.
  virtual void Flush() = 0;

 protected:
  // Starts polling fd_ for this channel: onBatch(count) gets each batch.
  bool StartPolling(Napi::Env env, Loop* loop, Napi::Function onBatch);
  void StopPolling();
  void Deliver(size_t count);
  bool Dispatching() const;

  int fd_ = -1;
  Loop* loop_ = nullptr;
  Napi::FunctionReference onBatch_;
  Napi::ObjectReference loopRef_;  // the Loop lives as long as a channel polls

 private:
  friend class Loop;
  uv_poll_t* poll_ = nullptr;
  Napi::Env env_ = nullptr;
};

class Loop : public Napi::ObjectWrap<Loop> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Loop(const Napi::CallbackInfo& info);

  void Add(Channel* c);
  void Remove(Channel* c);
  bool dispatching() const { return dispatching_; }
  // CoDel's target for every socket's queue (0: no dropping), and its interval.
  uint64_t codelTargetNs() const { return codelTargetNs_; }
  uint64_t codelIntervalNs() const { return codelIntervalNs_; }
  // Drains `first` (it is readable), then spins over every channel.
  void Dispatch(Channel* first);

 private:
  Napi::Value Stats(const Napi::CallbackInfo& info);
  void SetSpin(const Napi::CallbackInfo& info);
  size_t Drain(Channel* c);
  void FlushAll();
  void Spin();

  std::vector<Channel*> channels_;
  bool dispatching_ = false;
  uint32_t spinUs_ = 0;
  uint64_t codelTargetNs_ = 0, codelIntervalNs_ = 0;
  // Counted for the bench and the snapshot: how often a spin found work.
  double spins_ = 0, spinHits_ = 0, wakeups_ = 0;
  // Spin's poll set, kept between calls (no allocation per dispatch).
  std::vector<struct pollfd> fds_;
  std::vector<Channel*> owners_;
};

// Sets a JS Error with a `code` (errno name) and throws it.
void ThrowErrno(Napi::Env env, const char* what, int err);
uint64_t MonotonicNs();
uint64_t RealtimeNs();
// The kernel's receive time of a message (SO_TIMESTAMPNS), 0 if it has none.
uint64_t ReceiveTimeNs(const struct msghdr& h);
// Control buffer room a received message needs for its timestamp and a UDP_GRO size.
constexpr size_t kRxControlBytes = 64;
// Datagrams this small (keepalives, cookies, challenges) are never dropped for age.
constexpr size_t kNeverStaleBytes = 64;

}  // namespace vxb
