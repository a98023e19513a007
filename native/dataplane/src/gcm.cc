#include "gcm.h"

#include <cstring>

namespace vxb {
namespace {
constexpr size_t kNonce = 12, kCounterAt = 16;

void nonceOf(const uint8_t* header, uint8_t* nonce) {
  memset(nonce, 0, 4);
  memcpy(nonce + 4, header + kCounterAt, 8);
}
}  // namespace

GcmCipher::~GcmCipher() {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
}

bool GcmCipher::SetKey(const uint8_t key[kSecureKey]) {
  enc_ = EVP_CIPHER_CTX_new();
  dec_ = EVP_CIPHER_CTX_new();
  bool ok = enc_ != nullptr && dec_ != nullptr && EVP_EncryptInit_ex(enc_, EVP_aes_256_gcm(), nullptr, key, nullptr) == 1 &&
            EVP_DecryptInit_ex(dec_, EVP_aes_256_gcm(), nullptr, key, nullptr) == 1;
  if (!ok) {
    EVP_CIPHER_CTX_free(enc_);
    EVP_CIPHER_CTX_free(dec_);
    enc_ = dec_ = nullptr;
  }
  return ok;
}

bool GcmCipher::Seal(uint8_t* dgram, const uint8_t* plain, size_t len) {
  if (enc_ == nullptr) return false;
  uint8_t nonce[kNonce];
  nonceOf(dgram, nonce);
  uint8_t* ct = dgram + kSecureHeader;
  int n = 0, fin = 0;
  return EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce) == 1 && EVP_EncryptUpdate(enc_, nullptr, &n, dgram, kSecureHeader) == 1 &&
         EVP_EncryptUpdate(enc_, ct, &n, plain, static_cast<int>(len)) == 1 && EVP_EncryptFinal_ex(enc_, ct + n, &fin) == 1 &&
         EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, kSecureTag, ct + len) == 1;
}

bool GcmCipher::OpenTo(const uint8_t* dgram, size_t len, uint8_t* out) {
  if (dec_ == nullptr || len < kSecureHeader + kSecureTag) return false;
  size_t ctLen = len - kSecureHeader - kSecureTag;
  uint8_t nonce[kNonce];
  nonceOf(dgram, nonce);
  int n = 0, fin = 0;
  // OpenSSL's GCM_SET_TAG takes a non-const pointer but only reads it.
  uint8_t tag[kSecureTag];
  memcpy(tag, dgram + kSecureHeader + ctLen, kSecureTag);
  return EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce) == 1 && EVP_DecryptUpdate(dec_, nullptr, &n, dgram, kSecureHeader) == 1 &&
         EVP_DecryptUpdate(dec_, out, &n, dgram + kSecureHeader, static_cast<int>(ctLen)) == 1 &&
         EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, kSecureTag, tag) == 1 && EVP_DecryptFinal_ex(dec_, out + n, &fin) == 1;
}

}  // namespace vxb
