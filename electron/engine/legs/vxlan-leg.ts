// `V` leg: VXLAN (RFC 7348). The segment is the VNI. Modes: HER, multicast,
// provider (hub of learned VTEPs), access (behind PAT, keepalives).

import { randomBytes } from 'node:crypto';
import { KEEPALIVE_LEN, readKeepalive, writeKeepalive } from '../codec/keepalive.js';
import { ETH_HEADER_LEN } from '../codec/mac.js';
import { VXLAN_HEADER_LEN, NOT_VXLAN, readVxlanVni, writeVxlanHeader } from '../codec/vxlan.js';
import type { UdpBindOptions, UdpPort, UdpSocketHandle } from '../ports/udp-port.js';
import type { PeerRef } from '../switch/switch-port.js';
import { vxlanPort, type VxlanLegSpec } from '../../model/leg-spec.js';
import { ACCESS_KEEPALIVE_S, MULTICAST_TTL } from '../../model/defaults.js';
import { Peer } from './peer.js';
import type { LegContext } from './running-leg.js';
import { TunnelLeg } from './tunnel-leg.js';
import { VxlanPeers } from './vxlan-peers.js';
import { assertNever } from '../../model/assert-never.js';

export interface VxlanLegOptions {
  readonly peerAgeingMs?: number;
  readonly keepaliveMs?: number;
}

export class VxlanLeg extends TunnelLeg<VxlanLegSpec> {
  readonly relays: boolean;
  protected readonly headerLen = VXLAN_HEADER_LEN;
  private readonly peers: VxlanPeers;
  private readonly keepaliveMs: number;
  private lastKeepalive = 0;
  /** Identifies this access VTEP to the provider across NAT mapping changes. */
  private readonly vtepId = randomBytes(4).readUInt32BE(0);

  constructor(spec: VxlanLegSpec, ctx: LegContext, udp: UdpPort, options: VxlanLegOptions = {}) {
    super(spec, ctx, udp);
    this.relays = spec.remote.mode === 'provider';
    this.peers = new VxlanPeers(spec, options.peerAgeingMs);
    this.keepaliveMs = options.keepaliveMs ?? ACCESS_KEEPALIVE_S * 1000;
  }

  protected writeHeader(buf: Buffer): void {
    writeVxlanHeader(buf, 0, this.spec.segment);
  }

  protected override async open(): Promise<void> {
    if (this.spec.key !== undefined || this.spec.keyEnv !== undefined) {
      throw new Error(`${this.ctx.label}: encrypted VXLAN legs are not available in this version; remove "*KEY" from the leg to run it unencrypted`);
    }
    await super.open();
  }

  protected bindOptions(): UdpBindOptions {
    const port = vxlanPort(this.spec);
    const base = this.bufferOptions();
    switch (this.spec.remote.mode) {
      case 'multicast':
        // Group traffic is only delivered to sockets bound to the wildcard (or group) address.
        return { address: '0.0.0.0', port, reuseAddr: true, ...base };
      case 'access':
        return { address: '0.0.0.0', port: 0, ...base };
      case 'unicast':
      case 'provider':
        return { address: this.spec.local, port, ...base };
      default:
        return assertNever(this.spec.remote, 'VXLAN mode');
    }
  }

  protected override afterBind(socket: UdpSocketHandle): void {
    const r = this.spec.remote;
    if (r.mode === 'multicast') {
      try {
        socket.setMulticastInterface(this.spec.local);
        socket.joinMulticast(r.group, this.spec.local);
      } catch (err) {
        throw new Error(
          `cannot join multicast group ${r.group} on ${this.spec.local} (${err instanceof Error ? err.message : String(err)}). Fix: use an IPv4 address of this machine as local address (ubdg --list-nics shows them)`,
          { cause: err },
        );
      }
      socket.setMulticastTtl(MULTICAST_TTL);
      socket.setMulticastLoopback(false);
    }
    if (r.mode === 'access') this.keepalive(this.ctx.clock.now());
  }

  protected onDatagram(msg: Buffer, address: string, port: number): void {
    const len = msg.length;
    const vni = readVxlanVni(msg, 0, len);
    if (vni === NOT_VXLAN) {
      this.drops.malformed++;
      return;
    }
    if (vni !== this.spec.segment) {
      this.drops['wrong-vni']++;
      return;
    }
    const now = this.ctx.clock.now();
    const frameLen = len - VXLAN_HEADER_LEN;
    const keepalive = frameLen < ETH_HEADER_LEN ? readKeepalive(msg, VXLAN_HEADER_LEN, frameLen) : null;
    if (keepalive !== null) {
      const from = this.peers.roam(address, port, keepalive.vtepId);
      if (from !== null) this.ctx.emit({ type: 'peer-moved', leg: this.id, from, to: `${address}:${port}` });
    }
    const peer = this.peers.admit(address, port, now, (p) => this.ctx.emit({ type: 'peer-learned', leg: this.id, address: p.label }));
    if (peer === 'unknown') {
      this.drops['unknown-peer']++;
      return;
    }
    if (peer === 'full') {
      this.drops['table-full']++;
      return;
    }
    peer.seen(now);
    if (frameLen < ETH_HEADER_LEN) {
      // Keepalives (and bare headers) refresh the peer and carry no frame.
      if (keepalive !== null) this.onKeepalive(peer, keepalive.vtepId, keepalive.periodS * 1000);
      else if (frameLen !== 0) this.drops.malformed++;
      return;
    }
    peer.traffic.rx(frameLen);
    this.traffic.rx(frameLen);
    this.ctx.switch.forward(this, peer, msg, VXLAN_HEADER_LEN, frameLen);
  }

  private onKeepalive(peer: Peer, vtepId: number, periodMs: number): void {
    const r = this.peers.keepalive(peer, vtepId, periodMs);
    if (r.movedFrom === undefined) return;
    if (r.merged !== undefined) this.ctx.switch.macs.forget(this, r.merged);
    this.ctx.emit({ type: 'peer-moved', leg: this.id, from: r.movedFrom, to: r.peer.label });
  }

  sendTo(frame: Buffer, offset: number, length: number, peer: PeerRef | null): void {
    if (peer instanceof Peer) this.sendOne(frame, offset, length, peer);
    else this.flood(frame, offset, length, null);
  }

  flood(frame: Buffer, offset: number, length: number, except: PeerRef | null): void {
    this.sendMany(frame, offset, length, this.peers.floodList, except);
  }

  override sweep(now: number): void {
    const gone = this.peers.expire(now);
    this.ctx.switch.macs.forgetPeers(this, new Set(gone));
    for (const p of gone) this.ctx.emit({ type: 'peer-expired', leg: this.id, address: p.label });
    if (this.spec.remote.mode === 'access' && now - this.lastKeepalive >= this.keepaliveMs) this.keepalive(now);
  }

  /** Keeps the PAT mapping open and tells the provider who we are (codec/keepalive.ts). */
  private keepalive(now: number): void {
    this.lastKeepalive = now;
    const k = { vtepId: this.vtepId, periodS: this.keepaliveMs / 1000 };
    for (const p of this.peers.floodList) this.sendControl(p, KEEPALIVE_LEN, (buf, off) => writeKeepalive(buf, off, k));
  }

  protected allPeers(): Iterable<Peer> {
    return this.peers.all();
  }
}
