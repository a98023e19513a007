// One UDP socket of a tunnel leg: recvmmsg with UDP_GRO (a burst from one peer
// arrives as one buffer and is cut here), sends queued while JavaScript
// handles a batch and sent with one sendmmsg, same-size runs to one peer as a
// single UDP_SEGMENT (GSO) message where the kernel takes it.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <vector>

#include "fast_path.h"
#include "loop.h"

namespace vxb {

class UdpChannel : public Napi::ObjectWrap<UdpChannel>, public Channel {
 public:
  static Napi::Function Define(Napi::Env env);
  // new UdpChannel(address u32, port, reuseAddr, recvBufBytes, sendBufBytes)
  explicit UdpChannel(const Napi::CallbackInfo& info);
  ~UdpChannel() override;

  size_t Receive(size_t* forJs) override;
  void Flush() override;
  // The fast path's sends: header + body as one datagram, queued like send().
  bool QueueDatagram(const uint8_t* hdr, size_t hdrLen, const uint8_t* body, size_t len, uint32_t addr, uint16_t port);
  // Or written in place: a slot for a datagram of up to `len` bytes (nullptr if
  // closed or too long), then Commit() with what was written (nothing: no Commit).
  uint8_t* NextSlot(size_t len);
  void Commit(size_t len, uint32_t addr, uint16_t port);

 private:
  // start(loop, arena Buffer, descriptors Int32Array, onBatch(count)): each
  // item is 4 int32s [offset into arena, length, IPv4 as u32, port].
  Napi::Value Start(const Napi::CallbackInfo& info);
  // send(buf, off, len, address u32, port): queued (or sent now outside a batch).
  void Send(const Napi::CallbackInfo& info);
  Napi::Value Local(const Napi::CallbackInfo& info);
  Napi::Value BufferSizes(const Napi::CallbackInfo& info);
  // [send failures, last error text, datagrams dropped for waiting too long]
  Napi::Value Failures(const Napi::CallbackInfo& info);
  void Multicast(const Napi::CallbackInfo& info);
  void Close(const Napi::CallbackInfo& info);

  void SendNow(const uint8_t* data, size_t len, uint32_t addr, uint16_t port);

  // receive side (the arena is Channel's, cut into kRxBatch slots)
  size_t slotBytes_ = 0;
  std::vector<mmsghdr> rxMsgs_;
  std::vector<iovec> rxIov_;
  std::vector<sockaddr_in> rxFrom_;
  std::vector<uint8_t> rxCtl_;
  bool gro_ = false;

  // send side
  struct Queued {
    uint32_t len;
    uint32_t addr;
    uint16_t port;
  };
  std::vector<uint8_t> txArena_;
  std::vector<Queued> txQueue_;
  std::vector<mmsghdr> txMsgs_;
  std::vector<iovec> txIov_;
  std::vector<sockaddr_in> txTo_;
  std::vector<uint8_t> txCtl_;
  bool gso_ = true;
  double failures_ = 0;
};

}  // namespace vxb
