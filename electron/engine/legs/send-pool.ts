// Preallocated send buffers for tunnel legs. A slot is filled once (header +
// frame) and may be sent to several peers (flooding); it returns to the pool
// when the last send completes. No allocation per packet once warm.

export const DEFAULT_SLOT_BYTES = 9216 + 64; // jumbo frame + tunnel headers
export const DEFAULT_MAX_OUTSTANDING = 4096;

export class SendSlot {
  readonly buf: Buffer;
  /** Bytes of the datagram in buf. */
  length = 0;
  pending = 0;
  /** Bound once; passed as the completion callback of every send of this slot. */
  readonly done: () => void;

  constructor(bytes: number, pool: SendPool) {
    this.buf = Buffer.allocUnsafe(bytes);
    this.done = () => {
      if (--this.pending === 0) pool.release(this);
    };
  }
}

export class SendPool {
  private readonly free: SendSlot[] = [];
  private created = 0;

  constructor(
    readonly slotBytes = DEFAULT_SLOT_BYTES,
    /** Upper bound of slots in flight: past it the socket is congested and we drop. */
    readonly maxOutstanding = DEFAULT_MAX_OUTSTANDING,
  ) {}

  /** A free slot, or null when maxOutstanding sends are already queued. */
  take(): SendSlot | null {
    const s = this.free.pop();
    if (s !== undefined) return s;
    if (this.created >= this.maxOutstanding) return null;
    this.created++;
    return new SendSlot(this.slotBytes, this);
  }

  release(slot: SendSlot): void {
    this.free.push(slot);
  }
}
