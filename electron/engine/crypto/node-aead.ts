// AES-256-GCM over node:crypto for node-session-crypto.ts: one cipher object
// per packet, the key in a KeyObject that shows nothing when printed.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';

const HEADER_LEN = 24;
const TAG_LEN = 16;
const COUNTER_AT = 16;

export interface Aead {
  /** The 24-byte header sits at buf[off..off+24): writes the ciphertext of
   *  plain[pOff..pOff+pLen) after it (in place if it sits there) and the
   *  16-byte tag after that. Returns the datagram's length (pLen + 40), or -1. */
  seal(buf: Buffer, off: number, plain: Uint8Array, pOff: number, pLen: number): number;
  /** Opens the datagram buf[off..off+len) in place; false (and the buffer
   *  unchanged) if the tag does not match. */
  open(buf: Buffer, off: number, len: number): boolean;
}

/** The AEAD of one 32-byte session key (the caller wipes `key` after the call). */
export const createNodeAead = (key: Buffer): Aead => new NodeAead(createSecretKey(key));

class NodeAead implements Aead {
  readonly #key: KeyObject;
  readonly #nonce = Buffer.alloc(12);

  constructor(key: KeyObject) {
    this.#key = key;
  }

  seal(buf: Buffer, off: number, plain: Uint8Array, pOff: number, pLen: number): number {
    const key = this.#key;
    if (off + HEADER_LEN + pLen + TAG_LEN > buf.length) return -1;
    buf.copy(this.#nonce, 4, off + COUNTER_AT, off + HEADER_LEN);
    const cipher = createCipheriv('aes-256-gcm', key, this.#nonce, { authTagLength: TAG_LEN });
    cipher.setAAD(buf.subarray(off, off + HEADER_LEN));
    let at = off + HEADER_LEN;
    at += cipher.update(plain.subarray(pOff, pOff + pLen)).copy(buf, at);
    at += cipher.final().copy(buf, at); // empty for GCM
    at += cipher.getAuthTag().copy(buf, at);
    return at - off;
  }

  open(buf: Buffer, off: number, len: number): boolean {
    const key = this.#key;
    if (len < HEADER_LEN + TAG_LEN) return false;
    buf.copy(this.#nonce, 4, off + COUNTER_AT, off + HEADER_LEN);
    const ctStart = off + HEADER_LEN;
    const ctEnd = off + len - TAG_LEN;
    let plain: Buffer;
    let rest: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, this.#nonce, { authTagLength: TAG_LEN });
      decipher.setAAD(buf.subarray(off, ctStart));
      decipher.setAuthTag(buf.subarray(ctEnd, off + len));
      plain = decipher.update(buf.subarray(ctStart, ctEnd));
      rest = decipher.final(); // throws if the tag does not match: the buffer is untouched
    } catch {
      return false;
    }
    plain.copy(buf, ctStart);
    rest.copy(buf, ctStart + plain.length);
    return true;
  }

  toString(): string {
    return 'NodeAead(aes-256-gcm)';
  }
}
