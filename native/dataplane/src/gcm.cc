#include "gcm.h"

#include <cstring>

namespace vxb {
namespace {
constexpr size_t kHeader = 24, kTag = 16, kKey = 32, kNonce = 12, kCounterAt = 16;

// buf[off..off+len) of a Node Buffer argument, or nullptr (and a thrown TypeError).
uint8_t* bufferRange(const Napi::CallbackInfo& info, size_t minLen, size_t* off, size_t* len, int lenArg) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer() || !info[1].IsNumber() || !info[lenArg].IsNumber()) {
    Napi::TypeError::New(env, "expected (buffer, offset, length)").ThrowAsJavaScriptException();
    return nullptr;
  }
  auto b = info[0].As<Napi::Buffer<uint8_t>>();
  int64_t o = info[1].As<Napi::Number>().Int64Value(), l = info[lenArg].As<Napi::Number>().Int64Value();
  if (o < 0 || l < 0 || static_cast<size_t>(l) < minLen || static_cast<size_t>(o + l) > b.Length()) {
    Napi::RangeError::New(env, "range outside the buffer").ThrowAsJavaScriptException();
    return nullptr;
  }
  *off = static_cast<size_t>(o);
  *len = static_cast<size_t>(l);
  return b.Data();
}

void nonceOf(const uint8_t* header, uint8_t* nonce) {
  memset(nonce, 0, 4);
  memcpy(nonce + 4, header + kCounterAt, 8);
}
}  // namespace

Napi::Function Gcm::Define(Napi::Env env) {
  return DefineClass(env, "Gcm", {InstanceMethod<&Gcm::Seal>("seal"), InstanceMethod<&Gcm::Open>("open"), InstanceMethod<&Gcm::Destroy>("destroy")});
}

Gcm::Gcm(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Gcm>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBuffer() || info[0].As<Napi::Buffer<uint8_t>>().Length() != kKey) {
    Napi::TypeError::New(env, "Gcm needs a 32-byte key").ThrowAsJavaScriptException();
    return;
  }
  const uint8_t* key = info[0].As<Napi::Buffer<uint8_t>>().Data();
  enc_ = EVP_CIPHER_CTX_new();
  dec_ = EVP_CIPHER_CTX_new();
  if (enc_ == nullptr || dec_ == nullptr || EVP_EncryptInit_ex(enc_, EVP_aes_256_gcm(), nullptr, key, nullptr) != 1 ||
      EVP_DecryptInit_ex(dec_, EVP_aes_256_gcm(), nullptr, key, nullptr) != 1) {
    Napi::Error::New(env, "OpenSSL could not set up AES-256-GCM").ThrowAsJavaScriptException();
  }
}

Gcm::~Gcm() {
  EVP_CIPHER_CTX_free(enc_);  // clears the key schedule
  EVP_CIPHER_CTX_free(dec_);
}

void Gcm::Destroy(const Napi::CallbackInfo&) {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
  enc_ = dec_ = nullptr;
}

Napi::Value Gcm::Seal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t off, plainLen;
  uint8_t* b = bufferRange(info, 0, &off, &plainLen, 2);
  if (b == nullptr) return env.Undefined();
  if (enc_ == nullptr || off + kHeader + plainLen + kTag > info[0].As<Napi::Buffer<uint8_t>>().Length()) return Napi::Number::New(env, -1);
  uint8_t* h = b + off;
  uint8_t nonce[kNonce];
  nonceOf(h, nonce);
  int n = 0, fin = 0;
  if (EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce) != 1 || EVP_EncryptUpdate(enc_, nullptr, &n, h, kHeader) != 1 ||
      EVP_EncryptUpdate(enc_, h + kHeader, &n, h + kHeader, static_cast<int>(plainLen)) != 1 || EVP_EncryptFinal_ex(enc_, h + kHeader + n, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, kTag, h + kHeader + plainLen) != 1) {
    return Napi::Number::New(env, -1);
  }
  return Napi::Number::New(env, static_cast<double>(kHeader + plainLen + kTag));
}

Napi::Value Gcm::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t off, len;
  uint8_t* b = bufferRange(info, kHeader + kTag, &off, &len, 2);
  if (b == nullptr) return env.Undefined();
  if (dec_ == nullptr) return Napi::Boolean::New(env, false);
  uint8_t* h = b + off;
  size_t ctLen = len - kHeader - kTag;
  uint8_t nonce[kNonce];
  nonceOf(h, nonce);
  // Decrypt into scratch first: a packet that fails leaves the buffer unchanged.
  static thread_local uint8_t scratch[65536];
  if (ctLen > sizeof scratch) return Napi::Boolean::New(env, false);
  int n = 0, fin = 0;
  bool ok = EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce) == 1 && EVP_DecryptUpdate(dec_, nullptr, &n, h, kHeader) == 1 &&
            EVP_DecryptUpdate(dec_, scratch, &n, h + kHeader, static_cast<int>(ctLen)) == 1 &&
            EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, kTag, h + kHeader + ctLen) == 1 && EVP_DecryptFinal_ex(dec_, scratch + n, &fin) == 1;
  if (ok) memcpy(h + kHeader, scratch, ctLen);
  return Napi::Boolean::New(env, ok);
}

}  // namespace vxb
