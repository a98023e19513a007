// The AEAD of secure legs (README "Secure legs": AES-256-GCM, a 12-byte nonce
// of 4 zero bytes and the header's 64-bit counter, the 24-byte header as
// associated data). crypto/node-aead.ts implements it over node:crypto; the
// native data plane over OpenSSL's EVP with the key set once per session.

export interface Aead {
  /** The 24-byte header sits at buf[off..off+24), the plaintext right after it:
   *  encrypts it in place and writes the 16-byte tag after it. Returns the
   *  datagram's length (plainLength + 40), or -1 if it could not. */
  seal(buf: Buffer, off: number, plainLength: number): number;
  /** Opens the datagram buf[off..off+len) in place; false (and the buffer
   *  unchanged) if the tag does not match. */
  open(buf: Buffer, off: number, len: number): boolean;
  /** Drops the key (the object is useless afterwards). */
  destroy(): void;
}

/** Makes the AEAD of one 32-byte session key. The caller wipes `key` after the call. */
export type AeadFactory = (key: Buffer) => Aead;
