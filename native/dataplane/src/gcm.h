// AES-256-GCM for secure legs (README "Secure legs"): the key is set once,
// each packet sets only its 12-byte nonce (4 zero bytes + the header's 64-bit
// counter), the 24-byte header is the associated data. The key lives in
// OpenSSL's contexts only; freeing them clears its schedule.
#pragma once
#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>

namespace vxb {

constexpr size_t kSecureHeader = 24, kSecureTag = 16, kSecureKey = 32;

class GcmCipher {
 public:
  GcmCipher() = default;
  GcmCipher(const GcmCipher&) = delete;
  GcmCipher& operator=(const GcmCipher&) = delete;
  ~GcmCipher();

  // False if OpenSSL could not set up the key (the cipher then seals and opens nothing).
  bool SetKey(const uint8_t key[kSecureKey]);
  // dgram[0..24) holds the header; encrypts plain[0..len) into dgram + 24
  // (plain may be dgram + 24: in place) and writes the tag after it.
  bool Seal(uint8_t* dgram, const uint8_t* plain, size_t len);
  // The datagram dgram[0..len) (header, ciphertext, tag) decrypted into out
  // (room for len - 40 bytes; out may not overlap dgram): true only if the tag
  // matches. On false, out holds garbage and dgram is unchanged.
  bool OpenTo(const uint8_t* dgram, size_t len, uint8_t* out);

 private:
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace vxb
