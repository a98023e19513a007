// Sealing and opening the datagrams of encrypted V legs (README "Secure legs:
// wire format"): header (secure-header.ts) || AES-256-GCM ciphertext || tag,
// nonce = 4 zero bytes || counter, additional authenticated data = header
// bytes 0..23, key = deriveSessionKey(psk, VNI, session of the sender).
//
// The counter and the replay windows live in the data plane's SessionCrypto
// (ports/session-crypto-port.ts), so that a native fast path shares them.

import { randomBytes } from 'node:crypto';
import type { Opener, ReplayCheck, Sealer, SessionCrypto } from '../ports/session-crypto-port.js';
import { deriveSessionKey } from './keys.js';
import { nodeSessionCrypto } from './node-session-crypto.js';
import { SECURE_HEADER_LEN, SECURE_MIN_LEN, readSecureHeader, emptySecureHeader, isSecureType, type SecureHeader, type SecureType } from './secure-header.js';

/** Why open() dropped a datagram (the leg counts drops by these, see DROP_REASONS). */
export type OpenFailure = 'malformed' | 'wrong-vni' | 'auth' | 'replay';

/** What seal() returns when it wrote nothing: the counter is exhausted or `out` is too small. */
export const SEAL_FAILED = -1;

/** Module-private access to the Opener of a peer session and the Sealer of a
 *  sender, held in #private fields so that no printing, inspection or
 *  serialisation shows a key; fastPathSealer()/fastPathOpener() hand them to a fast path. */
let openerOf: (p: PeerSession) => Opener;
let sealerOf: (s: SecureSender) => Sealer;

/** Runs make(key derived from (pre-shared key, VNI, session id)); the key is wiped once handed over. */
function withSessionKey<T>(psk: string, vni: number, session: bigint, make: (key: Buffer) => T): T {
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
  /** The data plane's session crypto (default: node:crypto). */
  readonly crypto?: SessionCrypto;
}

/**
 * The sending side of one leg run on one segment: a random 64-bit session id,
 * its key derived once, a counter from 0 (kept by the data plane's Sealer).
 * Make a new one each time the leg starts; never persist or share one.
 */
export class SecureSender {
  readonly vni: number;
  readonly session: bigint;
  readonly #sealer: Sealer;

  static {
    sealerOf = (s) => s.#sealer;
  }

  constructor(psk: string, vni: number, options: SecureSenderOptions = {}) {
    const session = options.session ?? randomBytes(8).readBigUInt64BE(0);
    const first = options.firstCounter ?? 0n;
    if (typeof first !== 'bigint' || first < 0n || first > 0xffff_ffff_ffff_ffffn) {
      throw new RangeError(`first counter ${String(first)} is not a 64-bit number`);
    }
    const crypto = options.crypto ?? nodeSessionCrypto;
    this.#sealer = withSessionKey(psk, vni, session, (key) => crypto.sealer(key, vni, session, first));
    this.vni = vni;
    this.session = session;
  }

  /** The counter the next sealed packet gets. 2^64 - 1 means exhausted: that value is never sent. */
  get nextCounter(): bigint {
    return this.#sealer.nextCounter;
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
    if (!(outOff >= 0) || outOff + pLen + SECURE_MIN_LEN > out.length) return SEAL_FAILED;
    let from = plain;
    let at = pOff;
    if (overlapsBadly(plain, pOff, pLen, out, outOff)) {
      from = plain.slice(pOff, pOff + pLen); // a misuse: sealed from a copy
      at = 0;
    }
    const n = this.#sealer.seal(type, from, at, pLen, out, outOff);
    return n < 0 ? SEAL_FAILED : n;
  }

  toString(): string {
    return `SecureSender(vni ${this.vni}, session ${this.session.toString(16)})`;
  }
}

/** Whether plain[pOff..+pLen) overlaps the datagram at out[outOff] other than exactly in place (at outOff + 24). */
function overlapsBadly(plain: Uint8Array, pOff: number, pLen: number, out: Buffer, outOff: number): boolean {
  if (plain.buffer !== out.buffer || pLen === 0) return false;
  const p = plain.byteOffset + pOff;
  const o = out.byteOffset + outOff;
  return p !== o + SECURE_HEADER_LEN && p < o + pLen + SECURE_MIN_LEN && o < p + pLen;
}

/** The sender's Sealer, for a fast path that seals with the same counter (fast-path-port.ts). */
export function fastPathSealer(s: SecureSender): Sealer {
  return sealerOf(s);
}

/**
 * What a receiver keeps of one peer's session: its key (derived from the
 * pre-shared key, the VNI and the session id) and its replay window, both in
 * the data plane's Opener.
 */
export class PeerSession {
  readonly vni: number;
  readonly session: bigint;
  readonly #opener: Opener;

  static {
    openerOf = (p) => p.#opener;
  }

  constructor(psk: string, vni: number, session: bigint, crypto: SessionCrypto = nodeSessionCrypto) {
    this.#opener = withSessionKey(psk, vni, session, (key) => crypto.opener(key, session));
    this.vni = vni;
    this.session = session;
  }

  /** The session's replay window (updated only by SecureReceiver and confirmation). */
  get window(): ReplayCheck {
    return this.#opener;
  }

  toString(): string {
    return `PeerSession(vni ${this.vni}, session ${this.session.toString(16)}, highest ${this.#opener.highest})`;
  }
}

/** The session's Opener, for a fast path that opens its frames with the same window (fast-path-port.ts). */
export function fastPathOpener(p: PeerSession): Opener {
  return openerOf(p);
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
    const opener = openerOf(peer);
    if (!opener.check(h.counterHi, h.counterLo)) return 'replay';
    if (!opener.open(buf, off, len)) return 'auth';
    opener.accept(h.counterHi, h.counterLo);
    return len - SECURE_MIN_LEN;
  }

  toString(): string {
    return `SecureReceiver(vni ${this.vni})`;
  }
}
