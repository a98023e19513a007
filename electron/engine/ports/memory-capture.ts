// In-memory twin of CapturePort: adapters whose "wire" is a test. A test puts
// frames on the wire (as if a host sent them) and reads what the engine injected.

import type { NicInfo } from '../../model/nic-info.js';
import { CaptureError, type CaptureHandle, type CapturePort, type FrameHandler } from './capture-port.js';

export class MemoryNic {
  readonly injected: Buffer[] = [];
  handler: FrameHandler | null = null;
  /** Refuse injects, as pcap does for an adapter that went down. */
  refuse = false;
  private readonly scratch = Buffer.alloc(65535);

  constructor(
    readonly name: string,
    /** Hand injected frames back to the capture, like Npcap on Windows. */
    readonly echoes = false,
  ) {}

  /** A host on this adapter's wire sends `frame`. */
  receive(frame: Buffer): void {
    if (this.handler === null) return;
    // Like cap: the same buffer every time.
    frame.copy(this.scratch);
    this.handler(this.scratch, 0, frame.length);
  }

  /** Frames injected since the last call. */
  take(): Buffer[] {
    return this.injected.splice(0);
  }
}

export class MemoryCapturePort implements CapturePort {
  private readonly nics = new Map<string, MemoryNic>();

  add(nic: MemoryNic): MemoryNic {
    this.nics.set(nic.name, nic);
    return nic;
  }

  async listNics(): Promise<readonly NicInfo[]> {
    return [...this.nics.values()].map((n, i) => ({
      name: n.name,
      description: n.name,
      index: i + 1,
      addresses: [],
      flags: { up: true, loopback: false, wireless: false },
    }));
  }

  open(name: string, onFrame: FrameHandler): CaptureHandle {
    const nic = this.nics.get(name);
    if (nic === undefined) throw new CaptureError('no-such-nic', `no adapter named "${name}"`, 'see ubdg --list-nics');
    nic.handler = onFrame;
    return {
      echoesInjected: nic.echoes,
      wireFrames: false,
      inject: (frame, offset, length) => {
        if (nic.refuse) return false;
        const copy = Buffer.from(frame.subarray(offset, offset + length));
        nic.injected.push(copy);
        if (nic.echoes) setImmediate(() => nic.receive(copy));
        return true;
      },
      close: () => void (nic.handler = null),
    };
  }
}
