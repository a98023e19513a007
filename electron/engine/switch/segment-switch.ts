// One learning switch per segment: every leg with the same segment number is a
// port. Forwarding rules (DESIGN.md section 1): learn the source MAC, unicast to
// a known destination only there, flood the rest, never back where it came from
// except between different peers of a relaying (provider) port.

import { ETH_HEADER_LEN, isGroupMac, readMac } from '../codec/mac.js';
import type { Clock } from '../bridge-api.js';
import { MacTable } from './mac-table.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

export class SegmentSwitch {
  private ports: SwitchPort[] = [];
  readonly macs: MacTable;

  constructor(
    readonly segment: number,
    private readonly clock: Clock,
    macAgeingMs?: number,
  ) {
    this.macs = new MacTable(macAgeingMs);
  }

  attach(port: SwitchPort): void {
    this.ports = [...this.ports, port];
  }

  detach(port: SwitchPort): void {
    this.ports = this.ports.filter((p) => p !== port);
    this.macs.forget(port, null);
  }

  /** A frame arrived on `ingress` (from `peer`, for tunnel legs with peers). */
  forward(ingress: SwitchPort, peer: PeerRef | null, frame: Buffer, offset: number, length: number): void {
    if (length < ETH_HEADER_LEN) {
      ingress.drops.malformed++;
      return;
    }
    // A group source MAC is never legitimate; learning it would poison the table.
    if (isGroupMac(frame, offset + 6)) {
      ingress.drops.malformed++;
      return;
    }
    this.macs.learn(readMac(frame, offset + 6), ingress, peer, this.clock.now());

    if (!isGroupMac(frame, offset)) {
      const dst = this.macs.lookup(readMac(frame, offset));
      if (dst !== undefined) {
        if (dst.port !== ingress) {
          dst.port.sendTo(frame, offset, length, dst.peer);
        } else if (ingress.relays && dst.peer !== peer) {
          ingress.sendTo(frame, offset, length, dst.peer);
        } else {
          // Destination sits where the frame came from: nothing to do.
          ingress.drops['split-horizon']++;
        }
        return;
      }
    }
    this.flood(ingress, peer, frame, offset, length);
  }

  private flood(ingress: SwitchPort, peer: PeerRef | null, frame: Buffer, offset: number, length: number): void {
    const ports = this.ports;
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]!;
      if (p !== ingress) p.flood(frame, offset, length, null);
      else if (p.relays) p.flood(frame, offset, length, peer);
    }
  }

  sweep(): void {
    this.macs.sweep(this.clock.now());
  }
}
