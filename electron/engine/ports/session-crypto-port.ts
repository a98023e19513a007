// The session crypto of secure legs (README "Secure legs": AES-256-GCM, a
// 12-byte nonce of 4 zero bytes and the header's 64-bit counter, the 24-byte
// header as associated data). The data plane owns each session's state: the
// sending counter in a Sealer, a remote session's replay window in an Opener.
// So the engine and a native fast path (fast-path-port.ts) seal with one
// counter and check one window. crypto/node-session-crypto.ts implements it
// over node:crypto, the native data plane over OpenSSL with the key set once.

/** The sending side of one session: its key, VNI, session id and counter. */
export interface Sealer {
  /**
   * Writes the 24-byte header (type, the session's VNI and id, the next
   * counter) at out[outOff], the ciphertext of plain[pOff..pOff+pLen) after it
   * and the 16-byte tag after that. Returns the datagram's length (pLen + 40)
   * and uses up the counter, or -1, writing nothing and using no counter, if
   * the counter is exhausted (2^64 - 1 is never sent) or `out` is too small.
   * The caller checked the plaintext's range; it may sit at out[outOff + 24]
   * (in place) but must not overlap out[outOff..outOff+24).
   */
  seal(type: number, plain: Uint8Array, pOff: number, pLen: number, out: Buffer, outOff: number): number;
  /** The counter the next sealed packet gets. */
  readonly nextCounter: bigint;
}

/** A remote session's replay window (crypto/replay-window.ts has the rules). */
export interface ReplayCheck {
  /** Whether counter (hi, lo) would be accepted. Changes nothing. */
  check(hi: number, lo: number): boolean;
  /** Marks it seen (only for an authenticated packet); false, changing nothing, if check() says false. */
  accept(hi: number, lo: number): boolean;
  /** From now on only counters above (hi, lo) (or above the highest, if higher). */
  closeUpTo(hi: number, lo: number): void;
  /** The highest counter accepted so far (0 before any). */
  readonly highest: bigint;
}

/** The receiving side of one remote session: its key and its replay window. */
export interface Opener extends ReplayCheck {
  /** Opens the datagram buf[off..off+len) in place; false (and the buffer unchanged)
   *  if the tag does not match. The window is the caller's to check and update. */
  open(buf: Buffer, off: number, len: number): boolean;
}

export interface SessionCrypto {
  /** The caller validated the numbers and wipes `key` (32 bytes) after the call. */
  sealer(key: Buffer, vni: number, session: bigint, firstCounter: bigint): Sealer;
  opener(key: Buffer, session: bigint): Opener;
}
