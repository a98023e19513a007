// AES-256-GCM for secure legs (README "Secure legs"): the key is set once,
// each packet sets only its 12-byte nonce (4 zero bytes + the header's 64-bit
// counter), the 24-byte header is the associated data, and the frame is
// encrypted or decrypted in place. The key lives in OpenSSL's context only.
#pragma once
#include <napi.h>
#include <openssl/evp.h>

namespace vxb {

class Gcm : public Napi::ObjectWrap<Gcm> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Gcm(const Napi::CallbackInfo& info);
  ~Gcm() override;

 private:
  // seal(buf, off, plainLen): header at buf[off..off+24), plaintext after it;
  // writes ciphertext in place and the tag after it; returns plainLen + 40.
  Napi::Value Seal(const Napi::CallbackInfo& info);
  // open(buf, off, len): true and plaintext in place if the tag is right.
  Napi::Value Open(const Napi::CallbackInfo& info);
  void Destroy(const Napi::CallbackInfo& info);

  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace vxb
