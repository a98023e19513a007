// The engine's only way to reach a network adapter. native/pcap-capture.ts
// implements it over npm `cap`; memory-capture.ts is the in-memory twin.

import type { NicInfo } from '../../model/nic-info.js';
import { FixableError } from '../../model/user-error.js';

/** Called synchronously for every captured frame, at frame[offset..offset+length).
 *  `frame` is reused by the capture layer for the next frames: copy what must
 *  outlive the call. */
export type FrameHandler = (frame: Buffer, offset: number, length: number) => void;

export interface CaptureHandle {
  /** The capture layer hands back frames this handle injected (Npcap does; a
   *  Linux packet socket never does): only then does the leg filter echoes. */
  readonly echoesInjected: boolean;
  /** Frames come as a wire carries them: offload artefacts (unfilled checksums,
   *  GSO/GRO super-frames) already completed and cut by the capture layer. */
  readonly wireFrames: boolean;
  /** Inject one frame; returns false (and does not throw) if the OS refused it. */
  inject(frame: Buffer, offset: number, length: number): boolean;
  /** Frames dropped so far for waiting too long in the socket (native data plane only). */
  queueDrops?(): number;
  /** Offload super-frames it could not cut into wire frames, so far (native data plane only). */
  oversizeDrops?(): number;
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
