#include "udp_channel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/udp.h>
#include <string.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

namespace vxb {
namespace {
constexpr size_t kRxBatch = 16;
// UDP_GRO hands up at most this many datagrams in one buffer (UDP_GRO_CNT_MAX).
constexpr size_t kMaxGroSegments = 64;
constexpr size_t kTxSlots = 256, kTxSlotBytes = 2048;
constexpr size_t kMaxGsoSegments = 64, kMaxGsoBytes = 65000;
constexpr size_t kTxCtlBytes = CMSG_SPACE(sizeof(uint16_t));

sockaddr_in ipv4(uint32_t addr, uint16_t port) {
  sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(addr);
  a.sin_port = htons(port);
  return a;
}

uint32_t u32(const Napi::Value& v) { return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : 0; }
}  // namespace

Napi::Function UdpChannel::Define(Napi::Env env) {
  return DefineClass(env, "UdpChannel",
                     {InstanceMethod<&UdpChannel::Start>("start"), InstanceMethod<&UdpChannel::Send>("send"), InstanceMethod<&UdpChannel::Local>("local"),
                      InstanceMethod<&UdpChannel::BufferSizes>("bufferSizes"), InstanceMethod<&UdpChannel::Failures>("failures"),
                      InstanceMethod<&UdpChannel::Multicast>("multicast"), InstanceMethod<&UdpChannel::Close>("close")});
}

UdpChannel::UdpChannel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UdpChannel>(info) {
  Napi::Env env = info.Env();
  fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) { ThrowErrno(env, "socket", errno); return; }
  int one = 1;
  if (info[2].ToBoolean().Value()) setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rcv = static_cast<int>(u32(info[3])), snd = static_cast<int>(u32(info[4]));
  if (rcv > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
  if (snd > 0) setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &snd, sizeof snd);
  sockaddr_in a = ipv4(u32(info[0]), static_cast<uint16_t>(u32(info[1])));
  if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    int err = errno;
    close(fd_);
    fd_ = -1;
    ThrowErrno(env, "bind", err);
    return;
  }
  txArena_.resize(kTxSlots * kTxSlotBytes);
  txQueue_.reserve(kTxSlots);
  txMsgs_.resize(kTxSlots);
  txIov_.resize(kTxSlots);
  txTo_.resize(kTxSlots);
  txCtl_.resize(kTxSlots * kTxCtlBytes);
}

UdpChannel::~UdpChannel() {
  DataGuard g(DataLock());
  CloseSocket();
}

Napi::Value UdpChannel::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!TakeArena(info, kRxBatch * 2048, kRxBatch)) return env.Undefined();
  slotBytes_ = arenaBytes_ / kRxBatch;
  // Coalesced receive needs room for a whole GRO buffer per slot.
  int on = slotBytes_ >= 65535 && descItems_ >= kRxBatch * kMaxGroSegments ? 1 : 0;
  gro_ = on == 1 && setsockopt(fd_, SOL_UDP, UDP_GRO, &on, sizeof on) == 0;
  rxMsgs_.assign(kRxBatch, mmsghdr{});
  rxIov_.resize(kRxBatch);
  rxFrom_.resize(kRxBatch);
  rxCtl_.assign(kRxBatch * kRxControlBytes, 0);
  for (size_t i = 0; i < kRxBatch; i++) {
    rxIov_[i] = {arena_ + i * slotBytes_, slotBytes_};
    msghdr& h = rxMsgs_[i].msg_hdr;
    h.msg_iov = &rxIov_[i];
    h.msg_iovlen = 1;
    h.msg_name = &rxFrom_[i];
  }
  if (!StartPolling(env, Loop::Unwrap(info[0].As<Napi::Object>()), info[3].As<Napi::Function>())) ThrowErrno(env, "polling the socket", EINVAL);
  return Napi::Boolean::New(env, gro_);
}

size_t UdpChannel::Receive(size_t* forJs) {
  *forJs = 0;
  if (fd_ < 0) return 0;
  for (size_t i = 0; i < kRxBatch; i++) {
    msghdr& h = rxMsgs_[i].msg_hdr;
    h.msg_namelen = sizeof(sockaddr_in);
    h.msg_control = &rxCtl_[i * kRxControlBytes];
    h.msg_controllen = kRxControlBytes;
    h.msg_flags = 0;
  }
  int n = recvmmsg(fd_, rxMsgs_.data(), kRxBatch, MSG_DONTWAIT, nullptr);
  if (n <= 0) {
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) lastError_ = errno;
    return 0;
  }
  size_t items = 0;
  uint64_t now;
  const uint64_t target = CodelTarget(&now);
  const bool drained = static_cast<size_t>(n) < kRxBatch;
  for (int i = 0; i < n; i++) {
    const msghdr& h = rxMsgs_[i].msg_hdr;
    size_t len = rxMsgs_[i].msg_len;
    if (h.msg_flags & MSG_TRUNC) continue;  // larger than a slot: nothing we could forward
    if (Stale(h, len, target, now, drained)) continue;
    size_t seg = len;
    for (cmsghdr* c = CMSG_FIRSTHDR(&h); c != nullptr; c = CMSG_NXTHDR(const_cast<msghdr*>(&h), c)) {
      if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
        int s;
        memcpy(&s, CMSG_DATA(c), sizeof s);
        if (s > 0) seg = static_cast<size_t>(s);
      }
    }
    uint32_t addr = ntohl(rxFrom_[i].sin_addr.s_addr);
    uint16_t port = ntohs(rxFrom_[i].sin_port);
    size_t base = static_cast<size_t>(i) * slotBytes_;
    size_t off = 0;
    do {
      if (items == descItems_) break;
      size_t l = len - off < seg ? len - off : seg;
      if (segment_ != nullptr && segment_->FromTunnel(leg_, arena_ + base + off, l, addr, port)) {
        off += seg;
        continue;
      }
      int32_t* d = desc_ + items * 4;
      d[0] = static_cast<int32_t>(base + off);
      d[1] = static_cast<int32_t>(l);
      d[2] = static_cast<int32_t>(addr);
      d[3] = port;
      items++;
      off += seg;
    } while (off < len);
  }
  *forJs = items;
  return static_cast<size_t>(n);
}

void UdpChannel::Send(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  if (fd_ < 0 || !info[0].IsBuffer()) return;
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  int64_t off = info[1].As<Napi::Number>().Int64Value(), len = info[2].As<Napi::Number>().Int64Value();
  if (off < 0 || len < 0 || static_cast<size_t>(off + len) > b.Length()) return;
  uint32_t addr = u32(info[3]);
  uint16_t port = static_cast<uint16_t>(u32(info[4]));
  if (port == 0) return;  // nobody's: a datagram "from" port 0 is forged
  const uint8_t* data = b.Data() + off;
  if (static_cast<size_t>(len) > kTxSlotBytes) return SendNow(data, static_cast<size_t>(len), addr, port);
  if (txQueue_.size() == kTxSlots) Flush();
  memcpy(&txArena_[txQueue_.size() * kTxSlotBytes], data, static_cast<size_t>(len));
  txQueue_.push_back({static_cast<uint32_t>(len), addr, port});
  if (!Dispatching()) Flush();  // a timer's send (keepalive): nothing else will flush it
}

bool UdpChannel::QueueDatagram(const uint8_t* hdr, size_t hdrLen, const uint8_t* body, size_t len, uint32_t addr, uint16_t port) {
  if (port == 0) return false;
  uint8_t* slot = NextSlot(hdrLen + len);
  if (slot == nullptr) return false;
  memcpy(slot, hdr, hdrLen);
  memcpy(slot + hdrLen, body, len);
  Commit(hdrLen + len, addr, port);
  return true;
}

uint8_t* UdpChannel::NextSlot(size_t len) {
  if (fd_ < 0 || len > kTxSlotBytes) return nullptr;
  if (txQueue_.size() == kTxSlots) Flush();
  return &txArena_[txQueue_.size() * kTxSlotBytes];
}

void UdpChannel::Commit(size_t len, uint32_t addr, uint16_t port) { txQueue_.push_back({static_cast<uint32_t>(len), addr, port}); }

void UdpChannel::SendNow(const uint8_t* data, size_t len, uint32_t addr, uint16_t port) {
  sockaddr_in to = ipv4(addr, port);
  if (sendto(fd_, data, len, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
    failures_++;
    lastError_ = errno;
  }
}

void UdpChannel::Flush() {
  size_t q = txQueue_.size();
  if (q == 0 || fd_ < 0) {
    txQueue_.clear();
    return;
  }
  size_t i = 0;
  while (i < q) {
    // Build messages from queue[i..): GSO runs of one size to one peer (the last may be shorter).
    size_t m = 0, at = i;
    size_t firstOf[kTxSlots];  // queue index of each message's first datagram
    while (at < q && m < kTxSlots) {
      const Queued& a = txQueue_[at];
      size_t j = at + 1, total = a.len;
      if (gso_) {
        while (j < q && j - at < kMaxGsoSegments && txQueue_[j].addr == a.addr && txQueue_[j].port == a.port && txQueue_[j].len <= a.len &&
               total + txQueue_[j].len <= kMaxGsoBytes) {
          total += txQueue_[j].len;
          j++;
          if (txQueue_[j - 1].len < a.len) break;
        }
      }
      for (size_t k = at; k < j; k++) txIov_[k] = {&txArena_[k * kTxSlotBytes], txQueue_[k].len};
      txTo_[m] = ipv4(a.addr, a.port);
      msghdr& h = txMsgs_[m].msg_hdr;
      memset(&h, 0, sizeof h);
      h.msg_name = &txTo_[m];
      h.msg_namelen = sizeof(sockaddr_in);
      h.msg_iov = &txIov_[at];
      h.msg_iovlen = j - at;
      if (j - at > 1) {
        h.msg_control = &txCtl_[m * kTxCtlBytes];
        h.msg_controllen = kTxCtlBytes;
        cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_UDP;
        c->cmsg_type = UDP_SEGMENT;
        c->cmsg_len = CMSG_LEN(sizeof(uint16_t));
        uint16_t size = static_cast<uint16_t>(a.len);
        memcpy(CMSG_DATA(c), &size, sizeof size);
      }
      firstOf[m] = at;
      m++;
      at = j;
    }
    size_t done = 0;
    while (done < m) {
      int r = sendmmsg(fd_, &txMsgs_[done], static_cast<unsigned>(m - done), MSG_DONTWAIT);
      if (r > 0) {
        done += static_cast<size_t>(r);
        continue;
      }
      int err = errno;
      if (err == EINTR) continue;
      if (gso_ && (err == EIO || err == EINVAL) && txMsgs_[done].msg_hdr.msg_iovlen > 1) {
        gso_ = false;  // this path (or kernel) takes no UDP GSO: one datagram per message from now on
        break;
      }
      // The socket buffer is full or the network refused: this message is lost, go on with the rest.
      lastError_ = err;
      failures_ += static_cast<double>(txMsgs_[done].msg_hdr.msg_iovlen);
      done++;
    }
    i = done < m ? firstOf[done] : at;
  }
  txQueue_.clear();
}

Napi::Value UdpChannel::Local(const Napi::CallbackInfo& info) {
  sockaddr_in a;
  socklen_t l = sizeof a;
  memset(&a, 0, sizeof a);
  if (fd_ >= 0) getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &l);
  Napi::Array r = Napi::Array::New(info.Env(), 2);
  r.Set(0u, Napi::Number::New(info.Env(), ntohl(a.sin_addr.s_addr)));
  r.Set(1u, Napi::Number::New(info.Env(), ntohs(a.sin_port)));
  return r;
}

Napi::Value UdpChannel::BufferSizes(const Napi::CallbackInfo& info) {
  int rcv = 0, snd = 0;
  socklen_t l = sizeof rcv;
  if (fd_ >= 0) {
    getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcv, &l);
    l = sizeof snd;
    getsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &snd, &l);
  }
  Napi::Array r = Napi::Array::New(info.Env(), 2);
  r.Set(0u, Napi::Number::New(info.Env(), rcv));
  r.Set(1u, Napi::Number::New(info.Env(), snd));
  return r;
}

Napi::Value UdpChannel::Failures(const Napi::CallbackInfo& info) {
  double failures, stale;
  int lastError;
  {
    DataGuard g(DataLock());
    failures = failures_;
    stale = stale_;
    lastError = lastError_;
  }
  Napi::Array r = Napi::Array::New(info.Env(), 3);
  r.Set(0u, Napi::Number::New(info.Env(), failures));
  r.Set(1u, Napi::String::New(info.Env(), lastError != 0 ? strerror(lastError) : ""));
  r.Set(2u, Napi::Number::New(info.Env(), stale));
  return r;
}

// multicast(op, a, b): 0 join group a on interface address b; 1 interface a; 2 TTL a; 3 loopback a (0/1).
void UdpChannel::Multicast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint32_t op = u32(info[0]), a = u32(info[1]), b = u32(info[2]);
  int r = -1;
  if (op == 0) {
    ip_mreq m;
    m.imr_multiaddr.s_addr = htonl(a);
    m.imr_interface.s_addr = htonl(b);
    r = setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m);
  } else if (op == 1) {
    in_addr i;
    i.s_addr = htonl(a);
    r = setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &i, sizeof i);
  } else if (op == 2 || op == 3) {
    int v = static_cast<int>(a);
    r = setsockopt(fd_, IPPROTO_IP, op == 2 ? IP_MULTICAST_TTL : IP_MULTICAST_LOOP, &v, sizeof v);
  }
  if (r != 0) ThrowErrno(env, "multicast", errno);
}

void UdpChannel::Close(const Napi::CallbackInfo&) {
  DataGuard g(DataLock());
  CloseSocket();
}

}  // namespace vxb
