// The fast path of one segment: frames between an adapter and a tunnel peer
// that the switch already knows go through native code only. JavaScript stays
// the switch and the control plane: it learns MACs and peers with every rule
// (limits, holds, move rates, cookies) and mirrors here only what is settled —
// each MAC's place and each tunnel leg's peers. A frame is forwarded here only
// when its source MAC sits exactly where it came from (a refresh) and its
// destination is a known unicast MAC on the other side (adapter ↔ tunnel);
// anything else (broadcast, unknown, a move, a new peer, control packets,
// relaying between peers) goes up to JavaScript as before. Keyed legs take
// part with the engine's own session crypto (secure_session.h): frames are
// sealed with the leg's Sealer, and a peer's frames are opened only in the
// session the engine confirmed for it (its Opener, window checked before and
// updated after); everything else of a keyed leg goes up sealed.
// Counters and "seen" marks are kept here and taken by JavaScript each sweep.
#pragma once
#include <napi.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace vxb {

class Channel;
class Opener;
class PacketChannel;
class Sealer;
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
    int32_t key = 0;
    uint32_t addr = 0;
    uint16_t port = 0;  // where frames go
    int leg = -1;
    Opener* opener = nullptr;  // keyed legs: the peer's confirmed session (nullptr: none yet)
    Traffic traffic;
    bool seen = false;
  };
  struct Leg {
    PacketChannel* nic = nullptr;
    UdpChannel* udp = nullptr;
    bool raw = false;  // Ethernet-over-UDP: no VXLAN header
    uint32_t vni = 0;
    Sealer* sealer = nullptr;  // keyed legs: the leg's sending session
    Napi::ObjectReference sealerRef;
    std::vector<Napi::ObjectReference> openerRefs;  // its peers' Openers, alive while mirrored
    // (address << 16 | port) → peer key; port 0 matches any source port.
    std::unordered_map<uint64_t, int32_t> match;
    Traffic traffic;
  };
  struct Mac {
    int leg;
    int32_t peer;  // -1: an adapter's MAC
    bool seen;
  };

  // attachAdapter(leg, packetChannel) / attachTunnel(leg, udpChannel, raw, vni, sealer?) / detach(leg)
  void AttachAdapter(const Napi::CallbackInfo& info);
  void AttachTunnel(const Napi::CallbackInfo& info);
  void Detach(const Napi::CallbackInfo& info);
  // setPeers(leg, Float64Array [key, address, sendPort, matchPort]*, openers?: (Opener | undefined)[]):
  // the leg's whole peer set; frames come from address:matchPort, or from any
  // port of it when matchPort is 0; a keyed leg's peer i opens with openers[i]
  void SetPeers(const Napi::CallbackInfo& info);
  // setMac(mac, leg, peerKey) / deleteMac(mac) / clearMacs()
  void SetMac(const Napi::CallbackInfo& info);
  void DeleteMac(const Napi::CallbackInfo& info);
  void ClearMacs(const Napi::CallbackInfo& info);
  // take(): { legs: [leg, rxP, rxB, txP, txB]*, peers: [key, leg, rxP, rxB, txP, txB, seen]*, macs: [mac]* } since the last take
  Napi::Value Take(const Napi::CallbackInfo& info);

  Leg* LegAt(int leg);
  Peer* PeerFrom(const Leg& leg, uint32_t addr, uint16_t port);
  bool ToTunnel(const Mac& dst, const uint8_t* frame, size_t len);
  // A keyed leg's datagram: a sealed frame of its VNI in `peer`'s confirmed
  // session, not replayed, authentic. Decrypted into plain_; *counter gets its counter.
  bool OpenFrame(const Leg& leg, Peer& peer, const uint8_t* data, size_t len, uint64_t* counter);

  std::unordered_map<int, Leg> legs_;
  std::unordered_map<int32_t, Peer> peers_;
  std::unordered_map<uint64_t, Mac> macs_;
  std::vector<Napi::ObjectReference> channelRefs_;
  std::vector<uint8_t> plain_ = std::vector<uint8_t>(65536);  // a keyed leg's opened frame
};

}  // namespace vxb
