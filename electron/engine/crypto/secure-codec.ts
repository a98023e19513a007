// Sealing and opening the datagrams of encrypted V legs (README "Secure legs:
// wire format"): header (secure-header.ts) || AES-256-GCM ciphertext || tag,
// nonce = 4 zero bytes || counter, additional authenticated data = header
// bytes 0..23, key = deriveSessionKey(psk, VNI, session of the sender).
//
// Per packet this allocates what Node's cipher API forces: the cipher object
// and the Buffers its update()/final()/getAuthTag() return (plus the subarray
// views handed to it). Everything else is written into the caller's buffers
// and reused objects.

import { randomBytes } from 'node:crypto';
import type { Aead, AeadFactory } from '../ports/aead-port.js';
import { deriveSessionKey } from './keys.js';
import { createNodeAead } from './node-aead.js';
import { ReplayWindow } from './replay-window.js';
import {
  SECURE_HEADER_LEN,
  SECURE_MIN_LEN,
  U32_MAX,
  emptySecureHeader,
  isSecureType,
  readSecureHeader,
  writeSecureHeader,
  type SecureHeader,
  type SecureType,
} from './secure-header.js';

/** Why open() dropped a datagram (the leg counts drops by these, see DROP_REASONS). */
export type OpenFailure = 'malformed' | 'wrong-vni' | 'auth' | 'replay';

/** What seal() returns when it wrote nothing: the counter is exhausted or `out` is too small. */
export const SEAL_FAILED = -1;

/** Module-private access to the AEAD of a peer session, held in a #private field
 *  (as the sender's is) so that no printing, inspection or serialisation shows its key. */
let peerAead: (p: PeerSession) => Aead;

/** The session's AEAD from (pre-shared key, VNI, session id); the derived key is wiped once handed over. */
function sessionAead(psk: string, vni: number, session: bigint, make: AeadFactory): Aead {
  const key = deriveSessionKey(psk, vni, session); // validates vni and session
  try {
    return make(key);
  } finally {
    key.fill(0);
  }
}

export interface SecureSenderOptions {
  /** Tests only: a fixed session id instead of a random one. Reusing a session
   *  id across runs reuses (key, nonce) pairs, which breaks AES-GCM. */
  readonly session?: bigint;
  /** Tests only: the first counter instead of 0. */
  readonly firstCounter?: bigint;
  /** The AEAD implementation (default: node:crypto). */
  readonly aead?: AeadFactory;
}

/**
 * The sending side of one leg run on one segment: a random 64-bit session id,
 * its key derived once, a counter from 0. Make a new one each time the leg
 * starts; never persist or share one.
 */
export class SecureSender {
  readonly vni: number;
  readonly session: bigint;
  readonly #aead: Aead;
  readonly #header: SecureHeader;

  constructor(psk: string, vni: number, options: SecureSenderOptions = {}) {
    const session = options.session ?? randomBytes(8).readBigUInt64BE(0);
    this.#aead = sessionAead(psk, vni, session, options.aead ?? createNodeAead);
    this.vni = vni;
    this.session = session;
    const first = options.firstCounter ?? 0n;
    if (typeof first !== 'bigint' || first < 0n || first > 0xffff_ffff_ffff_ffffn) {
      throw new RangeError(`first counter ${String(first)} is not a 64-bit number`);
    }
    this.#header = { ...emptySecureHeader(), vni, session, counterHi: Number(first >> 32n), counterLo: Number(first & 0xffff_ffffn) };
  }

  /** The counter the next sealed packet gets. 2^64 - 1 means exhausted: that value is never sent. */
  get nextCounter(): bigint {
    return (BigInt(this.#header.counterHi) << 32n) | BigInt(this.#header.counterLo);
  }

  /**
   * Writes header, ciphertext of plain[pOff..pOff+pLen) and tag at out[outOff]
   * and returns the datagram's length (pLen + 40), or SEAL_FAILED (-1), using no
   * counter, if the counter is exhausted (2^64 - 1) or `out` is too small.
   * Sealing in place is allowed: the plaintext may sit at out[outOff + 24], but
   * must not overlap out[outOff..outOff+24).
   */
  seal(type: SecureType, plain: Uint8Array, pOff: number, pLen: number, out: Buffer, outOff: number): number {
    if (!isSecureType(type)) throw new RangeError(`unknown secure packet type ${String(type)}`);
    if (!(pOff >= 0 && pLen >= 0 && pOff + pLen <= plain.length)) throw new RangeError('plaintext range outside its buffer');
    const h = this.#header;
    if (h.counterHi === U32_MAX && h.counterLo === U32_MAX) return SEAL_FAILED;
    if (!(outOff >= 0) || outOff + pLen + SECURE_MIN_LEN > out.length) return SEAL_FAILED;
    h.type = type;
    writeSecureHeader(out, outOff, h);
    const at = outOff + SECURE_HEADER_LEN;
    if (plain !== out || pOff !== at) out.set(plain.subarray(pOff, pOff + pLen), at);
    const n = this.#aead.seal(out, outOff, pLen);
    if (n < 0) return SEAL_FAILED;
    if (h.counterLo === U32_MAX) {
      h.counterLo = 0;
      h.counterHi++;
    } else {
      h.counterLo++;
    }
    return n;
  }

  toString(): string {
    return `SecureSender(vni ${this.vni}, session ${this.session.toString(16)})`;
  }
}

/**
 * What a receiver keeps of one peer's session: its key (derived from the
 * pre-shared key, the VNI and the session id) and its replay window.
 */
export class PeerSession {
  readonly vni: number;
  readonly session: bigint;
  readonly window = new ReplayWindow();
  readonly #aead: Aead;

  static {
    peerAead = (p) => p.#aead;
  }

  constructor(psk: string, vni: number, session: bigint, aead: AeadFactory = createNodeAead) {
    this.#aead = sessionAead(psk, vni, session, aead);
    this.vni = vni;
    this.session = session;
  }

  toString(): string {
    return `PeerSession(vni ${this.vni}, session ${this.session.toString(16)}, ${this.window})`;
  }
}

/** The session that sealed a datagram (looked up by its session id), or
 *  null/undefined if there is none: the datagram then fails with 'auth'. */
export type SessionLookup = (session: bigint, header: Readonly<SecureHeader>) => PeerSession | null | undefined;

/**
 * The receiving side of one leg on one segment. open() checks, in this order:
 * format ('malformed'), VNI ('wrong-vni'), a session for the session id ('auth'),
 * the replay window ('replay', before any decryption), the tag ('auth'); only
 * then does it decrypt in place and mark the counter in the window.
 */
export class SecureReceiver {
  readonly vni: number;
  /** Header of the last datagram open() read: valid after it returned a length,
   *  'wrong-vni', 'auth' or 'replay'. Reused: copy what you keep. */
  readonly header: SecureHeader = emptySecureHeader();

  constructor(vni: number) {
    this.vni = vni;
  }

  /**
   * Opens the datagram buf[off..off+len). On success the plaintext replaces the
   * ciphertext, at buf[off + 24], and its length is returned (0 or more);
   * this.header says what it is. On failure the reason is returned, and
   * neither the buffer nor the peer's window has changed.
   */
  open(buf: Buffer, off: number, len: number, lookup: SessionLookup): number | OpenFailure {
    const h = readSecureHeader(buf, off, len, this.header);
    if (h === null) return 'malformed';
    if (h.vni !== this.vni) return 'wrong-vni';
    const peer = lookup(h.session, h);
    if (peer === null || peer === undefined || peer.session !== h.session || peer.vni !== h.vni) return 'auth';
    const window = peer.window;
    if (!window.check(h.counterHi, h.counterLo)) return 'replay';

    if (!peerAead(peer).open(buf, off, len)) return 'auth';
    window.accept(h.counterHi, h.counterLo);
    return len - SECURE_MIN_LEN;
  }

  toString(): string {
    return `SecureReceiver(vni ${this.vni})`;
  }
}
