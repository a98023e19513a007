// One learning switch per segment: every leg with the same segment number is a
// port. Forwarding rules (DESIGN.md section 1): learn the source MAC, unicast to
// a known destination only there, flood the rest, never back where it came from
// except between different peers of a relaying (provider) port. What the MAC
// table refuses to learn (mac-table.ts) is still forwarded, and reported as a
// coalesced event.

import { ETH_HEADER_LEN, formatMac, isGroupMac, readMac } from '../codec/mac.js';
import type { Clock } from '../bridge-api.js';
import { assertNever } from '../../model/assert-never.js';
import { Kind, type EventGate } from '../stats/event-coalescer.js';
import { MacTable, type LearnOutcome, type MacTableOptions } from './mac-table.js';
import type { FastPath, FastPathSink } from '../ports/fast-path-port.js';
import type { PeerRef, SwitchPort } from './switch-port.js';

/** `{ peer }` for an event, or nothing for a frame without one. */
function peerField(peer: PeerRef | null): { peer?: string } {
  return peer !== null ? { peer: peer.label } : {};
}

export class SegmentSwitch {
  private ports: SwitchPort[] = [];
  readonly macs: MacTable;
  /** Where the fast path's counts and sightings go at each sweep (null without a fast path). */
  private readonly sink: FastPathSink | null = null;

  constructor(
    readonly segment: number,
    private readonly clock: Clock,
    macTable: MacTableOptions = {},
    /** Where MAC moves and refusals go (the bridge's coalescer); null: counted only. */
    private readonly events: EventGate | null = null,
    /** Forwards what this switch has settled below the engine (native data plane); null: none. */
    readonly fastPath: FastPath | null = null,
  ) {
    this.macs = new MacTable(macTable);
    if (fastPath !== null) {
      this.macs.mirror = {
        set: (e) => fastPath.setMac(e.mac, e.port.id, e.peer?.key ?? -1),
        delete: (mac) => fastPath.deleteMac(mac),
      };
      this.sink = {
        legTraffic: (leg, rxP, rxB, txP, txB) => this.portById(leg)?.fastTraffic?.(rxP, rxB, txP, txB),
        peerTraffic: (leg, peer, rxP, rxB, txP, txB, seen) => this.portById(leg)?.fastPeerTraffic?.(peer, rxP, rxB, txP, txB, seen),
        macSeen: (mac) => this.macs.touch(mac, this.clock.now()),
      };
    }
  }

  private portById(id: number): SwitchPort | undefined {
    return this.ports.find((p) => p.id === id);
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
    const src = readMac(frame, offset + 6);
    const learned = this.macs.learn(src, ingress, peer, this.clock.now());
    if (learned !== 'refreshed' && learned !== 'learned' && this.events !== null) this.report(this.events, learned, src, ingress, peer);

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

  /** Only the first of a key in a second builds an event (and formats the MAC); the rest are counted. */
  private report(events: EventGate, outcome: LearnOutcome, mac: number, ingress: SwitchPort, peer: PeerRef | null): void {
    switch (outcome) {
      case 'moved': {
        if (!events.admit(Kind.macMoved, ingress.id, mac)) return;
        const oldPeer = this.macs.movedFromPeer;
        events.report({
          type: 'mac-moved',
          leg: ingress.id,
          segment: this.segment,
          mac: formatMac(mac),
          ...peerField(peer),
          fromLeg: this.macs.movedFromPort?.id ?? -1,
          ...(oldPeer !== null ? { fromPeer: oldPeer.label } : {}),
        });
        return;
      }
      case 'local-hold':
      case 'move-rate': {
        if (!events.admit(outcome === 'local-hold' ? Kind.macLocalHold : Kind.macMoveRate, ingress.id, mac)) return;
        const held = this.macs.lookup(mac);
        events.report({
          type: 'mac-move-refused',
          leg: ingress.id,
          segment: this.segment,
          mac: formatMac(mac),
          ...peerField(peer),
          heldLeg: held?.port.id ?? -1,
          ...(held !== undefined && held.peer !== null ? { heldPeer: held.peer.label } : {}),
          reason: outcome,
        });
        return;
      }
      case 'peer-limit':
      case 'table-full':
        // Keyed by the peer: a flood of random MACs is one key, not one per MAC.
        if (!events.admit(outcome === 'peer-limit' ? Kind.macPeerLimit : Kind.macTableFull, ingress.id, peer?.label ?? -1)) return;
        events.report({ type: 'mac-learn-refused', leg: ingress.id, segment: this.segment, mac: formatMac(mac), ...peerField(peer), reason: outcome });
        return;
      case 'learned':
      case 'refreshed':
        return;
      default:
        assertNever(outcome, 'learn outcome');
    }
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
    // What the fast path forwarded refreshes its MACs before ageing looks at them.
    if (this.fastPath !== null && this.sink !== null) this.fastPath.take(this.sink);
    this.macs.sweep(this.clock.now());
  }
}
