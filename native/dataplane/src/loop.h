// The channels of one data plane (UDP sockets, AF_PACKET sockets). A readable
// socket is drained in batches (recvmmsg); what the fast path (fast_path.h)
// does not forward lands in memory JavaScript owns, and JavaScript gets one
// call per batch; everything queued to send leaves in one sendmmsg per socket.
//
// Two ways to run (Loop's `threaded`):
// - on a thread of its own (the default): an epoll loop reads every socket and
//   runs the fast path there (real-time scheduled where it may, realtime.h); a socket whose batch has items for JavaScript is
//   set aside (not read again) until JavaScript, woken by a uv_async, has
//   handled them. JavaScript's work (sweeps, snapshots, GC) then never holds up
//   a frame the fast path forwards.
// - on Node's thread (VXB_DATA_THREAD=0): each socket is a uv_poll handle.
// Everything both threads touch (channels' queues and counters, the fast
// path's tables, the session crypto) is guarded by one lock, DataLock(): the
// data thread holds it per batch, JavaScript's calls into the module each for
// their own short while; never while JavaScript runs a batch, and no JavaScript
// value is made while it is held (arguments are checked before, results made
// after), so a garbage collection can never run into it.
//
// After activity the loop polls its sockets for a short while (spin) before it lets
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

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "codel.h"

namespace vxb {

class Loop;
class Segment;

// The one lock of the module's shared state (see above).
std::mutex& DataLock();
using DataGuard = std::lock_guard<std::mutex>;

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
  // Whether JavaScript is handling a batch now (its sends are flushed after it).
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
  // Threaded: a batch with this many items waits for JavaScript (the socket is set aside meanwhile).
  size_t pendingJs_ = 0;
  // Which start of which channel this is: a channel closed and another made at its address differ.
  uint64_t serial_ = 0;
};

class Loop : public Napi::ObjectWrap<Loop> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new Loop(spinUs, codelTargetUs, codelIntervalUs, threaded, realtime): realtime
  // scheduling for the data thread where it may (realtime.h)
  explicit Loop(const Napi::CallbackInfo& info);
  ~Loop() override;

  // JavaScript's thread. Add takes DataLock(); Remove needs it held (a channel closes under it).
  bool Add(Channel* c);
  void Remove(Channel* c);
  bool dispatching() const { return dispatching_; }
  bool threaded() const { return threaded_; }
  // CoDel's target for every socket's queue (0: no dropping), and its interval.
  uint64_t codelTargetNs() const { return codelTargetNs_; }
  uint64_t codelIntervalNs() const { return codelIntervalNs_; }
  // On Node's thread: drains `first` (it is readable), then spins over every channel.
  void Dispatch(Channel* first);

 private:
  struct Ready {
    Channel* channel;
    uint64_t serial;
  };
  // Threaded, under DataLock(): reads one batch of c (*read: messages read); true if
  // items wait for JavaScript (c is set aside until they are handled).
  bool Drain(Channel* c, size_t* read);
  void FlushAll();
  void Spin();
  bool Registered(Channel* c) const;
  bool Live(const Ready& r) const { return Registered(r.channel) && r.channel->serial_ == r.serial; }
  // One spin's clock: when it ends, and the polling that found nothing (paid from the budget).
  struct SpinClock {
    uint64_t start, window, idleSince, idleNs;
    // Whether the spin is over at `now` (its idle tail is then counted).
    bool Over(uint64_t now);
    // A poll at `now` found work: the polls before it were idle.
    void Found(uint64_t now);
  };
  SpinClock StartSpin();
  void EndSpin(const SpinClock& s);
  // The spin's poll set in fds_/owners_: every channel JavaScript does not hold.
  void BuildPollSet();

  // The data thread: epoll over the channels, the fast path, spin; wakes JavaScript.
  void Run();
  void Arm(Channel* c, bool on);
  void Wake();
  // JavaScript's thread: the batches that wait for it.
  void OnAsync();
  void StopThread();
  static void StopHook(void* self);

  std::vector<Channel*> channels_;
  bool dispatching_ = false;
  uint32_t spinUs_ = 0;
  uint64_t codelTargetNs_ = 0, codelIntervalNs_ = 0;
  // Idle polling allowed, ns: refilled at a share of wall time, up to a cap (loop.cc).
  uint64_t spinBudgetNs_ = 0, budgetAt_ = 0;
  // Spin's poll set, kept between calls (no allocation per dispatch).
  std::vector<struct pollfd> fds_;
  std::vector<Channel*> owners_;

  // Threaded mode.
  bool threaded_ = false, realtime_ = false;
  int epfd_ = -1, wakefd_ = -1;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  uv_async_t* async_ = nullptr;
  Napi::Env env_ = nullptr;
  std::vector<Ready> ready_;  // OnAsync's list, kept between calls
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
