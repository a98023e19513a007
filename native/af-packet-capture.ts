// CapturePort over the native module's PacketChannel (Linux): an AF_PACKET
// socket with the virtio-net header, frames in batches, offload artefacts
// completed natively (wire frames only), injects through the capturing socket
// (never handed back: no echo filter). Adapters are listed as pcap lists them.
import { readFileSync } from 'node:fs';
import type { CaptureHandle, CapturePort } from '../electron/engine/ports/capture-port.js';

import { linkTypeError, noSuchNicError, openError } from './capture-errors.js';
import type { DataPlaneModule, NativeLoop, NativePacketChannel } from './dataplane-module.js';

/** One receive batch: 32 frames of up to 64 KiB, and the headers of the segments they are cut into. */
const RX_ARENA_BYTES = 32 * (65536 + 64) + 4096 * 160;
const RX_ITEMS = 4096;
/** ARPHRD_ETHER, from /sys/class/net/<nic>/type. */
const ARPHRD_ETHER = 1;

/** The native socket behind a handle of this port (the fast path drives it). */
const channels = new WeakMap<CaptureHandle, NativePacketChannel>();

export function nativePacketChannelOf(handle: CaptureHandle): NativePacketChannel | undefined {
  return channels.get(handle);
}

export function createAfPacketCapturePort(native: DataPlaneModule, loop: NativeLoop, list: CapturePort['listNics']): CapturePort {
  return {
    listNics: list,
    open(nic, onFrame, options): CaptureHandle {
      checkEthernet(nic);
      let ch: NativePacketChannel;
      try {
        ch = new native.PacketChannel(nic, Math.min(0x7fffffff, Math.max(0, Math.floor(options.bufferBytes))));
      } catch (err) {
        const e = err as Error & { code?: string };
        if (e.code === 'ENODEV') throw noSuchNicError(nic);
        throw openError(nic, e.code === 'EPERM' || e.code === 'EACCES' ? 'Operation not permitted' : e.message, { platform: 'linux' });
      }
      const arena = Buffer.alloc(RX_ARENA_BYTES);
      const desc = new Int32Array(RX_ITEMS * 4);
      let closed = false;
      ch.start(loop, arena, desc, (count) => {
        // A handler may close the capture: nothing of the batch reaches it after that.
        for (let i = 0; i < count && !closed; i++) onFrame(arena, desc[i * 4]!, desc[i * 4 + 1]!);
      });
      const handle: CaptureHandle = {
        echoesInjected: false,
        wireFrames: true,
        inject: (frame, offset, length) => !closed && ch.inject(frame, offset, length),
        queueDrops: () => ch.stats().stale,
        oversizeDrops: () => ch.stats().dropped,
        close() {
          if (closed) return;
          closed = true;
          ch.close();
        },
      };
      channels.set(handle, ch);
      return handle;
    },
  };
}

/** Only Ethernet adapters can be bridge ports (as pcap's link-type check says). */
function checkEthernet(nic: string): void {
  if (!/^[^/\0]{1,15}$/.test(nic) || nic === '.' || nic === '..') throw noSuchNicError(nic);
  let type: number;
  try {
    type = Number(readFileSync(`/sys/class/net/${nic}/type`, 'utf8').trim());
  } catch {
    throw noSuchNicError(nic);
  }
  if (type !== ARPHRD_ETHER) throw linkTypeError(nic, `ARPHRD ${type}`);
}
