// Remembers fingerprints of frames this engine injected into a NIC, so that a
// capture layer that hands them back (Npcap does on Windows: the GNS3 "Cloud
// loop") never gets them bridged again. On Linux the kernel does not loop a
// packet socket's own frames back, so the filter simply never matches there.

const RING = 512;
const HASHED_PREFIX = 96; // headers + start of payload: IP id/checksums make this distinctive
const MAX_AGE_MS = 2_000;

export class EchoFilter {
  private readonly hashes = new Int32Array(RING);
  private readonly times = new Float64Array(RING);
  private readonly counts = new Map<number, number>();
  private next = 0;

  /** Call when injecting a frame. */
  remember(frame: Uint8Array, offset: number, length: number, now: number): void {
    const slot = this.next;
    this.next = (slot + 1) % RING;
    if (this.times[slot]! !== 0) this.dec(this.hashes[slot]!);
    const h = fingerprint(frame, offset, length);
    this.hashes[slot] = h;
    this.times[slot] = now;
    this.counts.set(h, (this.counts.get(h) ?? 0) + 1);
  }

  /** Call for each captured frame: true if it is one of our own injected frames (consumed). */
  isEcho(frame: Uint8Array, offset: number, length: number, now: number): boolean {
    if (this.counts.size === 0) return false;
    const h = fingerprint(frame, offset, length);
    if (!this.counts.has(h)) return false;
    // Find the oldest live ring entry with this hash and retire it.
    for (let i = 0; i < RING; i++) {
      const slot = (this.next + i) % RING;
      if (this.hashes[slot] === h && this.times[slot]! !== 0) {
        const fresh = now - this.times[slot]! <= MAX_AGE_MS;
        this.times[slot] = 0;
        this.dec(h);
        if (fresh) return true;
      }
    }
    return false;
  }

  private dec(h: number): void {
    const c = this.counts.get(h);
    if (c === undefined) return;
    if (c <= 1) this.counts.delete(h);
    else this.counts.set(h, c - 1);
  }
}

/** FNV-1a over the length and the first bytes, folded to a small integer (stays a V8 Smi). */
export function fingerprint(frame: Uint8Array, offset: number, length: number): number {
  let h = 0x811c9dc5 ^ length;
  const end = offset + Math.min(length, HASHED_PREFIX);
  for (let i = offset; i < end; i++) {
    h ^= frame[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >> 2;
}
