// The session crypto of a keyed leg, with one owner for each piece of state
// (README "Secure legs: wire format"): a Sealer holds the leg's sending session
// (key, VNI, session id, counter), an Opener one remote session (key, id,
// replay window). The engine (JavaScript: control packets, floods, everything
// the fast path hands up) and the fast path seal with the same counter and
// check the same window, so no nonce is used twice and no packet counts twice.
#pragma once
#include <napi.h>

#include <cstdint>

#include "gcm.h"
#include "replay_window.h"

namespace vxb {

constexpr uint8_t kSecureFrame = 1;

class Sealer : public Napi::ObjectWrap<Sealer> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new Sealer(key: 32-byte Buffer, vni, session: bigint, firstCounter: bigint)
  explicit Sealer(const Napi::CallbackInfo& info);
  // The Sealer wrapped by `v`, or nullptr if it is not one.
  static Sealer* Of(const Napi::Value& v);

  // Seals plain[0..len) as `type` into out (room for len + 40): the
  // datagram's length, or 0 (no counter used) if the counter is exhausted or
  // OpenSSL failed. out may be plain - 24 (in place).
  size_t SealInto(uint8_t type, const uint8_t* plain, size_t len, uint8_t* out);

 private:
  // seal(type, plain, pOff, pLen, out, outOff): the port's Sealer.seal (session-crypto-port.ts)
  Napi::Value Seal(const Napi::CallbackInfo& info);
  Napi::Value NextCounter(const Napi::CallbackInfo& info);

  GcmCipher gcm_;
  uint32_t vni_ = 0;
  uint64_t session_ = 0, next_ = 0;
};

class Opener : public Napi::ObjectWrap<Opener> {
 public:
  static Napi::Function Define(Napi::Env env);
  // new Opener(key: 32-byte Buffer, session: bigint)
  explicit Opener(const Napi::CallbackInfo& info);
  static Opener* Of(const Napi::Value& v);

  uint64_t session() const { return session_; }
  ReplayWindow& window() { return window_; }
  bool OpenTo(const uint8_t* dgram, size_t len, uint8_t* out) { return gcm_.OpenTo(dgram, len, out); }

 private:
  // check(hi, lo) / accept(hi, lo) / closeUpTo(hi, lo) / highest: the window;
  // open(buf, off, len): decrypts in place if the tag matches (else unchanged).
  Napi::Value Check(const Napi::CallbackInfo& info);
  Napi::Value Accept(const Napi::CallbackInfo& info);
  void CloseUpTo(const Napi::CallbackInfo& info);
  Napi::Value Highest(const Napi::CallbackInfo& info);
  Napi::Value Open(const Napi::CallbackInfo& info);

  GcmCipher gcm_;
  uint64_t session_ = 0;
  ReplayWindow window_;
};

}  // namespace vxb
