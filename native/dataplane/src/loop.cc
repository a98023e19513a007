#include "loop.h"

#include "fast_path.h"

#include <poll.h>
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
  uv_loop_t* uvLoop = nullptr;
  if (napi_get_uv_event_loop(env, &uvLoop) != napi_ok) return false;
  poll_ = new uv_poll_t;
  if (uv_poll_init(uvLoop, poll_, fd_) != 0) {
    delete poll_;
    poll_ = nullptr;
    return false;
  }
  poll_->data = this;
  env_ = env;
  loop_ = loop;
  onBatch_ = Napi::Persistent(onBatch);
  loopRef_ = Napi::Persistent(loop->Value());
  loop->Add(this);
  uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* p, int, int) {
    auto* c = static_cast<Channel*>(p->data);
    if (c != nullptr && c->loop_ != nullptr) c->loop_->Dispatch(c);
  });
  return true;
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
  if (info[0].IsNumber()) spinUs_ = std::min<uint32_t>(info[0].As<Napi::Number>().Uint32Value(), 1000);
  budgetAt_ = MonotonicNs();
  spinBudgetNs_ = kSpinBudgetMaxNs;
  if (info[1].IsNumber()) codelTargetNs_ = static_cast<uint64_t>(info[1].As<Napi::Number>().Uint32Value()) * 1000;
  if (info[2].IsNumber()) codelIntervalNs_ = static_cast<uint64_t>(info[2].As<Napi::Number>().Uint32Value()) * 1000;
}

void Loop::Add(Channel* c) { channels_.push_back(c); }

void Loop::Remove(Channel* c) { channels_.erase(std::remove(channels_.begin(), channels_.end(), c), channels_.end()); }

size_t Loop::Drain(Channel* c) {
  size_t total = 0;
  for (int i = 0; i < kMaxBatchesPerDrain && c->loop_ == this; i++) {
    size_t forJs = 0;
    size_t n = c->Receive(&forJs);
    if (n == 0) break;
    if (forJs > 0) c->Deliver(forJs);
    total += n;
  }
  return total;
}

void Loop::FlushAll() {
  for (size_t i = 0; i < channels_.size(); i++) channels_[i]->Flush();
}

void Loop::Dispatch(Channel* first) {
  if (dispatching_) return;  // a handler cannot re-enter (it has no way to run the loop)
  dispatching_ = true;
  Drain(first);
  FlushAll();
  if (spinUs_ > 0) Spin();  // flushes after every batch it drains
  dispatching_ = false;
}

void Loop::Spin() {
  const uint64_t start = MonotonicNs();
  spinBudgetNs_ = std::min(kSpinBudgetMaxNs, spinBudgetNs_ + (start - budgetAt_) / kSpinShareDiv);
  budgetAt_ = start;
  const uint64_t window = std::min(static_cast<uint64_t>(spinUs_) * 1000, spinBudgetNs_);
  if (window == 0) return;
  uint64_t idleSince = start, idleNs = 0;
  // The poll set of this spin; a channel a handler closes meanwhile is skipped below.
  std::vector<pollfd>& fds = fds_;
  std::vector<Channel*>& owners = owners_;
  fds.clear();
  owners.clear();
  for (Channel* c : channels_) {
    fds.push_back({c->fd_, POLLIN, 0});
    owners.push_back(c);
  }
  if (fds.empty()) return;
  for (;;) {
    uint64_t now = MonotonicNs();
    if (now - idleSince >= window || now - start >= kMaxSpinNs) {
      idleNs += now - idleSince;
      break;
    }
    if (poll(fds.data(), fds.size(), 0) <= 0) continue;
    bool any = false;
    for (size_t i = 0; i < fds.size(); i++) {
      if ((fds[i].revents & (POLLIN | POLLERR)) == 0) continue;
      // A handler may have closed a channel: only drain those still here.
      if (std::find(channels_.begin(), channels_.end(), owners[i]) == channels_.end()) continue;
      if (Drain(owners[i]) > 0) any = true;
    }
    if (any) {
      idleNs += now - idleSince;  // the polls before this batch found nothing
      FlushAll();
      idleSince = MonotonicNs();
    }
  }
  spinBudgetNs_ -= std::min(spinBudgetNs_, idleNs);
}

}  // namespace vxb
