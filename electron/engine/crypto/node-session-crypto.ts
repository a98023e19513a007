// SessionCrypto over node:crypto (the portable data plane): the counter and
// the replay window in JavaScript, the key in node-aead.ts's KeyObject.
import type { Opener, Sealer, SessionCrypto } from '../ports/session-crypto-port.js';
import { createNodeAead } from './node-aead.js';
import { ReplayWindow } from './replay-window.js';
import { SECURE_MIN_LEN, U32_MAX, emptySecureHeader, writeSecureHeader, type SecureHeader, type SecureType } from './secure-header.js';
import type { Aead } from './node-aead.js';

export const nodeSessionCrypto: SessionCrypto = {
  sealer: (key, vni, session, firstCounter) => new NodeSealer(createNodeAead(key), vni, session, firstCounter),
  opener: (key) => new NodeOpener(createNodeAead(key)),
};

class NodeSealer implements Sealer {
  readonly #aead: Aead;
  readonly #header: SecureHeader;

  constructor(aead: Aead, vni: number, session: bigint, first: bigint) {
    this.#aead = aead;
    this.#header = { ...emptySecureHeader(), vni, session, counterHi: Number(first >> 32n), counterLo: Number(first & 0xffff_ffffn) };
  }

  get nextCounter(): bigint {
    return (BigInt(this.#header.counterHi) << 32n) | BigInt(this.#header.counterLo);
  }

  seal(type: number, plain: Uint8Array, pOff: number, pLen: number, out: Buffer, outOff: number): number {
    const h = this.#header;
    if (h.counterHi === U32_MAX && h.counterLo === U32_MAX) return -1;
    if (!(outOff >= 0) || outOff + pLen + SECURE_MIN_LEN > out.length) return -1;
    h.type = type as SecureType;
    writeSecureHeader(out, outOff, h);
    const n = this.#aead.seal(out, outOff, plain, pOff, pLen);
    if (n < 0) return -1;
    if (h.counterLo === U32_MAX) {
      h.counterLo = 0;
      h.counterHi++;
    } else {
      h.counterLo++;
    }
    return n;
  }

  toString(): string {
    return 'NodeSealer(aes-256-gcm)';
  }
}

class NodeOpener extends ReplayWindow implements Opener {
  readonly #aead: Aead;

  constructor(aead: Aead) {
    super();
    this.#aead = aead;
  }

  open(buf: Buffer, off: number, len: number): boolean {
    return this.#aead.open(buf, off, len);
  }
}
