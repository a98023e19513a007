// The bridge: legs grouped into one learning switch per segment, a periodic
// sweep (ageing, keepalives), snapshots for the UI and `ubdg --json`.

import { nodeSessionCrypto } from './crypto/node-session-crypto.js';
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
import type { BridgeSnapshot, MacSnapshot, PeerSnapshot } from '../model/snapshot.js';
import { SegmentSwitch } from './switch/segment-switch.js';
import type { MacEntry } from './switch/mac-table.js';
import { EventCoalescer } from './stats/event-coalescer.js';

const systemClock: Clock = { now: () => Date.now() };

/**
 * The list itself when short enough, else its `max` items with the highest
 * rank, highest first: a min-heap of `max` (n log max), not a sort of the list.
 */
export function topRanked<T>(list: readonly T[], max: number, rank: (x: T) => number): T[] {
  if (list.length <= max) return list.slice();
  if (max <= 0) return [];
  const heap: number[] = []; // indices into list, lowest rank at the root
  const ranks = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) ranks[i] = rank(list[i]!);
  const less = (a: number, b: number) => ranks[a]! < ranks[b]! || (ranks[a] === ranks[b] && a > b);
  const down = (from: number) => {
    for (let i = from; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < max; i++) heap.push(i);
  for (let i = (max >> 1) - 1; i >= 0; i--) down(i);
  for (let i = max; i < list.length; i++) {
    if (less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  const out: T[] = new Array<T>(heap.length);
  for (let k = heap.length - 1; k >= 0; k--) {
    out[k] = list[heap[0]!]!;
    heap[0] = heap[heap.length - 1]!;
    heap.pop();
    down(0);
  }
  return out;
}

/** The `max` most recent MACs of several switches, newest first: a merge of their own recency orders. */
function recentMacs(switches: Iterable<SegmentSwitch>, max: number, now: number): MacSnapshot[] {
  const lists: { segment: number; entries: Readonly<MacEntry>[]; next: number }[] = [];
  for (const sw of switches) lists.push({ segment: sw.segment, entries: sw.macs.recent(max), next: 0 });
  const out: MacSnapshot[] = [];
  while (out.length < max) {
    let best: (typeof lists)[number] | undefined;
    for (const l of lists) {
      const e = l.entries[l.next];
      if (e !== undefined && (best === undefined || e.linkedAt > best.entries[best.next]!.linkedAt)) best = l;
    }
    if (best === undefined) break;
    const e = best.entries[best.next++]!;
    out.push({
      segment: best.segment,
      mac: formatMac(e.mac),
      leg: e.port.id,
      ...(e.peer !== null ? { peer: e.peer.label } : {}),
      ageSeconds: Math.max(0, Math.round((now - e.lastSeen) / 1000)),
    });
  }
  return out;
}

export function createBridge(legs: readonly LegSpec[], ports: EnginePorts, options: BridgeOptions = {}): BridgeHandle {
  return new Bridge(legs, ports, options);
}

export class Bridge implements BridgeHandle {
  private readonly clock: Clock;
  private readonly switches = new Map<number, SegmentSwitch>();
  private readonly running: RunningLeg[];
  private readonly listeners = new Set<(e: BridgeEvent) => void>();
  /** Every event goes through it; VTEP and MAC events are coalesced per key. */
  private readonly events = new EventCoalescer((e) => this.publish(e));
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
      sw = new SegmentSwitch(segment, this.clock, { ageingMs: this.options.macAgeingMs }, this.events, this.ports.fastPath?.() ?? null);
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
      emit: (e) => this.events.emit(e),
      udpBufferBytes: this.options.udpBufferBytes ?? UDP_BUFFER_BYTES,
      pcapBufferBytes: this.options.pcapBufferBytes ?? PCAP_BUFFER_BYTES,
      crypto: this.ports.crypto ?? nodeSessionCrypto,
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
    this.events.sweep(); // summaries of the last second, before this sweep's own events
    for (const sw of this.switches.values()) sw.sweep();
    for (const l of this.running) if (l.state === 'running') l.sweep(now);
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const l of this.running) l.stop();
    this.events.flush();
  }

  snapshot(): BridgeSnapshot {
    // Several times a second, with up to MAC_TABLE_MAX MACs per segment: only
    // the listed entries are picked (no sort of the table) and formatted.
    const now = this.clock.now();
    let macCount = 0;
    for (const sw of this.switches.values()) macCount += sw.macs.size;
    const peers: PeerSnapshot[] = this.running.flatMap((l) => l.peerSnapshots());
    return {
      time: now,
      running: this.running.some((l) => l.state === 'running'),
      legs: this.running.map((l) => l.snapshot()),
      peers: topRanked(peers, SNAPSHOT_LIST_MAX, (p) => (p.origin === 'configured' ? Infinity : p.lastSeen)),
      macs: recentMacs(this.switches.values(), SNAPSHOT_LIST_MAX, now),
      peerCount: peers.length,
      macCount,
    };
  }

  onEvent(listener: (e: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(e: BridgeEvent): void {
    for (const l of this.listeners) l(e);
  }
}
