// Detects what NIC offloads do to frames captured for bridging, and handles it:
//  - GSO/TSO/GRO "super-frames" larger than the MTU cannot cross a tunnel or be
//    injected on the far side: dropped, and the user told the exact fix.
//  - tx checksum offload leaves TCP/UDP checksums unfilled (CHECKSUM_PARTIAL);
//    re-injected elsewhere such a frame is dropped by its receiver. Checked on a
//    sample; once seen, every frame is repaired in software and the user told.

import { ETH_HEADER_LEN, readMac } from '../codec/mac.js';
import { fixIpv4L4Checksum, ipv4L4ChecksumState, isOversizeFrame, offloadFixHint } from '../codec/offload-check.js';

const CHECK_FIRST = 256; // verify every candidate frame at first…
const CHECK_EVERY = 64; // …then one in this many
/** Bad checksums seen before repairing starts: one could be a genuinely corrupt frame. */
const BAD_TO_REPAIR = 3;

export class OffloadWatch {
  private checked = 0;
  private seen = 0;
  private bad = 0;
  /** Set once a frame with an unfilled checksum was captured. */
  repairing = false;

  constructor(
    private readonly nic: string,
    private readonly mtu: number,
    private readonly warn: (message: string) => void,
    /** The adapter's own MAC: only this host's outgoing frames can carry unfilled
     *  checksums; a bad checksum from another host is real corruption, not offload. */
    private readonly ownMac?: number,
  ) {}

  /** False: drop the frame. May repair the frame's checksum in place. */
  admit(frame: Buffer, length: number): boolean {
    if (isOversizeFrame(length, this.mtu)) {
      this.warn(
        `${this.nic}: captured a ${length}-byte frame, larger than the adapter MTU (${this.mtu}): segmentation/receive offload is on, such frames are dropped. ${offloadFixHint(this.nic)}`,
      );
      return false;
    }
    if (this.ownMac !== undefined && (length < ETH_HEADER_LEN || readMac(frame, 6) !== this.ownMac)) return true;
    if (this.repairing) {
      if (ipv4L4ChecksumState(frame, 0, length) === 'bad') fixIpv4L4Checksum(frame, 0, length);
      return true;
    }
    this.seen++;
    if (this.checked < CHECK_FIRST || this.seen % CHECK_EVERY === 0) {
      const s = ipv4L4ChecksumState(frame, 0, length);
      if (s === 'not-applicable') return true;
      this.checked++;
      if (s === 'bad' && ++this.bad >= BAD_TO_REPAIR) {
        this.repairing = true;
        fixIpv4L4Checksum(frame, 0, length);
        this.warn(
          `${this.nic}: captured TCP/UDP frames whose checksum is not filled in (transmit checksum offload); vxbridge now repairs them in software, which costs CPU. ${offloadFixHint(this.nic)}`,
        );
      }
    }
    return true;
  }
}
