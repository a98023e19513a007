// The bridge: legs grouped into one learning switch per segment, a periodic
// sweep (ageing, keepalives), snapshots for the UI and `ubdg --json`.

import type { BridgeHandle, BridgeOptions, Clock, EnginePorts } from './bridge-api.js';
import type { BridgeEvent } from '../model/events.js';
import { formatLeg } from '../model/leg-grammar.js';
import { assertNever } from '../model/assert-never.js';
import type { LegSpec } from '../model/leg-spec.js';
import { NicLeg } from './legs/nic-leg.js';
import type { LegContext, RunningLeg } from './legs/running-leg.js';
import { UdpLeg } from './legs/udp-leg.js';
import { VxlanLeg } from './legs/vxlan-leg.js';
import { formatMac } from './codec/mac.js';
import { PCAP_BUFFER_BYTES, SNAPSHOT_LIST_MAX, SWEEP_MS, UDP_BUFFER_BYTES } from '../model/defaults.js';
import type { BridgeSnapshot, MacSnapshot } from '../model/snapshot.js';
import { SegmentSwitch } from './switch/segment-switch.js';

const systemClock: Clock = { now: () => Date.now() };

/** The list itself when short enough, else its SNAPSHOT_LIST_MAX items with the highest rank. */
function mostRecent<T>(list: T[], rank: (x: T) => number): T[] {
  if (list.length <= SNAPSHOT_LIST_MAX) return list;
  return list.sort((a, b) => rank(b) - rank(a)).slice(0, SNAPSHOT_LIST_MAX);
}

export function createBridge(legs: readonly LegSpec[], ports: EnginePorts, options: BridgeOptions = {}): BridgeHandle {
  return new Bridge(legs, ports, options);
}

export class Bridge implements BridgeHandle {
  private readonly clock: Clock;
  private readonly switches = new Map<number, SegmentSwitch>();
  private readonly running: RunningLeg[];
  private readonly listeners = new Set<(e: BridgeEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    readonly legs: readonly LegSpec[],
    private readonly ports: EnginePorts,
    private readonly options: BridgeOptions,
  ) {
    this.clock = ports.clock ?? systemClock;
    this.running = legs.map((spec, id) => this.createLeg(spec, id));
  }

  private switchFor(segment: number): SegmentSwitch {
    let sw = this.switches.get(segment);
    if (sw === undefined) {
      sw = new SegmentSwitch(segment, this.clock, this.options.macAgeingMs);
      this.switches.set(segment, sw);
    }
    return sw;
  }

  private createLeg(spec: LegSpec, id: number): RunningLeg {
    const ctx: LegContext = {
      id,
      label: formatLeg(spec, { maskKey: true }),
      switch: this.switchFor(spec.segment),
      clock: this.clock,
      emit: (e) => this.emit(e),
      udpBufferBytes: this.options.udpBufferBytes ?? UDP_BUFFER_BYTES,
      pcapBufferBytes: this.options.pcapBufferBytes ?? PCAP_BUFFER_BYTES,
    };
    switch (spec.kind) {
      case 'W':
        return new NicLeg(spec, ctx, this.ports.capture);
      case 'U':
        return new UdpLeg(spec, ctx, this.ports.udp);
      case 'V':
        return new VxlanLeg(spec, ctx, this.ports.udp, {
          ...(this.options.peerAgeingMs !== undefined ? { peerAgeingMs: this.options.peerAgeingMs } : {}),
          ...(this.options.keepaliveMs !== undefined ? { keepaliveMs: this.options.keepaliveMs } : {}),
        });
      default:
        return assertNever(spec, 'leg kind');
    }
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await Promise.all(this.running.map((l) => l.start()));
    this.timer = setInterval(() => this.sweep(), this.options.sweepMs ?? SWEEP_MS);
    this.timer.unref();
  }

  /** Ageing and keepalives; public for tests with a fake clock. */
  sweep(): void {
    const now = this.clock.now();
    for (const sw of this.switches.values()) sw.sweep();
    for (const l of this.running) if (l.state === 'running') l.sweep(now);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const l of this.running) l.stop();
  }

  snapshot(): BridgeSnapshot {
    const now = this.clock.now();
    const macs: MacSnapshot[] = [];
    for (const sw of this.switches.values()) {
      for (const [mac, e] of sw.macs.list()) {
        macs.push({
          segment: sw.segment,
          mac: formatMac(mac),
          leg: e.port.id,
          ...(e.peer !== null ? { peer: e.peer.label } : {}),
          ageSeconds: Math.max(0, Math.round((now - e.lastSeen) / 1000)),
        });
      }
    }
    const peers = this.running.flatMap((l) => l.peerSnapshots());
    return {
      time: now,
      running: this.running.some((l) => l.state === 'running'),
      legs: this.running.map((l) => l.snapshot()),
      peers: mostRecent(peers, (p) => (p.origin === 'configured' ? Infinity : p.lastSeen)),
      macs: mostRecent(macs, (m) => -m.ageSeconds),
      peerCount: peers.length,
      macCount: macs.length,
    };
  }

  onEvent(listener: (e: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: BridgeEvent): void {
    for (const l of this.listeners) l(e);
  }
}
