// The channels of one data plane (UDP sockets, AF_PACKET sockets) on Node's
// event loop. A readable socket is drained in batches (recvmmsg) into memory
// JavaScript owns, JavaScript gets one call per batch, and everything it
// queued to send in that call leaves in one sendmmsg per socket. After
// activity the loop polls its sockets for a short while (spin) before it lets
// the thread sleep: a reply that comes back within that time is picked up
// without a wake-up, which is most of an idle round trip's cost on a VM.
// Spinning that finds nothing is paid from a budget (a share of wall time):
// sparse traffic (a ping, a request and its answer) gets the whole window,
// steady traffic that would keep the loop spinning between packets uses the
// budget up and then sleeps between batches, so the spin never costs more
// than that share of a core.
#pragma once
#include <napi.h>
#include <uv.h>

#include <poll.h>

#include <cstdint>
#include <vector>

#include "codel.h"

namespace vxb {

class Loop;
class Segment;

class Channel {
 public:
  virtual ~Channel() = default;
  // Reads what waits: messages read (0: nothing waited); *forJs gets how many
  // items it put in the JavaScript arena/descriptors (the fast path took the rest).
  virtual size_t Receive(size_t* forJs) = 0;
  // Sends what was queued.
  virtual void Flush() = 0;
  // The fast path this channel's messages try first (nullptr: none).
  void SetSegment(Segment* s, int leg) {
    segment_ = s;
    leg_ = leg;
  }

 protected:
  // start(loop, arena, descriptors, onBatch)'s first three checks: the memory
  // JavaScript owns for received messages (kept alive here), at least
  // minArenaBytes and minItems descriptors of 4 int32s. False: a JS error is pending.
  bool TakeArena(const Napi::CallbackInfo& info, size_t minArenaBytes, size_t minItems);
  // Sends what is queued, stops polling, closes the socket, lets the arena go.
  void CloseSocket();
  // CoDel's target for this batch's reads: 0 when off. `now` gets the time to judge them by.
  uint64_t CodelTarget(uint64_t* now) const;
  // Whether a message read at `now` waited too long (dropped and counted as stale).
  bool Stale(const struct msghdr& h, size_t len, uint64_t target, uint64_t now, bool drained);
  // Starts polling fd_ for this channel: onBatch(count) gets each batch.
  bool StartPolling(Napi::Env env, Loop* loop, Napi::Function onBatch);
  void StopPolling();
  void Deliver(size_t count);
  bool Dispatching() const;

  int fd_ = -1;
  Loop* loop_ = nullptr;
  uint8_t* arena_ = nullptr;
  size_t arenaBytes_ = 0;
  int32_t* desc_ = nullptr;
  size_t descItems_ = 0;
  Segment* segment_ = nullptr;
  int leg_ = -1;
  CoDel codel_;
  double stale_ = 0;  // dropped by CoDel
  int lastError_ = 0;
  Napi::FunctionReference onBatch_;
  Napi::ObjectReference loopRef_;  // the Loop lives as long as a channel polls
  Napi::ObjectReference arenaRef_, descRef_;

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
  size_t Drain(Channel* c);
  void FlushAll();
  void Spin();

  std::vector<Channel*> channels_;
  bool dispatching_ = false;
  uint32_t spinUs_ = 0;
  // Idle spinning allowed, ns: refilled at kSpinShare of wall time, up to kSpinBudgetMaxNs.
  uint64_t spinBudgetNs_ = 0, budgetAt_ = 0;
  uint64_t codelTargetNs_ = 0, codelIntervalNs_ = 0;
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
