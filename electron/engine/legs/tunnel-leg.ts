// Shared machinery of the UDP-based legs (U and V): one socket, a send pool,
// a frame encoded once into a slot (header + frame, or sealed) and sent to one
// or many peers.

import type { FastPathEncap } from '../ports/fast-path-port.js';
import type { Opener } from '../ports/session-crypto-port.js';
import type { UdpBindOptions, UdpPort, UdpSocketHandle } from '../ports/udp-port.js';
import type { PeerSnapshot } from '../../model/snapshot.js';
import type { LegSpec } from '../../model/leg-spec.js';
import type { PeerRef } from '../switch/switch-port.js';
import type { Peer } from './peer.js';
import { RunningLeg, type LegContext } from './running-leg.js';
import { SendPool, type SendSlot } from './send-pool.js';

export abstract class TunnelLeg<S extends LegSpec> extends RunningLeg<S> {
  readonly local = false;
  protected socket: UdpSocketHandle | null = null;
  protected readonly pool = new SendPool();
  /** Bytes the encoding adds to a frame (headers, authentication tag). */
  protected abstract readonly overhead: number;
  /** Writes the datagram that carries frame[offset..offset+length) at buf[0];
   *  its length, or -1 if it cannot be sent (counted by the leg). */
  protected abstract encode(buf: Buffer, frame: Buffer, offset: number, length: number): number;
  protected abstract bindOptions(): UdpBindOptions;
  /** One received datagram at buf[off..off+len), readable during the call only. */
  protected abstract onDatagram(buf: Buffer, off: number, len: number, address: string, port: number): void;
  /** Every peer for snapshots (configured and learned). */
  protected abstract allPeers(): Iterable<Peer>;
  /** Called after bind: multicast joins, keepalives. */
  protected afterBind(_socket: UdpSocketHandle): void {}
  /** How frames travel, for the fast path: raw Ethernet-over-UDP, VXLAN of a VNI, or sealed. */
  protected abstract fastEncap(): FastPathEncap;
  /** Keyed legs: the Opener of the session confirmed for `p` (undefined: none yet, its frames stay with the engine). */
  protected fastOpener(_p: Peer): Opener | undefined {
    return undefined;
  }
  /** Whether a peer's frames may come from any source port of its address (else from its port only). */
  protected abstract anySourcePort(): boolean;
  /** Changes when the leg's peers do (the fast path's copy follows). */
  protected peersVersion(): number {
    return 0;
  }
  /** The fast path forwards this leg's frames (on the native data plane). */
  private fastAttached = false;
  private fastVersion = -1;
  private readonly fastPeers = new Map<number, Peer>();

  constructor(
    spec: S,
    ctx: LegContext,
    private readonly udp: UdpPort,
  ) {
    super(spec, ctx);
  }

  protected async open(): Promise<void> {
    const onMessage = (buf: Buffer, off: number, len: number, address: string, port: number): void => {
      if (this.state !== 'running') return;
      this.onDatagram(buf, off, len, address, port);
      this.followPeers();
    };
    const onError = (err: Error): void => {
      // After bind, socket errors are transient (ICMP unreachable and the like): keep forwarding.
      this.drops['send-error']++;
      this.warnOnce(`socket error: ${err.message}`);
    };
    this.socket = await this.udp.bind(this.bindOptions(), onMessage, onError);
    try {
      this.checkBuffers(this.socket);
      this.afterBind(this.socket);
      const fast = this.ctx.switch.fastPath;
      if (fast !== null) this.fastAttached = fast.attachTunnel(this.id, this.socket, this.fastEncap());
      if (this.fastAttached) this.syncFastPeers();
    } catch (err) {
      this.close(); // the leg goes to error: release its port
      throw err;
    }
  }

  /** A small receive buffer loses bursts; the OS caps requests silently, so say so. */
  private checkBuffers(socket: UdpSocketHandle): void {
    const granted = socket.bufferSizes().recv;
    const wanted = this.ctx.udpBufferBytes;
    if (granted < wanted) {
      this.warnOnce(
        `the OS limits this leg's UDP receive buffer to ${Math.round(granted / 1024)} KiB (wanted ${Math.round(wanted / 1024)} KiB): bursts may be lost. Fix (Linux): sysctl -w net.core.rmem_max=${wanted}`,
      );
    }
  }

  protected close(): void {
    if (this.fastAttached) this.ctx.switch.fastPath?.detach(this.id);
    this.fastAttached = false;
    this.fastPeers.clear();
    this.socket?.close();
    this.socket = null;
  }

  /** Gives the fast path the leg's peers if they changed since it last got them. */
  protected followPeers(): void {
    if (this.fastAttached && this.peersVersion() !== this.fastVersion) this.syncFastPeers();
  }

  /** Gives the fast path the leg's peers as they are now. */
  private syncFastPeers(): void {
    const fast = this.ctx.switch.fastPath;
    if (!this.fastAttached || fast === null) return;
    this.fastVersion = this.peersVersion();
    this.fastPeers.clear();
    const any = this.anySourcePort();
    const list = [];
    for (const p of this.allPeers()) {
      this.fastPeers.set(p.key, p);
      const opener = this.fastOpener(p);
      list.push({ key: p.key, address: p.address, port: p.port, matchPort: any ? 0 : p.port, ...(opener !== undefined ? { opener } : {}) });
    }
    fast.setPeers(this.id, list);
  }

  fastPeerTraffic(peer: number, rxPackets: number, rxBytes: number, txPackets: number, txBytes: number, seen: boolean): void {
    const p = this.fastPeers.get(peer);
    if (p === undefined) return;
    p.traffic.add(rxPackets, rxBytes, txPackets, txBytes);
    if (seen) p.seen(this.ctx.clock.now());
  }

  protected override layerDrops(): { readonly 'queue-delay': number; readonly oversize: number } {
    return { 'queue-delay': this.socket?.queueDrops?.() ?? 0, oversize: 0 };
  }

  localLabel(): string | undefined {
    if (this.socket === null) return undefined;
    const l = this.socket.local();
    return `${l.address}:${l.port}`;
  }

  peerSnapshots(): PeerSnapshot[] {
    const out: PeerSnapshot[] = [];
    for (const p of this.allPeers()) out.push(p.snapshot(this.id));
    return out;
  }

  /** The frame encoded into a pooled slot (its datagram length in slot.length); null (and counted) if it cannot be sent. */
  private fill(frame: Buffer, offset: number, length: number): SendSlot | null {
    if (this.socket === null) return null;
    if (length + this.overhead > this.pool.slotBytes) {
      this.drops.oversize++;
      return null;
    }
    const slot = this.pool.take();
    if (slot === null) {
      this.drops['send-error']++;
      return null;
    }
    const n = this.encode(slot.buf, frame, offset, length);
    if (n < 0) {
      this.pool.release(slot);
      this.drops['send-error']++;
      return null;
    }
    slot.length = n;
    return slot;
  }

  protected sendOne(frame: Buffer, offset: number, length: number, peer: Peer): void {
    const slot = this.fill(frame, offset, length);
    if (slot === null) return;
    slot.pending = 1;
    this.transmit(slot, length, peer);
  }

  protected sendMany(frame: Buffer, offset: number, length: number, peers: readonly Peer[], except: PeerRef | null): void {
    let n = 0;
    for (let i = 0; i < peers.length; i++) if (peers[i] !== except) n++;
    if (n === 0) return;
    const slot = this.fill(frame, offset, length);
    if (slot === null) return;
    slot.pending = n;
    for (let i = 0; i < peers.length; i++) {
      const p = peers[i]!;
      if (p !== except) this.transmit(slot, length, p);
    }
  }

  /** Sends a control datagram (not a frame, not counted as traffic) that `write`
   *  puts at buf[0], returning its length (or -1: nothing to send). */
  protected sendControl(address: string, port: number, write: (buf: Buffer) => number): void {
    // Checked before take(): a slot taken here must go out and come back. Port 0
    // is no one's: a datagram "from" it is forged, and nothing can be sent there.
    if (this.socket === null || port === 0) return;
    const slot = this.pool.take();
    if (slot === null) return;
    const n = write(slot.buf);
    if (n < 0) {
      this.pool.release(slot);
      return;
    }
    slot.pending = 1;
    this.socket.send(slot.buf, 0, n, port, address, slot.done);
  }

  private transmit(slot: SendSlot, frameLength: number, peer: Peer): void {
    this.socket!.send(slot.buf, 0, slot.length, peer.port, peer.address, slot.done);
    this.traffic.tx(frameLength);
    peer.traffic.tx(frameLength);
  }

  protected bufferOptions(): Pick<UdpBindOptions, 'recvBufferBytes' | 'sendBufferBytes'> {
    return { recvBufferBytes: this.ctx.udpBufferBytes, sendBufferBytes: this.ctx.udpBufferBytes };
  }
}
