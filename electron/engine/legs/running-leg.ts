// What every running leg has in common: identity, state, counters, events.

import type { SessionCrypto } from '../ports/session-crypto-port.js';
import type { Clock } from '../bridge-api.js';
import type { BridgeEvent } from '../../model/events.js';
import { LEG_WARNINGS_MAX } from '../../model/defaults.js';
import { errorText } from '../../model/user-error.js';
import { Drops, Traffic } from '../stats/counters.js';
import type { LegSnapshot, LegState, PeerSnapshot } from '../../model/snapshot.js';
import type { SegmentSwitch } from '../switch/segment-switch.js';
import type { PeerRef, SwitchPort } from '../switch/switch-port.js';
import type { LegSpec } from '../../model/leg-spec.js';

export interface LegContext {
  readonly id: number;
  /** Leg string with any key masked, for snapshots and messages. */
  readonly label: string;
  readonly switch: SegmentSwitch;
  readonly clock: Clock;
  readonly emit: (e: BridgeEvent) => void;
  /** Kernel buffer sizes, from BridgeOptions or the measured defaults. */
  readonly udpBufferBytes: number;
  readonly pcapBufferBytes: number;
  /** The AEAD of secure legs. */
  readonly crypto: SessionCrypto;
}

export abstract class RunningLeg<S extends LegSpec = LegSpec> implements SwitchPort {
  readonly traffic = new Traffic();
  readonly drops = new Drops();
  abstract readonly relays: boolean;
  state: LegState = 'stopped';
  error: string | undefined;
  private readonly warnings: string[] = [];

  constructor(
    readonly spec: S,
    protected readonly ctx: LegContext,
  ) {}

  get id(): number {
    return this.ctx.id;
  }

  /** Opens sockets / capture. Throws an Error whose message says cause and fix. */
  protected abstract open(): Promise<void>;
  protected abstract close(): void;
  abstract sendTo(frame: Buffer, offset: number, length: number, peer: PeerRef | null): void;
  abstract flood(frame: Buffer, offset: number, length: number, except: PeerRef | null): void;
  /** Local endpoint or adapter, for display. */
  abstract localLabel(): string | undefined;
  abstract peerSnapshots(): PeerSnapshot[];
  /** Periodic housekeeping (ageing, keepalives). */
  sweep(_now: number): void {}
  fastTraffic(rxPackets: number, rxBytes: number, txPackets: number, txBytes: number): void {
    this.traffic.add(rxPackets, rxBytes, txPackets, txBytes);
  }

  /** What the socket or capture layer dropped itself, cumulative (native data plane): for
   *  queue delay, and offload super-frames it could not cut. The engine never counts a
   *  leg's frames for these reasons when its layer does. */
  protected layerDrops(): { readonly 'queue-delay': number; readonly oversize: number } {
    return { 'queue-delay': 0, oversize: 0 };
  }
  readonly encrypted: boolean = false;

  async start(): Promise<void> {
    this.setState('starting');
    try {
      await this.open();
      this.ctx.switch.attach(this);
      this.setState('running');
    } catch (err) {
      this.error = errorText(err);
      this.setState('error', this.error);
    }
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.ctx.switch.detach(this);
    try {
      this.close();
    } finally {
      this.setState('stopped');
    }
  }

  /** Tells the user something once (e.g. an offload problem with its fix). */
  warnOnce(message: string): void {
    // Bounded: socket errors carry varying text, and a snapshot must stay small.
    if (this.warnings.includes(message) || this.warnings.length >= LEG_WARNINGS_MAX) return;
    this.warnings.push(message);
    this.ctx.emit({ type: 'warning', leg: this.id, message });
  }

  snapshot(): LegSnapshot {
    const local = this.localLabel();
    // Kept at its highest: the count survives the handle's close.
    const layer = this.layerDrops();
    this.drops['queue-delay'] = Math.max(this.drops['queue-delay'], layer['queue-delay']);
    this.drops.oversize = Math.max(this.drops.oversize, layer.oversize);
    return {
      id: this.id,
      leg: this.ctx.label,
      kind: this.spec.kind,
      segment: this.spec.segment,
      state: this.state,
      ...(this.error !== undefined ? { error: this.error } : {}),
      warnings: [...this.warnings],
      drops: this.drops.snapshot(),
      ...(local !== undefined ? { local } : {}),
      encrypted: this.encrypted,
      ...this.traffic.snapshot(),
    };
  }

  private setState(state: LegState, error?: string): void {
    this.state = state;
    this.ctx.emit(error === undefined ? { type: 'leg-state', leg: this.id, state } : { type: 'leg-state', leg: this.id, state, error });
  }
}
