#include "fast_path.h"

#include <cstring>

#include "packet_channel.h"
#include "secure_session.h"
#include "udp_channel.h"

namespace vxb {
namespace {
constexpr size_t kEthHeader = 14, kVxlanHeader = 8, kSecureOverhead = kSecureHeader + kSecureTag;

inline uint64_t macAt(const uint8_t* p) {
  return static_cast<uint64_t>(p[0]) << 40 | static_cast<uint64_t>(p[1]) << 32 | static_cast<uint64_t>(p[2]) << 24 | static_cast<uint64_t>(p[3]) << 16 |
         static_cast<uint64_t>(p[4]) << 8 | p[5];
}
inline bool isGroup(const uint8_t* mac) { return (mac[0] & 1) != 0; }
inline uint64_t be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | p[i];
  return v;
}
// The 24-bit VNI at bytes 4..6 (VXLAN and secure headers alike).
inline uint32_t vniAt(const uint8_t* h) { return static_cast<uint32_t>(h[4]) << 16 | static_cast<uint32_t>(h[5]) << 8 | h[6]; }
inline uint64_t matchKey(uint32_t addr, uint16_t port) { return static_cast<uint64_t>(addr) << 16 | port; }
// JavaScript numbers carry MACs (48 bits) and addresses exactly.
inline uint64_t u64(const Napi::Value& v) { return v.IsNumber() ? static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()) : 0; }
inline int i32(const Napi::Value& v) { return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : -1; }
}  // namespace

Napi::Function Segment::Define(Napi::Env env) {
  return DefineClass(env, "Segment",
                     {InstanceMethod<&Segment::AttachAdapter>("attachAdapter"), InstanceMethod<&Segment::AttachTunnel>("attachTunnel"),
                      InstanceMethod<&Segment::Detach>("detach"), InstanceMethod<&Segment::SetPeers>("setPeers"), InstanceMethod<&Segment::SetMac>("setMac"),
                      InstanceMethod<&Segment::DeleteMac>("deleteMac"), InstanceMethod<&Segment::ClearMacs>("clearMacs"), InstanceMethod<&Segment::Take>("take")});
}

Segment::Segment(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Segment>(info) {}

Segment::~Segment() {
  DataGuard g(DataLock());
  for (auto& [id, leg] : legs_) {
    if (leg.nic != nullptr) leg.nic->SetSegment(nullptr, -1);
    if (leg.udp != nullptr) leg.udp->SetSegment(nullptr, -1);
  }
}

Segment::Leg* Segment::LegAt(int leg) {
  auto it = legs_.find(leg);
  return it == legs_.end() ? nullptr : &it->second;
}

void Segment::AttachAdapter(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  int id = i32(info[0]);
  if (id < 0 || !info[1].IsObject()) return;
  PacketChannel* c = PacketChannel::Unwrap(info[1].As<Napi::Object>());
  Leg& leg = legs_[id];
  leg.nic = c;
  c->SetSegment(this, id);
  channelRefs_.push_back(Napi::Persistent(info[1].As<Napi::Object>()));
}

void Segment::AttachTunnel(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  int id = i32(info[0]);
  if (id < 0 || !info[1].IsObject()) return;
  UdpChannel* c = UdpChannel::Unwrap(info[1].As<Napi::Object>());
  Leg& leg = legs_[id];
  leg.udp = c;
  leg.raw = info[2].ToBoolean().Value();
  leg.vni = static_cast<uint32_t>(u64(info[3]));
  leg.sealer = Sealer::Of(info[4]);
  if (leg.sealer != nullptr) leg.sealerRef = Napi::Persistent(info[4].As<Napi::Object>());
  c->SetSegment(this, id);
  channelRefs_.push_back(Napi::Persistent(info[1].As<Napi::Object>()));
}

void Segment::Detach(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  int id = i32(info[0]);
  Leg* leg = LegAt(id);
  if (leg == nullptr) return;
  if (leg->nic != nullptr) leg->nic->SetSegment(nullptr, -1);
  if (leg->udp != nullptr) leg->udp->SetSegment(nullptr, -1);
  for (auto it = macs_.begin(); it != macs_.end();) it = it->second.leg == id ? macs_.erase(it) : std::next(it);
  for (auto it = peers_.begin(); it != peers_.end();) it = it->second.leg == id ? peers_.erase(it) : std::next(it);
  legs_.erase(id);
}


void Segment::Forget(Channel* c) {
  for (auto& [id, leg] : legs_) {
    if (leg.nic != nullptr && static_cast<Channel*>(leg.nic) == c) leg.nic = nullptr;
    if (leg.udp != nullptr && static_cast<Channel*>(leg.udp) == c) leg.udp = nullptr;
  }
}

void Segment::SetPeers(const Napi::CallbackInfo& info) {
  if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) return;
  auto a = info[1].As<Napi::Float64Array>();
  Napi::Array openers = info[2].IsArray() ? info[2].As<Napi::Array>() : Napi::Array::New(info.Env());
  DataGuard g(DataLock());
  int id = i32(info[0]);
  Leg* leg = LegAt(id);
  if (leg == nullptr) return;
  // Peers that left take their counters with them: JavaScript took them each sweep.
  std::unordered_map<int32_t, Peer> kept;
  std::vector<Napi::ObjectReference> refs;
  leg->match.clear();
  for (size_t i = 0; i + 4 <= a.ElementLength(); i += 4) {
    int32_t key = static_cast<int32_t>(a[i]);
    auto old = peers_.find(key);
    Peer p = old != peers_.end() ? old->second : Peer{};
    p.key = key;
    p.addr = static_cast<uint32_t>(a[i + 1]);
    p.port = static_cast<uint16_t>(a[i + 2]);
    p.leg = id;
    Napi::Value o = openers.Get(static_cast<uint32_t>(i / 4));
    p.opener = leg->sealer != nullptr ? Opener::Of(o) : nullptr;
    if (p.opener != nullptr) refs.push_back(Napi::Persistent(o.As<Napi::Object>()));
    kept[key] = p;
    leg->match[matchKey(p.addr, static_cast<uint16_t>(a[i + 3]))] = key;
  }
  for (auto it = peers_.begin(); it != peers_.end();) it = it->second.leg == id ? peers_.erase(it) : std::next(it);
  for (auto& [key, p] : kept) peers_[key] = p;
  leg->openerRefs.swap(refs);  // the old Openers are let go only now
}

void Segment::SetMac(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  macs_[u64(info[0])] = Mac{i32(info[1]), info[2].IsNumber() ? info[2].As<Napi::Number>().Int32Value() : -1, false}; }

void Segment::DeleteMac(const Napi::CallbackInfo& info) {
  DataGuard g(DataLock());
  macs_.erase(u64(info[0]));
}

void Segment::ClearMacs(const Napi::CallbackInfo&) {
  DataGuard g(DataLock());
  macs_.clear();
}

Napi::Value Segment::Take(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<double> legs, peers, macs;
  std::unique_lock<std::mutex> lock(DataLock());
  for (auto& [id, leg] : legs_) {
    Traffic& t = leg.traffic;
    if (t.rxPackets == 0 && t.txPackets == 0) continue;
    legs.insert(legs.end(), {static_cast<double>(id), t.rxPackets, t.rxBytes, t.txPackets, t.txBytes});
    t = Traffic{};
  }
  for (auto& [key, p] : peers_) {
    Traffic& t = p.traffic;
    if (t.rxPackets == 0 && t.txPackets == 0 && !p.seen) continue;
    peers.insert(peers.end(), {static_cast<double>(key), static_cast<double>(p.leg), t.rxPackets, t.rxBytes, t.txPackets, t.txBytes, p.seen ? 1.0 : 0.0});
    t = Traffic{};
    p.seen = false;
  }
  for (auto& [mac, m] : macs_) {
    if (!m.seen) continue;
    macs.push_back(static_cast<double>(mac));
    m.seen = false;
  }
  lock.unlock();  // the arrays below are JavaScript values: made without the lock
  auto toArray = [&](const std::vector<double>& v) {
    Napi::Float64Array a = Napi::Float64Array::New(env, v.size());
    if (!v.empty()) memcpy(a.Data(), v.data(), v.size() * sizeof(double));
    return a;
  };
  Napi::Object o = Napi::Object::New(env);
  o.Set("legs", toArray(legs));
  o.Set("peers", toArray(peers));
  o.Set("macs", toArray(macs));
  return o;
}

bool Segment::ToTunnel(const Mac& dst, const uint8_t* frame, size_t len) {
  Leg* out = LegAt(dst.leg);
  if (out == nullptr || out->udp == nullptr) return false;
  auto p = peers_.find(dst.peer);
  if (p == peers_.end() || p->second.leg != dst.leg) return false;
  if (out->sealer != nullptr) {
    uint8_t* slot = p->second.port == 0 ? nullptr : out->udp->NextSlot(len + kSecureOverhead);
    size_t n = slot == nullptr ? 0 : out->sealer->SealInto(kSecureFrame, frame, len, slot);
    if (n == 0) return false;  // the engine says why (an exhausted counter, say)
    out->udp->Commit(n, p->second.addr, p->second.port);
  } else {
    uint8_t hdr[kVxlanHeader] = {0x08, 0, 0, 0, static_cast<uint8_t>(out->vni >> 16), static_cast<uint8_t>(out->vni >> 8), static_cast<uint8_t>(out->vni), 0};
    if (!out->udp->QueueDatagram(hdr, out->raw ? 0 : kVxlanHeader, frame, len, p->second.addr, p->second.port)) return false;
  }
  out->traffic.txPackets++;
  out->traffic.txBytes += static_cast<double>(len);
  p->second.traffic.txPackets++;
  p->second.traffic.txBytes += static_cast<double>(len);
  return true;
}

bool Segment::FromAdapter(int leg, const uint8_t* frame, size_t len) {
  if (len < kEthHeader || isGroup(frame) || isGroup(frame + 6)) return false;
  auto src = macs_.find(macAt(frame + 6));
  if (src == macs_.end() || src->second.leg != leg || src->second.peer != -1) return false;  // new or moved: the switch decides
  auto dst = macs_.find(macAt(frame));
  if (dst == macs_.end() || dst->second.peer == -1) return false;  // unknown, or on an adapter
  Leg* in = LegAt(leg);
  if (in == nullptr || !ToTunnel(dst->second, frame, len)) return false;
  src->second.seen = true;
  in->traffic.rxPackets++;
  in->traffic.rxBytes += static_cast<double>(len);
  return true;
}

Segment::Peer* Segment::PeerFrom(const Leg& leg, uint32_t addr, uint16_t port) {
  auto m = leg.match.find(matchKey(addr, port));
  if (m == leg.match.end()) m = leg.match.find(matchKey(addr, 0));
  if (m == leg.match.end()) return nullptr;
  auto p = peers_.find(m->second);
  return p == peers_.end() ? nullptr : &p->second;
}

bool Segment::OpenFrame(const Leg& leg, Peer& peer, const uint8_t* d, size_t len, uint64_t* counter) {
  Opener* o = peer.opener;
  if (o == nullptr || len < kSecureOverhead + kEthHeader || len - kSecureOverhead > plain_.size()) return false;
  // Keepalives, challenges and responses go up; so does anything odd (the engine counts it).
  if (d[0] != 0x00 || d[1] != 0xe1 || d[2] != kSecureFrame || d[3] != 0 || d[7] != 0) return false;
  if (vniAt(d) != leg.vni || be64(d + 8) != o->session()) return false;
  *counter = be64(d + 16);
  // Window first (no decryption for a replay); a packet that fails goes up unchanged and is counted there.
  return o->window().Check(*counter) && o->OpenTo(d, len, plain_.data());
}

bool Segment::FromTunnel(int leg, uint8_t* data, size_t len, uint32_t addr, uint16_t port) {
  Leg* in = LegAt(leg);
  if (in == nullptr) return false;
  Peer* peer = PeerFrom(*in, addr, port);
  if (peer == nullptr) return false;  // not a peer this leg takes frames from (yet)
  const uint8_t* frame = data;
  size_t flen = len;
  uint64_t counter = 0;
  if (in->sealer != nullptr) {
    if (!OpenFrame(*in, *peer, data, len, &counter)) return false;
    frame = plain_.data();
    flen = len - kSecureOverhead;
  } else if (!in->raw) {
    // A VXLAN data packet of this VNI (I flag only); keepalives, cookies and anything odd go up.
    if (len < kVxlanHeader + kEthHeader || data[0] != 0x08) return false;
    if (vniAt(data) != in->vni) return false;
    frame = data + kVxlanHeader;
    flen = len - kVxlanHeader;
  }
  if (flen < kEthHeader || isGroup(frame) || isGroup(frame + 6)) return false;
  auto src = macs_.find(macAt(frame + 6));
  if (src == macs_.end() || src->second.leg != leg || src->second.peer != peer->key) return false;
  auto dst = macs_.find(macAt(frame));
  if (dst == macs_.end() || dst->second.peer != -1) return false;  // relaying between peers stays with the switch
  Leg* out = LegAt(dst->second.leg);
  if (out == nullptr || out->nic == nullptr || !out->nic->QueueFrame(frame, flen)) return false;
  if (peer->opener != nullptr) peer->opener->window().Accept(counter);
  peer->traffic.rxPackets++;
  peer->traffic.rxBytes += static_cast<double>(flen);
  peer->seen = true;
  src->second.seen = true;
  in->traffic.rxPackets++;
  in->traffic.rxBytes += static_cast<double>(flen);
  out->traffic.txPackets++;
  out->traffic.txBytes += static_cast<double>(flen);
  return true;
}

}  // namespace vxb
