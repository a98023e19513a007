#include "secure_session.h"

#include "loop.h"

#include <cstring>
#include <vector>

namespace vxb {
namespace {
// Type tags: Of() accepts only objects these classes wrapped.
constexpr napi_type_tag kSealerTag = {0x7a1c2e9b40d35f61ULL, 0x9e04b8c2d5a7f318ULL};
constexpr napi_type_tag kOpenerTag = {0x3f8d61c07b2e94a5ULL, 0xc41e7d0a92b5f836ULL};

constexpr uint64_t kExhausted = ~uint64_t{0};

inline void putU64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; i--, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

// A bigint argument as u64; false (and a thrown TypeError) if it is not one in range.
bool u64Arg(const Napi::Value& v, uint64_t* out) {
  if (!v.IsBigInt()) {
    Napi::TypeError::New(v.Env(), "expected a bigint").ThrowAsJavaScriptException();
    return false;
  }
  bool lossless = false;
  *out = v.As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless) Napi::RangeError::New(v.Env(), "not a 64-bit unsigned number").ThrowAsJavaScriptException();
  return lossless;
}

// The 32-byte key argument set into `gcm`; false with a JS error pending otherwise.
bool keyArg(const Napi::Value& v, GcmCipher& gcm) {
  Napi::Env env = v.Env();
  if (!v.IsBuffer() || v.As<Napi::Buffer<uint8_t>>().Length() != kSecureKey) {
    Napi::TypeError::New(env, "expected a 32-byte key").ThrowAsJavaScriptException();
    return false;
  }
  if (!gcm.SetKey(v.As<Napi::Buffer<uint8_t>>().Data())) {
    Napi::Error::New(env, "OpenSSL could not set up AES-256-GCM").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}

// The bytes of a Uint8Array (a Buffer is one) and their count, or nullptr.
uint8_t* bytesArg(const Napi::Value& v, size_t* size) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) return nullptr;
  auto a = v.As<Napi::Uint8Array>();
  *size = a.ElementLength();
  static uint8_t none;  // an empty array may have no memory at all
  return *size == 0 ? &none : a.Data();
}

// bytes[off..off+len) of (Uint8Array, offset, length) arguments at info[at..at+3), or nullptr with a JS error pending.
uint8_t* rangeArg(const Napi::CallbackInfo& info, size_t at, size_t* off, size_t* len) {
  Napi::Env env = info.Env();
  size_t size = 0;
  uint8_t* b = bytesArg(info[at], &size);
  if (b == nullptr || !info[at + 1].IsNumber() || !info[at + 2].IsNumber()) {
    Napi::TypeError::New(env, "expected (buffer, offset, length)").ThrowAsJavaScriptException();
    return nullptr;
  }
  double o = info[at + 1].As<Napi::Number>().DoubleValue(), l = info[at + 2].As<Napi::Number>().DoubleValue();
  if (!(o >= 0) || !(l >= 0) || o + l > static_cast<double>(size)) {
    Napi::RangeError::New(env, "range outside the buffer").ThrowAsJavaScriptException();
    return nullptr;
  }
  *off = static_cast<size_t>(o);
  *len = static_cast<size_t>(l);
  return b;
}

uint64_t counterArg(const Napi::CallbackInfo& info) {
  return static_cast<uint64_t>(info[0].As<Napi::Number>().Uint32Value()) << 32 | info[1].As<Napi::Number>().Uint32Value();
}

bool counterArgs(const Napi::CallbackInfo& info) {
  if (info[0].IsNumber() && info[1].IsNumber()) return true;
  Napi::TypeError::New(info.Env(), "expected a counter as (hi, lo)").ThrowAsJavaScriptException();
  return false;
}
}  // namespace

// JavaScript's calls take DataLock() (loop.h) only around the state they touch:
// arguments are checked (and errors thrown) before, results made after, so no
// JavaScript value is allocated with the lock held (true and false are not allocated).

// ---- Sealer

Napi::Function Sealer::Define(Napi::Env env) {
  return DefineClass(env, "Sealer", {InstanceMethod<&Sealer::Seal>("seal"), InstanceAccessor<&Sealer::NextCounter>("nextCounter")});
}

Sealer::Sealer(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Sealer>(info) {
  Napi::Env env = info.Env();
  if (!keyArg(info[0], gcm_)) return;
  if (!info[1].IsNumber()) {
    Napi::TypeError::New(env, "expected a VNI").ThrowAsJavaScriptException();
    return;
  }
  vni_ = info[1].As<Napi::Number>().Uint32Value() & 0xffffff;
  if (!u64Arg(info[2], &session_) || !u64Arg(info[3], &next_)) return;
  info.This().As<Napi::Object>().TypeTag(&kSealerTag);
}

Sealer* Sealer::Of(const Napi::Value& v) {
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kSealerTag)) return nullptr;
  return Unwrap(v.As<Napi::Object>());
}

size_t Sealer::SealInto(uint8_t type, const uint8_t* plain, size_t len, uint8_t* out) {
  if (next_ == kExhausted) return 0;
  uint8_t h[kSecureHeader] = {0x00, 0xe1, type, 0, static_cast<uint8_t>(vni_ >> 16), static_cast<uint8_t>(vni_ >> 8), static_cast<uint8_t>(vni_), 0};
  putU64(h + 8, session_);
  putU64(h + 16, next_);
  // In place the plaintext sits at out + 24: the header goes in front of it, never over it.
  memcpy(out, h, kSecureHeader);
  if (!gcm_.Seal(out, plain, len)) return 0;
  next_++;
  return kSecureHeader + len + kSecureTag;
}

Napi::Value Sealer::Seal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t pOff, pLen, outSize;
  uint8_t* plain = info[0].IsNumber() ? rangeArg(info, 1, &pOff, &pLen) : nullptr;
  uint8_t* out = plain != nullptr ? bytesArg(info[4], &outSize) : nullptr;
  if (out == nullptr || !info[5].IsNumber()) {
    if (!env.IsExceptionPending()) Napi::TypeError::New(env, "expected (type, plain, offset, length, out, outOffset)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  double outOff = info[5].As<Napi::Number>().DoubleValue();
  if (!(outOff >= 0) || outOff + static_cast<double>(pLen + kSecureHeader + kSecureTag) > static_cast<double>(outSize)) return Napi::Number::New(env, -1);
  const uint8_t type = static_cast<uint8_t>(info[0].As<Napi::Number>().Uint32Value());
  size_t n;
  {
    DataGuard g(DataLock());
    n = SealInto(type, plain + pOff, pLen, out + static_cast<size_t>(outOff));
  }
  return Napi::Number::New(env, n == 0 ? -1 : static_cast<double>(n));
}

Napi::Value Sealer::NextCounter(const Napi::CallbackInfo& info) {
  uint64_t next;
  {
    DataGuard g(DataLock());
    next = next_;
  }
  return Napi::BigInt::New(info.Env(), next);
}

// ---- Opener

Napi::Function Opener::Define(Napi::Env env) {
  return DefineClass(env, "Opener",
                     {InstanceMethod<&Opener::Check>("check"), InstanceMethod<&Opener::Accept>("accept"), InstanceMethod<&Opener::CloseUpTo>("closeUpTo"),
                      InstanceMethod<&Opener::Open>("open"), InstanceAccessor<&Opener::Highest>("highest")});
}

Opener::Opener(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Opener>(info) {
  if (!keyArg(info[0], gcm_) || !u64Arg(info[1], &session_)) return;
  info.This().As<Napi::Object>().TypeTag(&kOpenerTag);
}

Opener* Opener::Of(const Napi::Value& v) {
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&kOpenerTag)) return nullptr;
  return Unwrap(v.As<Napi::Object>());
}

Napi::Value Opener::Check(const Napi::CallbackInfo& info) {
  if (!counterArgs(info)) return info.Env().Undefined();
  DataGuard g(DataLock());
  return Napi::Boolean::New(info.Env(), window_.Check(counterArg(info)));
}

Napi::Value Opener::Accept(const Napi::CallbackInfo& info) {
  if (!counterArgs(info)) return info.Env().Undefined();
  DataGuard g(DataLock());
  return Napi::Boolean::New(info.Env(), window_.Accept(counterArg(info)));
}

void Opener::CloseUpTo(const Napi::CallbackInfo& info) {
  if (!counterArgs(info)) return;
  DataGuard g(DataLock());
  window_.CloseUpTo(counterArg(info));
}

Napi::Value Opener::Highest(const Napi::CallbackInfo& info) {
  uint64_t highest;
  {
    DataGuard g(DataLock());
    highest = window_.highest();
  }
  return Napi::BigInt::New(info.Env(), highest);
}

Napi::Value Opener::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t off, len;
  uint8_t* b = rangeArg(info, 0, &off, &len);
  if (b == nullptr) return env.Undefined();
  if (len < kSecureHeader + kSecureTag) return Napi::Boolean::New(env, false);
  DataGuard g(DataLock());
  // Decrypt aside first: a packet that fails leaves the buffer unchanged.
  static thread_local std::vector<uint8_t> scratch(65536);
  size_t plainLen = len - kSecureHeader - kSecureTag;
  if (plainLen > scratch.size()) return Napi::Boolean::New(env, false);
  bool ok = gcm_.OpenTo(b + off, len, scratch.data());
  if (ok) memcpy(b + off + kSecureHeader, scratch.data(), plainLen);
  return Napi::Boolean::New(env, ok);
}

}  // namespace vxb
