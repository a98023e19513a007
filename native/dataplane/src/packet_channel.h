// A W leg's adapter on Linux: one AF_PACKET socket with PACKET_VNET_HDR.
// Receive: recvmmsg of whole frames, however large, with the virtio-net header
// that says which checksums are unfilled and which frames are GSO/GRO
// super-frames; offload.h makes wire frames of them, exactly. (A TPACKET_V2
// ring truncates super-frames to its slot size, a V3 ring hands frames up
// only when a block retires, on a timer: so batched copies, not a ring.)
// Inject: through the same socket, which the kernel never loops back to it:
// no echo filter is needed.
#pragma once
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fast_path.h"
#include "loop.h"
#include "offload.h"

namespace vxb {

class PacketChannel : public Napi::ObjectWrap<PacketChannel>, public Channel {
 public:
  static Napi::Function Define(Napi::Env env);
  // new PacketChannel(ifname, recvBufBytes)
  explicit PacketChannel(const Napi::CallbackInfo& info);
  ~PacketChannel() override;

  size_t Receive(size_t* forJs) override;
  void Flush() override;
  // The fast path's injects, queued like inject().
  bool QueueFrame(const uint8_t* frame, size_t len);

 private:
  // start(loop, arena, descriptors, onBatch): items are [offset, length, 0, 0].
  Napi::Value Start(const Napi::CallbackInfo& info);
  // inject(buf, off, len): false if the last sends failed (adapter down?).
  Napi::Value Inject(const Napi::CallbackInfo& info);
  Napi::Value Stats(const Napi::CallbackInfo& info);
  void Close(const Napi::CallbackInfo& info);
  void SendNow(const uint8_t* data, size_t len);

  int ifindex_ = 0;
  std::vector<uint8_t> rxBuf_;
  std::vector<mmsghdr> rxMsgs_;
  std::vector<iovec> rxIov_;
  std::vector<VnetHeader> rxVnet_;
  std::vector<uint32_t> lens_;
  std::vector<uint8_t> rxCtl_;

  std::vector<uint8_t> txArena_;
  std::vector<uint32_t> txLens_;
  std::vector<mmsghdr> txMsgs_;
  std::vector<iovec> txIov_;
  VnetHeader txVnet_{};
  bool injectFailed_ = false;
  // What the offload path did, for the leg's counters.
  double split_ = 0, checksummed_ = 0, dropped_ = 0, injectFailures_ = 0;
};

}  // namespace vxb
