// The engine's only way to reach a network adapter. native/pcap-capture.ts
// implements it over npm `cap`; memory-capture.ts is the in-memory twin.

import type { NicInfo } from '../../model/nic-info.js';
import { FixableError } from '../../model/user-error.js';

/** Called synchronously for every captured frame. `frame` is reused by the
 *  capture layer for the next frame: copy what must outlive the call. */
export type FrameHandler = (frame: Buffer, length: number) => void;

export interface CaptureHandle {
  /** Inject one frame; returns false (and does not throw) if the OS refused it. */
  inject(frame: Buffer, offset: number, length: number): boolean;
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

export class CaptureError extends FixableError {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    fix: string,
  ) {
    super(message, fix);
    this.name = 'CaptureError';
  }
}
