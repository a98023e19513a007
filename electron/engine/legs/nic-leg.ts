// `W` leg: a local adapter, frames captured and injected through the capture port (pcap).

import type { CaptureHandle, CapturePort } from '../ports/capture-port.js';
import type { PeerSnapshot } from '../../model/snapshot.js';
import type { PeerRef } from '../switch/switch-port.js';
import { EchoFilter } from './echo-filter.js';
import type { NicLegSpec } from '../../model/leg-spec.js';
import type { LegContext } from './running-leg.js';
import { RunningLeg } from './running-leg.js';
import { OffloadWatch } from './offload-watch.js';
import { parseMac } from '../codec/mac.js';

/** The adapter's MAC as a number, or undefined if the OS reported none we can read. */
function macNumber(text: string): number | undefined {
  try {
    return parseMac(text);
  } catch {
    return undefined;
  }
}

const DEFAULT_MTU = 1500;

export class NicLeg extends RunningLeg<NicLegSpec> {
  readonly relays = false;
  readonly local = true;
  private handle: CaptureHandle | null = null;
  private readonly echo = new EchoFilter();
  private offloads: OffloadWatch;

  constructor(
    spec: NicLegSpec,
    ctx: LegContext,
    private readonly capture: CapturePort,
  ) {
    super(spec, ctx);
    this.offloads = this.watchOffloads(DEFAULT_MTU);
  }

  private watchOffloads(mtu: number, mac?: string): OffloadWatch {
    return new OffloadWatch(this.spec.nic ?? '?', mtu, (m) => this.warnOnce(m), mac !== undefined ? macNumber(mac) : undefined);
  }

  protected async open(): Promise<void> {
    const nic = this.spec.nic;
    if (nic === undefined) throw new Error(`${this.ctx.label}: no adapter given; write it after '@', e.g. ${this.spec.segment}#W:E@eth0 (see ubdg --list-nics)`);
    // Frames longer than the MTU (+ Ethernet header and VLAN tag) are offload artefacts.
    const info = (await this.capture.listNics()).find((n) => n.name === nic);
    this.offloads = this.watchOffloads(info?.mtu ?? DEFAULT_MTU, info?.mac);
    this.handle = this.capture.open(nic, (frame, offset, length) => this.onFrame(frame, offset, length), {
      bufferBytes: this.ctx.pcapBufferBytes,
    });
    this.ctx.switch.fastPath?.attachAdapter(this.id, this.handle);
  }

  protected close(): void {
    this.ctx.switch.fastPath?.detach(this.id);
    this.handle?.close();
    this.handle = null;
  }

  private onFrame(frame: Buffer, offset: number, length: number): void {
    const h = this.handle;
    if (this.state !== 'running' || h === null) return;
    if (h.echoesInjected && this.echo.isEcho(frame, offset, length, this.ctx.clock.now())) {
      this.drops.echo++;
      return;
    }
    // A capture that completes offloads itself hands over wire frames only; pcap's come at offset 0.
    if (!h.wireFrames && !this.offloads.admit(frame, length)) {
      this.drops.oversize++;
      return;
    }
    this.traffic.rx(length);
    this.ctx.switch.forward(this, null, frame, offset, length);
  }

  sendTo(frame: Buffer, offset: number, length: number, _peer: PeerRef | null): void {
    this.inject(frame, offset, length);
  }

  flood(frame: Buffer, offset: number, length: number, _except: PeerRef | null): void {
    this.inject(frame, offset, length);
  }

  private inject(frame: Buffer, offset: number, length: number): void {
    const h = this.handle;
    if (h === null) return;
    if (h.echoesInjected) this.echo.remember(frame, offset, length, this.ctx.clock.now());
    if (h.inject(frame, offset, length)) this.traffic.tx(length);
    else this.injectFailed();
  }

  private injectFailed(): void {
    // First failure only says so; later ones are just counted (the hot path stays cheap).
    if (this.drops['send-error']++ === 0) {
      this.warnOnce(
        `${this.spec.nic}: the adapter refused a frame (is it down or gone?). If it went down while bridging, restart the bridge once it is back: its capture stopped.`,
      );
    }
  }

  protected override layerDrops(): { readonly 'queue-delay': number; readonly oversize: number } {
    const h = this.handle;
    return { 'queue-delay': h?.queueDrops?.() ?? 0, oversize: h?.oversizeDrops?.() ?? 0 };
  }

  localLabel(): string | undefined {
    return this.spec.nic;
  }

  peerSnapshots(): PeerSnapshot[] {
    return [];
  }
}
