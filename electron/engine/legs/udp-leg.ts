// `U` leg: Ethernet-over-UDP, point to point. The frame is the whole datagram
// (compatible with GNS3/Dynamips UDP NIOs and ubridge).

import type { FastPathEncap } from '../ports/fast-path-port.js';
import type { UdpBindOptions, UdpPort } from '../ports/udp-port.js';
import type { PeerRef } from '../switch/switch-port.js';
import type { UdpLegSpec } from '../../model/leg-spec.js';
import { Peer } from './peer.js';
import type { LegContext } from './running-leg.js';
import { TunnelLeg } from './tunnel-leg.js';

export class UdpLeg extends TunnelLeg<UdpLegSpec> {
  readonly relays = false;
  protected readonly overhead = 0;
  private readonly remote: Peer;

  constructor(spec: UdpLegSpec, ctx: LegContext, udp: UdpPort) {
    super(spec, ctx, udp);
    this.remote = new Peer(spec.remoteAddress, spec.remotePort, 'configured');
  }

  protected encode(buf: Buffer, frame: Buffer, offset: number, length: number): number {
    return frame.copy(buf, 0, offset, offset + length);
  }

  protected bindOptions(): UdpBindOptions {
    return { address: this.spec.localAddress, port: this.spec.localPort, ...this.bufferOptions() };
  }

  protected onDatagram(buf: Buffer, off: number, len: number, address: string): void {
    // The peer may send from another port than the one we send to (NAT, GNS3): match the address only.
    if (address !== this.remote.address) {
      this.drops['unknown-peer']++;
      return;
    }
    this.remote.seen(this.ctx.clock.now());
    this.remote.traffic.rx(len);
    this.traffic.rx(len);
    this.ctx.switch.forward(this, this.remote, buf, off, len);
  }

  sendTo(frame: Buffer, offset: number, length: number, _peer: PeerRef | null): void {
    this.sendOne(frame, offset, length, this.remote);
  }

  flood(frame: Buffer, offset: number, length: number, except: PeerRef | null): void {
    if (except !== this.remote) this.sendOne(frame, offset, length, this.remote);
  }

  protected fastEncap(): FastPathEncap {
    return { raw: true, vni: 0 };
  }

  protected anySourcePort(): boolean {
    return true; // as onDatagram: the address only
  }

  protected *allPeers(): Iterable<Peer> {
    yield this.remote;
  }
}
