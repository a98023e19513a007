// The fast path of one segment: frames between an adapter and a tunnel peer
// that the switch already knows go through native code only. JavaScript stays
// the switch and the control plane: it learns MACs and peers with every rule
// (limits, holds, move rates, cookies) and mirrors here only what is settled —
// each MAC's place and each tunnel leg's peers. A frame is forwarded here only
// when its source MAC sits exactly where it came from (a refresh) and its
// destination is a known unicast MAC on the other side (adapter ↔ tunnel);
// anything else (broadcast, unknown, a move, a new peer, control packets,
// relaying between peers, keyed legs) goes up to JavaScript as before.
// Counters and "seen" marks are kept here and taken by JavaScript each sweep.
#pragma once
#include <napi.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vxb {

class Channel;
class PacketChannel;
class UdpChannel;

class Segment : public Napi::ObjectWrap<Segment> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Segment(const Napi::CallbackInfo& info);
  ~Segment() override;

  // From the channels' Receive: true if the frame/datagram was forwarded here.
  bool FromAdapter(int leg, const uint8_t* frame, size_t len);
  bool FromTunnel(int leg, uint8_t* data, size_t len, uint32_t addr, uint16_t port);
  // A channel that closes: no more frames go to it.
  void Forget(Channel* c);

 private:
  struct Traffic {
    double rxPackets = 0, rxBytes = 0, txPackets = 0, txBytes = 0;
  };
  struct Peer {
    uint32_t addr = 0;
    uint16_t port = 0;  // where frames go
    int leg = -1;
    Traffic traffic;
    bool seen = false;
  };
  struct Leg {
    PacketChannel* nic = nullptr;
    UdpChannel* udp = nullptr;
    bool raw = false;  // Ethernet-over-UDP: no VXLAN header
    uint32_t vni = 0;
    // (address << 16 | port) → peer key; port 0 matches any source port.
    std::unordered_map<uint64_t, int32_t> match;
    Traffic traffic;
  };
  struct Mac {
    int leg;
    int32_t peer;  // -1: an adapter's MAC
    bool seen;
  };

  // attachAdapter(leg, packetChannel) / attachTunnel(leg, udpChannel, raw, vni) / detach(leg)
  void AttachAdapter(const Napi::CallbackInfo& info);
  void AttachTunnel(const Napi::CallbackInfo& info);
  void Detach(const Napi::CallbackInfo& info);
  // setPeers(leg, Float64Array [key, address, sendPort, matchPort]*): the leg's whole peer set;
  // frames come from address:matchPort, or from any port of it when matchPort is 0
  void SetPeers(const Napi::CallbackInfo& info);
  // setMac(mac, leg, peerKey) / deleteMac(mac) / clearMacs()
  void SetMac(const Napi::CallbackInfo& info);
  void DeleteMac(const Napi::CallbackInfo& info);
  void ClearMacs(const Napi::CallbackInfo& info);
  // take(): { legs: [leg, rxP, rxB, txP, txB]*, peers: [key, leg, rxP, rxB, txP, txB, seen]*, macs: [mac]* } since the last take
  Napi::Value Take(const Napi::CallbackInfo& info);

  Leg* LegAt(int leg);
  bool ToTunnel(const Mac& dst, const uint8_t* frame, size_t len);

  std::unordered_map<int, Leg> legs_;
  std::unordered_map<int32_t, Peer> peers_;
  std::unordered_map<uint64_t, Mac> macs_;
  std::vector<Napi::ObjectReference> channelRefs_;
};

}  // namespace vxb
