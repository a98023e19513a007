// The engine's only way to reach a network adapter. native/pcap-capture.ts
// implements it over npm `cap`; memory-capture.ts is the in-memory twin.

/** Called synchronously for every captured frame. `frame` is reused by the
 *  capture layer for the next frame: copy what must outlive the call. */
export type FrameHandler = (frame: Buffer, length: number) => void;

export interface NicInfo {
  /** Name pcap opens: `eth0` on Linux, `\Device\NPF_{GUID}` on Windows. */
  readonly name: string;
  /** Human name: Windows friendly name / description, or the Linux name. */
  readonly description: string;
  readonly index: number;
  readonly addresses: readonly { readonly family: 'IPv4' | 'IPv6'; readonly address: string; readonly netmask?: string }[];
  readonly mac?: string;
  readonly mtu?: number;
  readonly flags: {
    readonly up: boolean;
    readonly running?: boolean;
    readonly loopback: boolean;
    readonly wireless: boolean;
    /** e.g. Npcap's own loopback adapter, which cannot be a bridge port. */
    readonly unsuitable?: string;
  };
}

export interface CaptureHandle {
  /** Inject one frame; returns false (and does not throw) if the OS refused it. */
  inject(frame: Buffer, offset: number, length: number): boolean;
  /** Kernel-side drop counters where the capture layer knows them. */
  stats(): { readonly received: number; readonly dropped: number; readonly ifDropped: number };
  close(): void;
}

export interface CaptureOpenOptions {
  /** Kernel capture buffer in bytes (pcap_set_buffer_size). */
  readonly bufferBytes: number;
}

export interface CapturePort {
  listNics(): Promise<readonly NicInfo[]>;
  /** Throws CaptureError with a user-facing message on failure. */
  open(nicName: string, onFrame: FrameHandler, options: CaptureOpenOptions): CaptureHandle;
}

export type CaptureErrorCode = 'no-such-nic' | 'permission' | 'driver-missing' | 'open-failed';

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    /** What the user can do about it, one sentence. */
    readonly fix: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}
