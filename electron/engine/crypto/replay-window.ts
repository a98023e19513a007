// Replay window of one peer session (README "Secure legs: wire format";
// RFC 6479, the idea of wireguard-go's replay.Filter): a ring of 64-bit blocks
// of "seen" bits indexed by the counter's low bits. Moving forward clears whole
// blocks, never bit by bit, so a jump of any size costs at most RING_BLOCKS
// block writes.
//
// Semantics, with H = the highest counter accepted so far (0 at the start,
// when nothing has been seen):
//   accepted  counter > H, or H - counter <= WINDOW_SIZE - 1 and not seen yet
//   rejected  H - counter >= WINDOW_SIZE (older than the window), or seen
// So with H = 10000, 5905 (H - 4095) is accepted once and 5904 (H - 4096) never.
// The first packet of a session may carry any counter (0 included).
//
// Counters are 64-bit, passed as two u32 halves (hi, lo); see secure-header.ts
// for why. Differences are computed in doubles: exact while they are below
// 2^53, and beyond that far larger than the window anyway.
//
// Two steps, so that a forged packet cannot touch the window: check() before
// decrypting (no state change), accept() only after the packet authenticated.

/** Counters a session's window covers: the highest accepted and the 4,095 before it. */
export const WINDOW_SIZE = 4096;
/** Bits per ring block (RFC 6479's bitmap unit). */
const BLOCK_BITS = 64;
const BLOCK_SHIFT = 6;
/** Blocks in the ring: a power of two of at least WINDOW_SIZE / BLOCK_BITS + 1
 *  (the window straddles up to 65 blocks). 128 blocks = 1 KiB per session. */
const RING_BLOCKS = 128;
const RING_BITS_MASK = RING_BLOCKS * BLOCK_BITS - 1; // counter bits 12..0 pick the bit
const TWO_POW_32 = 0x1_0000_0000;
const BLOCKS_PER_HI = TWO_POW_32 / BLOCK_BITS; // counter + 2^32 moves 2^26 blocks

export class ReplayWindow {
  /** Seen bits: block k is words 2k (bits 0..31) and 2k+1 (bits 32..63). */
  readonly #ring = new Uint32Array((RING_BLOCKS * BLOCK_BITS) / 32);
  #hi = 0;
  #lo = 0;

  /** Whether the packet with counter (hi, lo) would be accepted. Changes nothing. */
  check(hi: number, lo: number): boolean {
    if (hi > this.#hi || (hi === this.#hi && lo > this.#lo)) return true;
    if ((this.#hi - hi) * TWO_POW_32 + (this.#lo - lo) >= WINDOW_SIZE) return false;
    const bit = lo & RING_BITS_MASK;
    return (this.#ring[bit >>> 5]! & (1 << (bit & 31))) === 0;
  }

  /** Marks counter (hi, lo) seen, moving the window forward if it is the
   *  highest. Call only for an authenticated packet. Returns false, changing
   *  nothing, if check() would have said false. */
  accept(hi: number, lo: number): boolean {
    if (hi > this.#hi || (hi === this.#hi && lo > this.#lo)) {
      const ring = this.#ring;
      let block = this.#lo >>> BLOCK_SHIFT; // only its low bits matter: the ring index
      const ahead = (hi - this.#hi) * BLOCKS_PER_HI + ((lo >>> BLOCK_SHIFT) - block);
      const clear = ahead > RING_BLOCKS ? RING_BLOCKS : ahead;
      for (let i = 0; i < clear; i++) {
        block = (block + 1) & (RING_BLOCKS - 1);
        ring[2 * block] = 0;
        ring[2 * block + 1] = 0;
      }
      this.#hi = hi;
      this.#lo = lo;
    } else if ((this.#hi - hi) * TWO_POW_32 + (this.#lo - lo) >= WINDOW_SIZE) {
      return false;
    }
    const bit = lo & RING_BITS_MASK;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((this.#ring[word]! & mask) !== 0) return false;
    this.#ring[word]! |= mask;
    return true;
  }

  /**
   * From now on accept only counters above (hi, lo): everything at or below it
   * counts as seen. For a session confirmed by a response with this counter:
   * whatever the sender sent before (and a recording of it) never counts.
   * Counters between it and a higher one already accepted count as seen too
   * (a packet that overtook the response: rare, and only a loss).
   */
  closeUpTo(hi: number, lo: number): void {
    if (hi > this.#hi || (hi === this.#hi && lo > this.#lo)) {
      this.#hi = hi;
      this.#lo = lo;
    }
    const ring = this.#ring;
    ring.fill(0xffffffff);
    // accept() clears only the blocks it moves into: the counters above the
    // highest in its own block must stay unseen.
    const base = ((this.#lo >>> BLOCK_SHIFT) & (RING_BLOCKS - 1)) * BLOCK_BITS;
    for (let b = (this.#lo & (BLOCK_BITS - 1)) + 1; b < BLOCK_BITS; b++) {
      const bit = base + b;
      ring[bit >>> 5]! &= ~(1 << (bit & 31));
    }
  }

  /** The highest counter accepted so far (0 before any), for diagnostics and tests. */
  get highest(): bigint {
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  toString(): string {
    return `ReplayWindow(highest ${this.highest})`;
  }
}
