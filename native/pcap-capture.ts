// CapturePort over npm `cap` (libpcap / Npcap). Use it on a process's main
// thread only: `cap` crashes in worker threads.
import type { CaptureHandle, CaptureOpenOptions, CapturePort, FrameHandler } from '../electron/engine/ports/capture-port.js';
import { loadCap } from './cap-loader.js';
import type { CapHandle, CapLoader } from './cap-types.js';
import { linkTypeError, noSuchNicError, openError } from './capture-errors.js';
import { listNicsWith } from './nic-list.js';

/** cap sets this snaplen (binding.cc); the frame buffer is sized for it. */
export const PCAP_SNAPLEN = 65535;

// cap 0.2.1 is patched at install (native/patches/cap-0.2.1-handle-lifetime.patch,
// applied by build/scripts/rebuild-cap.js): closed handles, and handles whose
// open() failed, may be dropped and garbage collected. Unpatched, both crash
// the process.

export interface PcapCaptureDeps {
  readonly loadCap?: CapLoader;
  readonly platform?: NodeJS.Platform;
}

export function createPcapCapturePort(deps: PcapCaptureDeps = {}): CapturePort {
  const load = deps.loadCap ?? loadCap;
  const platform = deps.platform ?? process.platform;
  return {
    listNics: () => listNicsWith(load),
    open: (nicName, onFrame, options) => openCapture(load, platform, nicName, onFrame, options),
  };
}

function openCapture(load: CapLoader, platform: NodeJS.Platform, nic: string, onFrame: FrameHandler, options: CaptureOpenOptions): CaptureHandle {
  const cap = load();
  // Check the name first: the common mistake gets a list of what exists.
  let present: string[] | undefined;
  try {
    present = cap.Cap.deviceList().map((d) => d.name);
  } catch {
    present = undefined; // listing failed: let open() report the real reason
  }
  if (present !== undefined && !present.includes(nic)) throw noSuchNicError(nic, present);

  const frame = Buffer.allocUnsafe(PCAP_SNAPLEN);
  const handle = new cap.Cap();
  let linkType: string;
  try {
    linkType = handle.open(nic, '', clampBufferBytes(options.bufferBytes), frame);
  } catch (err) {
    throw openError(nic, err instanceof Error ? err.message : String(err), present === undefined ? { platform } : { platform, present });
  }
  if (linkType !== 'ETHERNET') {
    handle.close();
    throw linkTypeError(nic, linkType);
  }
  // Npcap hands frames over only once 16 KB are buffered (or after the 1 s
  // timeout) unless min-to-copy is 0; on Linux cap already sets immediate mode.
  handle.setMinBytes?.(0);
  // Frames longer than the buffer come with truncated=true and nbytes = what
  // was copied: they are passed on with that length like any other.
  handle.on('packet', (nbytes: number) => onFrame(frame, 0, nbytes));
  return new PcapHandle(handle, platform);
}

class PcapHandle implements CaptureHandle {
  private readonly scratch = Buffer.allocUnsafe(PCAP_SNAPLEN);
  private closed = false;

  /** Npcap (Windows) and BPF (macOS) can hand injected frames back to the capture;
   *  on Linux libpcap injects through the capturing packet socket, which the kernel never loops back to. */
  readonly echoesInjected: boolean;
  readonly wireFrames = false;

  constructor(
    private readonly cap: CapHandle,
    platform: NodeJS.Platform,
  ) {
    this.echoesInjected = platform !== 'linux';
  }

  inject(frame: Buffer, offset: number, length: number): boolean {
    if (this.closed || offset < 0 || length <= 0 || offset + length > frame.length) return false;
    try {
      if (offset === 0) {
        this.cap.send(frame, length);
      } else {
        // cap sends from offset 0 only: copy into the preallocated scratch buffer.
        if (length > this.scratch.length) return false;
        frame.copy(this.scratch, 0, offset, offset + length);
        this.cap.send(this.scratch, length);
      }
      return true;
    } catch {
      return false; // e.g. EMSGSIZE (frame > MTU), ENETDOWN, ENOBUFS
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cap.removeAllListeners('packet');
    this.cap.close();
  }
}

/** cap passes the size on as a C int. */
function clampBufferBytes(n: number): number {
  return Number.isFinite(n) ? Math.min(0x7fffffff, Math.max(0, Math.floor(n))) : 0;
}
