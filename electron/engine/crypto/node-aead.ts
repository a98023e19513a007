// Aead over node:crypto (the portable data plane): one cipher object per
// packet, the key in a KeyObject that shows nothing when printed.
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from 'node:crypto';
import type { Aead, AeadFactory } from '../ports/aead-port.js';

const HEADER_LEN = 24;
const TAG_LEN = 16;
const COUNTER_AT = 16;

export const createNodeAead: AeadFactory = (key) => new NodeAead(createSecretKey(key));

class NodeAead implements Aead {
  #key: KeyObject | null;
  readonly #nonce = Buffer.alloc(12);

  constructor(key: KeyObject) {
    this.#key = key;
  }

  seal(buf: Buffer, off: number, plainLength: number): number {
    const key = this.#key;
    if (key === null || off + HEADER_LEN + plainLength + TAG_LEN > buf.length) return -1;
    buf.copy(this.#nonce, 4, off + COUNTER_AT, off + HEADER_LEN);
    const cipher = createCipheriv('aes-256-gcm', key, this.#nonce, { authTagLength: TAG_LEN });
    cipher.setAAD(buf.subarray(off, off + HEADER_LEN));
    let at = off + HEADER_LEN;
    at += cipher.update(buf.subarray(at, at + plainLength)).copy(buf, at);
    at += cipher.final().copy(buf, at); // empty for GCM
    at += cipher.getAuthTag().copy(buf, at);
    return at - off;
  }

  open(buf: Buffer, off: number, len: number): boolean {
    const key = this.#key;
    if (key === null || len < HEADER_LEN + TAG_LEN) return false;
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

  destroy(): void {
    this.#key = null;
  }

  toString(): string {
    return 'NodeAead(aes-256-gcm)';
  }
}
