// vxbridge's native data plane module (Linux): see loop.h, udp_channel.h,
// packet_channel.h, offload.h, secure_session.h, fast_path.h.
#include <napi.h>

#include <cstring>

#include "fast_path.h"
#include "loop.h"
#include "offload.h"
#include "packet_channel.h"
#include "secure_session.h"
#include "udp_channel.h"

namespace vxb {
namespace {

// toWireFrames(vnetHeader Buffer(10), frame Buffer) → Buffer[] | string (why not):
// the offload path on its own, for tests against frames the kernel made.
Napi::Value ToWireFramesForTest(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer() || !info[1].IsBuffer() || info[0].As<Napi::Buffer<uint8_t>>().Length() != sizeof(VnetHeader)) {
    Napi::TypeError::New(env, "toWireFrames(vnetHeader: 10 bytes, frame)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  VnetHeader h;
  memcpy(&h, info[0].As<Napi::Buffer<uint8_t>>().Data(), sizeof h);
  auto f = info[1].As<Napi::Buffer<uint8_t>>();
  std::vector<uint8_t> out(f.Length() * 2 + 1024 * 160);
  std::vector<uint32_t> lens(1024);
  size_t count = 0;
  Split r = toWireFrames(h, f.Data(), f.Length(), out.data(), out.size(), lens.data(), lens.size(), &count);
  switch (r) {
    case Split::kOk: break;
    case Split::kUnsupported: return Napi::String::New(env, "unsupported");
    case Split::kMalformed: return Napi::String::New(env, "malformed");
    case Split::kNoRoom: return Napi::String::New(env, "no-room");
  }
  Napi::Array a = Napi::Array::New(env, count);
  size_t at = 0;
  for (size_t i = 0; i < count; i++) {
    a.Set(static_cast<uint32_t>(i), Napi::Buffer<uint8_t>::Copy(env, out.data() + at, lens[i]));
    at += lens[i];
  }
  return a;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Loop", Loop::Define(env));
  exports.Set("UdpChannel", UdpChannel::Define(env));
  exports.Set("PacketChannel", PacketChannel::Define(env));
  exports.Set("Sealer", Sealer::Define(env));
  exports.Set("Opener", Opener::Define(env));
  exports.Set("Segment", Segment::Define(env));
  exports.Set("toWireFrames", Napi::Function::New(env, ToWireFramesForTest));
  exports.Set("abiVersion", Napi::Number::New(env, 5));
  return exports;
}

}  // namespace
}  // namespace vxb

static Napi::Object InitVxbDataplane(Napi::Env env, Napi::Object exports) { return vxb::Init(env, exports); }

NODE_API_MODULE(vxb_dataplane, InitVxbDataplane)
