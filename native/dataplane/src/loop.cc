#include "loop.h"

#include "fast_path.h"
#include "realtime.h"

#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include <algorithm>
#include <string>

namespace vxb {
namespace {
// A drain takes one batch, then the other sockets get their turn (measured: 8
// batches in a row kept a ping behind a TCP burst on another socket).
constexpr int kMaxBatchesPerDrain = 1;
// However busy the sockets, the thread returns to the event loop after this long.
constexpr uint64_t kMaxSpinNs = 1'000'000;
// Idle spinning may take this share of wall time (1/kSpinShareDiv), banked up to kSpinBudgetMaxNs.
constexpr uint64_t kSpinShareDiv = 50, kSpinBudgetMaxNs = 10'000'000;
}  // namespace

std::mutex& DataLock() {
  static std::mutex m;
  return m;
}

uint64_t RealtimeNs() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
}

uint64_t ReceiveTimeNs(const msghdr& h) {
  for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec t;
      memcpy(&t, CMSG_DATA(c), sizeof t);
      return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
    }
  }
  return 0;
}

uint64_t MonotonicNs() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(t.tv_nsec);
}

void ThrowErrno(Napi::Env env, const char* what, int err) {
  Napi::Error e = Napi::Error::New(env, std::string(what) + ": " + strerror(err));
  const char* name = nullptr;
  switch (err) {
    case EADDRINUSE: name = "EADDRINUSE"; break;
    case EADDRNOTAVAIL: name = "EADDRNOTAVAIL"; break;
    case EACCES: name = "EACCES"; break;
    case EPERM: name = "EPERM"; break;
    case ENODEV: name = "ENODEV"; break;
    case ENXIO: name = "ENXIO"; break;
    case EINVAL: name = "EINVAL"; break;
    default: name = "EOTHER";
  }
  e.Set("code", Napi::String::New(env, name));
  e.Set("errno", Napi::Number::New(env, err));
  e.ThrowAsJavaScriptException();
}

// ---- Channel

bool Channel::StartPolling(Napi::Env env, Loop* loop, Napi::Function onBatch) {
  static uint64_t serials = 0;
  serial_ = ++serials;
  env_ = env;
  loop_ = loop;
  onBatch_ = Napi::Persistent(onBatch);
  loopRef_ = Napi::Persistent(loop->Value());
  if (loop->threaded()) {
    if (loop->Add(this)) return true;
  } else {
    uv_loop_t* uvLoop = nullptr;
    poll_ = new uv_poll_t;
    if (napi_get_uv_event_loop(env, &uvLoop) == napi_ok && uv_poll_init(uvLoop, poll_, fd_) == 0) {
      poll_->data = this;
      loop->Add(this);
      uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* p, int, int) {
        auto* c = static_cast<Channel*>(p->data);
        if (c != nullptr && c->loop_ != nullptr) c->loop_->Dispatch(c);
      });
      return true;
    }
    delete poll_;
    poll_ = nullptr;
  }
  loop_ = nullptr;
  onBatch_.Reset();
  loopRef_.Reset();
  return false;
}

void Channel::StopPolling() {
  if (poll_ != nullptr) {
    poll_->data = nullptr;
    uv_poll_stop(poll_);
    // The handle is freed only once libuv is done with it.
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (loop_ != nullptr) loop_->Remove(this);
  loop_ = nullptr;
  pendingJs_ = 0;
  onBatch_.Reset();
  loopRef_.Reset();
}

bool Channel::TakeArena(const Napi::CallbackInfo& info, size_t minArenaBytes, size_t minItems) {
  Napi::Env env = info.Env();
  if (fd_ < 0 || !info[0].IsObject() || !info[1].IsBuffer() || !info[2].IsTypedArray() || !info[3].IsFunction()) {
    Napi::TypeError::New(env, "start(loop, arena, descriptors, onBatch)").ThrowAsJavaScriptException();
    return false;
  }
  auto arena = info[1].As<Napi::Buffer<uint8_t>>();
  auto desc = info[2].As<Napi::Int32Array>();
  if (arena.Length() < minArenaBytes || desc.ElementLength() < minItems * 4) {
    Napi::RangeError::New(env, "arena or descriptor array too small").ThrowAsJavaScriptException();
    return false;
  }
  arena_ = arena.Data();
  arenaBytes_ = arena.Length();
  desc_ = desc.Data();
  descItems_ = desc.ElementLength() / 4;
  arenaRef_ = Napi::Persistent(arena.As<Napi::Object>());
  descRef_ = Napi::Persistent(desc.As<Napi::Object>());
  int stamp = 1;  // the kernel's receive time of each message, for CoDel
  setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &stamp, sizeof stamp);
  return true;
}

void Channel::CloseSocket() {
  if (segment_ != nullptr) segment_->Forget(this);
  segment_ = nullptr;
  if (fd_ < 0) return;
  Flush();
  StopPolling();
  close(fd_);
  fd_ = -1;
  arenaRef_.Reset();
  descRef_.Reset();
}

uint64_t Channel::CodelTarget(uint64_t* now) const {
  uint64_t target = loop_ != nullptr ? loop_->codelTargetNs() : 0;
  *now = target != 0 ? RealtimeNs() : 0;
  return target;
}

bool Channel::Stale(const msghdr& h, size_t len, uint64_t target, uint64_t now, bool drained) {
  if (target == 0 || len <= kNeverStaleBytes) return false;
  uint64_t at = ReceiveTimeNs(h);
  if (at == 0 || !codel_.Drop(now > at ? now - at : 0, now, target, loop_->codelIntervalNs(), drained)) return false;
  stale_++;
  return true;
}

bool Channel::Dispatching() const { return loop_ != nullptr && loop_->dispatching(); }

void Channel::Deliver(size_t count) {
  Napi::Env env = env_;
  Napi::HandleScope scope(env);
  // MakeCallback: process.nextTick and promise jobs queued by the handler run after it, as for any I/O callback.
  onBatch_.MakeCallback(env.Global(), {Napi::Number::New(env, static_cast<double>(count))});
  if (env.IsExceptionPending()) {
    Napi::Error e = env.GetAndClearPendingException();
    napi_fatal_exception(env, e.Value());  // to process 'uncaughtException', as a throwing socket handler would
  }
}

// ---- Loop

Napi::Function Loop::Define(Napi::Env env) {
  return DefineClass(env, "Loop", {});
}

Loop::Loop(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Loop>(info) {
  Napi::Env env = info.Env();
  if (info[0].IsNumber()) spinUs_ = std::min<uint32_t>(info[0].As<Napi::Number>().Uint32Value(), 1000);
  if (info[1].IsNumber()) codelTargetNs_ = static_cast<uint64_t>(info[1].As<Napi::Number>().Uint32Value()) * 1000;
  if (info[2].IsNumber()) codelIntervalNs_ = static_cast<uint64_t>(info[2].As<Napi::Number>().Uint32Value()) * 1000;
  budgetAt_ = MonotonicNs();
  spinBudgetNs_ = kSpinBudgetMaxNs;
  if (!info[3].ToBoolean().Value()) return;
  realtime_ = info[4].ToBoolean().Value();
  env_ = env;
  uv_loop_t* uvLoop = nullptr;
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  wakefd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  async_ = new uv_async_t;
  if (epfd_ < 0 || wakefd_ < 0 || napi_get_uv_event_loop(env, &uvLoop) != napi_ok ||
      uv_async_init(uvLoop, async_, [](uv_async_t* a) { static_cast<Loop*>(a->data)->OnAsync(); }) != 0) {
    int err = errno;
    delete async_;
    async_ = nullptr;
    ThrowErrno(env, "data thread", err != 0 ? err : EINVAL);
    return;
  }
  async_->data = this;
  uv_unref(reinterpret_cast<uv_handle_t*>(async_));  // only a loop with channels keeps Node running
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up eventfd
  epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev);
  threaded_ = true;
  // The data thread takes no signals: Node's thread handles them.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread([this] { Run(); });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  // Stopped before the environment goes (process exit, a worker's end).
  napi_add_env_cleanup_hook(env, StopHook, this);
}

Loop::~Loop() {
  if (threaded_) napi_remove_env_cleanup_hook(env_, StopHook, this);
  StopThread();
}

void Loop::StopHook(void* self) { static_cast<Loop*>(self)->StopThread(); }

void Loop::StopThread() {
  if (!threaded_) return;
  threaded_ = false;
  stop_ = true;
  Wake();
  if (thread_.joinable()) thread_.join();
  if (async_ != nullptr) {
    uv_close(reinterpret_cast<uv_handle_t*>(async_), [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
    async_ = nullptr;
  }
  close(epfd_);
  close(wakefd_);
  epfd_ = wakefd_ = -1;
}

bool Loop::Add(Channel* c) {
  if (threaded_) {
    DataGuard g(DataLock());
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = c;
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, c->fd_, &ev) != 0) return false;
    channels_.push_back(c);
    uv_ref(reinterpret_cast<uv_handle_t*>(async_));
    return true;
  }
  channels_.push_back(c);
  return true;
}

// With DataLock() held: the channel closes.
void Loop::Remove(Channel* c) {
  channels_.erase(std::remove(channels_.begin(), channels_.end(), c), channels_.end());
  if (threaded_) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, c->fd_, nullptr);
    if (channels_.empty() && async_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(async_));
  }
}

bool Loop::Registered(Channel* c) const { return std::find(channels_.begin(), channels_.end(), c) != channels_.end(); }

bool Loop::Drain(Channel* c, size_t* read) {
  size_t forJs = 0;
  *read = c->Receive(&forJs);
  if (forJs == 0) return false;
  c->pendingJs_ = forJs;
  Arm(c, false);  // set aside until JavaScript has handled this batch
  return true;
}

void Loop::FlushAll() {
  for (size_t i = 0; i < channels_.size(); i++) channels_[i]->Flush();
}

Loop::SpinClock Loop::StartSpin() {
  const uint64_t now = MonotonicNs();
  spinBudgetNs_ = std::min(kSpinBudgetMaxNs, spinBudgetNs_ + (now - budgetAt_) / kSpinShareDiv);
  budgetAt_ = now;
  return {now, std::min(static_cast<uint64_t>(spinUs_) * 1000, spinBudgetNs_), now, 0};
}

bool Loop::SpinClock::Over(uint64_t now) {
  if (now - idleSince < window && now - start < kMaxSpinNs) return false;
  idleNs += now - idleSince;
  return true;
}

void Loop::SpinClock::Found(uint64_t now) {
  idleNs += now - idleSince;
  idleSince = MonotonicNs();
}

void Loop::EndSpin(const SpinClock& s) { spinBudgetNs_ -= std::min(spinBudgetNs_, s.idleNs); }

void Loop::BuildPollSet() {
  fds_.clear();
  owners_.clear();
  for (Channel* c : channels_) {
    if (c->pendingJs_ > 0) continue;
    fds_.push_back({c->fd_, POLLIN, 0});
    owners_.push_back(c);
  }
}

// ---- On Node's thread

void Loop::Dispatch(Channel* first) {
  if (dispatching_) return;  // a handler cannot re-enter (it has no way to run the loop)
  dispatching_ = true;
  size_t forJs = 0;
  {
    DataGuard g(DataLock());
    first->Receive(&forJs);
  }
  if (forJs > 0) first->Deliver(forJs);
  {
    DataGuard g(DataLock());
    FlushAll();
  }
  if (spinUs_ > 0) Spin();  // flushes after every batch it drains
  dispatching_ = false;
}

void Loop::Spin() {
  SpinClock clock = StartSpin();
  if (clock.window == 0) return;
  // The poll set of this spin; a channel a handler closes meanwhile is skipped below.
  BuildPollSet();
  std::vector<pollfd>& fds = fds_;
  std::vector<Channel*>& owners = owners_;
  if (fds.empty()) return;
  for (;;) {
    uint64_t now = MonotonicNs();
    if (clock.Over(now)) break;
    if (poll(fds.data(), fds.size(), 0) <= 0) continue;
    bool any = false;
    for (size_t i = 0; i < fds.size(); i++) {
      if ((fds[i].revents & (POLLIN | POLLERR)) == 0) continue;
      // A handler may have closed a channel: only drain those still here.
      if (!Registered(owners[i])) continue;
      size_t forJs = 0, read = 0;
      {
        DataGuard g(DataLock());
        read = owners[i]->Receive(&forJs);
      }
      if (forJs > 0 && Registered(owners[i])) owners[i]->Deliver(forJs);
      if (read > 0) any = true;
    }
    if (any) {
      {
        DataGuard g(DataLock());
        FlushAll();
      }
      clock.Found(now);
    }
  }
  EndSpin(clock);
}

// ---- On a thread of its own

void Loop::Arm(Channel* c, bool on) {
  epoll_event ev{};
  ev.events = on ? static_cast<uint32_t>(EPOLLIN) : 0u;
  ev.data.ptr = c;
  epoll_ctl(epfd_, EPOLL_CTL_MOD, c->fd_, &ev);
}

void Loop::Wake() {
  uint64_t one = 1;
  if (wakefd_ >= 0 && write(wakefd_, &one, sizeof one) < 0) {
    // The counter is full: a wake-up is pending anyway.
  }
}

void Loop::Run() {
  Realtime realtime;
  realtime.Start(realtime_, MonotonicNs());
  epoll_event events[64];
  for (;;) {
    int n = epoll_wait(epfd_, events, 64, -1);
    if (stop_) return;
    if (n < 0) continue;  // EINTR
    realtime.Check(MonotonicNs());
    bool forJs = false, any = false;
    {
      DataGuard g(DataLock());
      for (int i = 0; i < n; i++) {
        auto* c = static_cast<Channel*>(events[i].data.ptr);
        if (c == nullptr) {
          uint64_t v;
          while (read(wakefd_, &v, sizeof v) > 0) {
          }
          continue;
        }
        // A channel closed since epoll_wait returned is not ours any more.
        if (!Registered(c) || c->pendingJs_ > 0) continue;
        size_t read = 0;
        if (Drain(c, &read)) forJs = true;
        if (read > 0) any = true;
      }
      FlushAll();
    }
    if (forJs) uv_async_send(async_);
    if (!any || spinUs_ == 0) continue;
    // Spin: poll the channels JavaScript does not hold, without the lock, for up to the window.
    SpinClock clock;
    {
      DataGuard g(DataLock());
      clock = StartSpin();
      BuildPollSet();
    }
    std::vector<pollfd>& fds = fds_;
    std::vector<Channel*>& owners = owners_;
    while (clock.window > 0 && !fds.empty() && !stop_) {
      uint64_t now = MonotonicNs();
      if (clock.Over(now)) break;
      if (poll(fds.data(), fds.size(), 0) <= 0) continue;
      bool found = false, wake = false;
      {
        DataGuard g(DataLock());
        for (size_t i = 0; i < fds.size(); i++) {
          if ((fds[i].revents & (POLLIN | POLLERR)) == 0) continue;
          Channel* c = owners[i];
          if (!Registered(c) || c->pendingJs_ > 0) {
            fds[i].fd = -1;  // poll skips it from now on
            continue;
          }
          size_t read = 0;
          if (Drain(c, &read)) {
            wake = true;
            fds[i].fd = -1;
          }
          if (read > 0) found = true;
        }
        if (found) FlushAll();
      }
      if (wake) uv_async_send(async_);
      if (found) clock.Found(now);
    }
    DataGuard g(DataLock());
    EndSpin(clock);
  }
}

void Loop::OnAsync() {
  {
    DataGuard g(DataLock());
    ready_.clear();
    for (Channel* c : channels_)
      if (c->pendingJs_ > 0) ready_.push_back({c, c->serial_});
  }
  dispatching_ = true;
  // A handler may close a channel, even a later one of this list: each is checked before its turn.
  for (const Ready& r : ready_) {
    if (Live(r)) r.channel->Deliver(r.channel->pendingJs_);  // set aside: the data thread leaves it alone
  }
  dispatching_ = false;
  DataGuard g(DataLock());
  for (const Ready& r : ready_) {
    if (!Live(r)) continue;
    r.channel->pendingJs_ = 0;
    Arm(r.channel, true);
  }
  ready_.clear();
  FlushAll();
}

}  // namespace vxb
