#include "packet_channel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

namespace vxb {
namespace {
constexpr size_t kRxBatch = 32;
// The largest "frame" a GSO/GRO super-frame can be.
constexpr size_t kRxFrameBytes = 65536 + 64;
// Frames one batch can turn into (super-frames are cut into many), and the
// room their extra headers need (Ethernet + VLAN + IP + TCP with options).
constexpr size_t kMaxItems = 4096, kMaxHeaderBytes = 160;
// One super-frame: 64 KiB at a 64-byte MSS.
constexpr size_t kMaxSegments = 1024;
constexpr size_t kTxSlots = 256, kTxSlotBytes = 2048;
}  // namespace

Napi::Function PacketChannel::Define(Napi::Env env) {
  return DefineClass(env, "PacketChannel",
                     {InstanceMethod<&PacketChannel::Start>("start"), InstanceMethod<&PacketChannel::Inject>("inject"),
                      InstanceMethod<&PacketChannel::Stats>("stats"), InstanceMethod<&PacketChannel::Close>("close")});
}

PacketChannel::PacketChannel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<PacketChannel>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    Napi::TypeError::New(env, "PacketChannel(ifname, recvBufBytes)").ThrowAsJavaScriptException();
    return;
  }
  std::string name = info[0].As<Napi::String>().Utf8Value();
  ifindex_ = static_cast<int>(if_nametoindex(name.c_str()));
  if (ifindex_ == 0) { ThrowErrno(env, "if_nametoindex", ENODEV); return; }
  fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
  if (fd_ < 0) { ThrowErrno(env, "socket(AF_PACKET)", errno); return; }
  int one = 1;
  int rcv = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 0;
  sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = ifindex_;
  packet_mreq promisc;
  memset(&promisc, 0, sizeof promisc);
  promisc.mr_ifindex = ifindex_;
  promisc.mr_type = PACKET_MR_PROMISC;
  int err = 0;
  if (setsockopt(fd_, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) != 0) err = errno;
  // FORCE: the capture buffer is the bridge's queue; root may exceed rmem_max.
  if (err == 0 && rcv > 0 && setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof rcv) != 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  if (err == 0 && bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0) err = errno;
  if (err == 0 && setsockopt(fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promisc, sizeof promisc) != 0) err = errno;
  if (err != 0) {
    close(fd_);
    fd_ = -1;
    ThrowErrno(env, ("adapter " + name).c_str(), err);
    return;
  }
  rxBuf_.resize(kRxBatch * kRxFrameBytes);
  rxMsgs_.assign(kRxBatch, mmsghdr{});
  rxIov_.resize(kRxBatch * 2);
  rxVnet_.resize(kRxBatch);
  lens_.resize(kMaxSegments);
  for (size_t i = 0; i < kRxBatch; i++) {
    rxIov_[2 * i] = {&rxVnet_[i], sizeof(VnetHeader)};
    rxIov_[2 * i + 1] = {&rxBuf_[i * kRxFrameBytes], kRxFrameBytes};
    rxMsgs_[i].msg_hdr.msg_iov = &rxIov_[2 * i];
    rxMsgs_[i].msg_hdr.msg_iovlen = 2;
  }
  rxCtl_.assign(kRxBatch * kRxControlBytes, 0);
  txArena_.resize(kTxSlots * kTxSlotBytes);
  txLens_.reserve(kTxSlots);
  txMsgs_.assign(kTxSlots, mmsghdr{});
  txIov_.resize(kTxSlots * 2);
}

PacketChannel::~PacketChannel() {
  DataGuard g(DataLock());
  CloseSocket();
}

Napi::Value PacketChannel::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!TakeArena(info, kRxBatch * kRxFrameBytes + kMaxItems * kMaxHeaderBytes, kMaxItems)) return env.Undefined();
  if (!StartPolling(env, Loop::Unwrap(info[0].As<Napi::Object>()), info[3].As<Napi::Function>())) ThrowErrno(env, "polling the socket", EINVAL);
  return env.Undefined();
}

size_t PacketChannel::Receive(size_t* forJs) {
  *forJs = 0;
  if (fd_ < 0) return 0;
  for (size_t i = 0; i < kRxBatch; i++) {
    msghdr& h = rxMsgs_[i].msg_hdr;
    h.msg_flags = 0;
    h.msg_control = &rxCtl_[i * kRxControlBytes];
    h.msg_controllen = kRxControlBytes;
  }
  int n = recvmmsg(fd_, rxMsgs_.data(), kRxBatch, MSG_DONTWAIT, nullptr);
  if (n <= 0) {
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) lastError_ = errno;  // ENETDOWN: the adapter went down
    return 0;
  }
  size_t items = 0, used = 0;
  uint64_t now;
  const uint64_t target = CodelTarget(&now);
  const bool drained = static_cast<size_t>(n) < kRxBatch;
  for (int i = 0; i < n; i++) {
    size_t got = rxMsgs_[i].msg_len;
    if (got < sizeof(VnetHeader) || (rxMsgs_[i].msg_hdr.msg_flags & MSG_TRUNC)) {
      dropped_++;
      continue;
    }
    if (Stale(rxMsgs_[i].msg_hdr, got - sizeof(VnetHeader), target, now, drained)) continue;
    const VnetHeader& h = rxVnet_[i];
    size_t count = 0;
    size_t room = arenaBytes_ - used, slots = descItems_ - items;
    Split r = toWireFrames(h, &rxBuf_[i * kRxFrameBytes], got - sizeof(VnetHeader), arena_ + used, room, lens_.data(), slots < kMaxSegments ? slots : kMaxSegments, &count);
    if (r != Split::kOk) {
      dropped_++;
      continue;
    }
    if (count > 1) split_++;
    else if (h.flags & kVnetNeedsCsum) checksummed_++;
    size_t at = used;
    for (size_t k = 0; k < count; k++) {
      if (segment_ != nullptr && segment_->FromAdapter(leg_, arena_ + at, lens_[k])) {
        at += lens_[k];
        continue;
      }
      // Kept in place: the frame already sits at arena_ + at, where JavaScript reads it.
      if (at != used) memmove(arena_ + used, arena_ + at, lens_[k]);
      at += lens_[k];
      int32_t* d = desc_ + items * 4;
      d[0] = static_cast<int32_t>(used);
      d[1] = static_cast<int32_t>(lens_[k]);
      d[2] = 0;
      d[3] = 0;
      used += lens_[k];
      items++;
    }
  }
  *forJs = items;
  return static_cast<size_t>(n);
}

bool PacketChannel::QueueFrame(const uint8_t* frame, size_t len) {
  if (fd_ < 0 || len > kTxSlotBytes) return false;
  if (txLens_.size() == kTxSlots) Flush();
  memcpy(&txArena_[txLens_.size() * kTxSlotBytes], frame, len);
  txLens_.push_back(static_cast<uint32_t>(len));
  return true;
}

Napi::Value PacketChannel::Inject(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  DataGuard g(DataLock());
  if (fd_ < 0 || !info[0].IsBuffer()) return Napi::Boolean::New(env, false);
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  int64_t off = info[1].As<Napi::Number>().Int64Value(), len = info[2].As<Napi::Number>().Int64Value();
  if (off < 0 || len < 14 || static_cast<size_t>(off + len) > b.Length()) return Napi::Boolean::New(env, false);
  const uint8_t* data = b.Data() + off;
  if (static_cast<size_t>(len) > kTxSlotBytes) {
    SendNow(data, static_cast<size_t>(len));
  } else {
    if (txLens_.size() == kTxSlots) Flush();
    memcpy(&txArena_[txLens_.size() * kTxSlotBytes], data, static_cast<size_t>(len));
    txLens_.push_back(static_cast<uint32_t>(len));
    if (!Dispatching()) Flush();
  }
  bool failed = injectFailed_;
  injectFailed_ = false;
  return Napi::Boolean::New(env, !failed);
}

void PacketChannel::SendNow(const uint8_t* data, size_t len) {
  iovec iov[2] = {{&txVnet_, sizeof txVnet_}, {const_cast<uint8_t*>(data), len}};
  msghdr h;
  memset(&h, 0, sizeof h);
  h.msg_iov = iov;
  h.msg_iovlen = 2;
  if (sendmsg(fd_, &h, MSG_DONTWAIT) < 0) {
    injectFailures_++;
    injectFailed_ = true;
    lastError_ = errno;
  }
}

void PacketChannel::Flush() {
  size_t q = txLens_.size();
  if (q == 0 || fd_ < 0) {
    txLens_.clear();
    return;
  }
  for (size_t i = 0; i < q; i++) {
    // Sent with an empty virtio-net header: the frame is complete as it is.
    txIov_[2 * i] = {&txVnet_, sizeof txVnet_};
    txIov_[2 * i + 1] = {&txArena_[i * kTxSlotBytes], txLens_[i]};
    msghdr& h = txMsgs_[i].msg_hdr;
    memset(&h, 0, sizeof h);
    h.msg_iov = &txIov_[2 * i];
    h.msg_iovlen = 2;
  }
  size_t done = 0;
  while (done < q) {
    int r = sendmmsg(fd_, &txMsgs_[done], static_cast<unsigned>(q - done), MSG_DONTWAIT);
    if (r > 0) {
      done += static_cast<size_t>(r);
      continue;
    }
    if (errno == EINTR) continue;
    lastError_ = errno;  // ENETDOWN/ENXIO: the adapter is down or gone; EMSGSIZE: over its MTU
    injectFailures_++;
    injectFailed_ = true;
    done++;
  }
  txLens_.clear();
}

Napi::Value PacketChannel::Stats(const Napi::CallbackInfo& info) {
  double split, checksummed, dropped, stale, injectFailures;
  int lastError;
  {
    DataGuard g(DataLock());
    split = split_;
    checksummed = checksummed_;
    dropped = dropped_;
    stale = stale_;
    injectFailures = injectFailures_;
    lastError = lastError_;
  }
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("split", split);
  o.Set("checksummed", checksummed);
  o.Set("dropped", dropped);
  o.Set("stale", stale);
  o.Set("injectFailures", injectFailures);
  o.Set("lastError", lastError != 0 ? strerror(lastError) : "");
  return o;
}

void PacketChannel::Close(const Napi::CallbackInfo&) {
  DataGuard g(DataLock());
  CloseSocket();
}

}  // namespace vxb
