// The running bridge as the UI sees it: start/stop phase, the latest snapshot,
// rates computed from consecutive snapshots, bounded history for the charts,
// peers that just expired (kept briefly so they fade out visibly) and an event log.

import { create } from 'zustand';
import { PEER_AGEING_MS } from '../../../electron/model/defaults.js';
import { repeatsText, type BridgeEvent, type DataPlaneState } from '../../../electron/model/events.js';
import type { BridgeSnapshot, PeerSnapshot } from '../../../electron/model/snapshot.js';
import type { DataPlaneRun, RecentEvent } from '../../../electron/contract/ipc-contract.js';
import { computeRates, peerKey, type SnapshotRates } from '../lib/rates.js';
import { pushBounded, type HistoryPoint, type RingBounds } from '../lib/ring.js';
import { api } from './connection-store.js';
import { assertNever } from '../../../electron/model/assert-never.js';

export type BridgePhase = 'idle' | 'starting' | 'running' | 'stopping';

export const HISTORY_BOUNDS: RingBounds = { capacity: 600, maxAgeMs: 120_000 };
/** How long an expired peer stays in the table, struck through. */
export const GHOST_MS = 10_000;
/** A peer first seen this recently is highlighted. */
export const NEW_PEER_MS = 10_000;
export const EVENT_LOG_SIZE = 300;

export interface ExpiredPeer {
  readonly peer: PeerSnapshot;
  /** Snapshot time at which it was gone. */
  readonly expiredAt: number;
}

export type EventLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly id: number;
  readonly time: number;
  /** 'bridge': an engine event (the backend keeps these too and replays them on connect);
   *  'ui': this page's own note (start, stop, a failed start). */
  readonly source: 'bridge' | 'ui';
  readonly level: EventLevel;
  readonly leg?: number;
  readonly text: string;
}

export interface BridgeStore {
  phase: BridgePhase;
  /** Last start/stop failure, shown until dismissed or the next attempt. */
  error: string | null;
  /** The data-plane process died, was restarted or gave up: shown until dismissed or the next start. */
  dataPlane: { readonly state: DataPlaneState; readonly message: string } | null;
  snapshot: BridgeSnapshot | null;
  /** Which data plane runs the bridge and why, as the backend says ('bridge:setup'); null when not running or not known. */
  dataPlaneRun: DataPlaneRun | null;
  /** When this UI saw the bridge start (ms since epoch), for the uptime; null if unknown. */
  startedAt: number | null;
  rates: SnapshotRates | null;
  /** Whole bridge, bit/s summed over legs. */
  history: readonly HistoryPoint[];
  /** Per leg id. */
  legHistory: Readonly<Record<number, readonly HistoryPoint[]>>;
  ghosts: readonly ExpiredPeer[];
  events: readonly LogEntry[];
  /** True once we know nothing was running (so a bridge seen running later has just started). */
  knownIdle: boolean;
  ingest(s: BridgeSnapshot): void;
  onEvent(e: BridgeEvent, now?: number): void;
  /** The backend's recent engine events replace the engine events of the log (this page's own notes stay). */
  replayEvents(recent: readonly RecentEvent[]): void;
  /** `profile`: the profile the editor holds (null: unsaved), which the backend keeps with what runs. */
  start(legs: readonly string[], profile?: string | null): Promise<boolean>;
  stop(): Promise<boolean>;
  /** Ask the backend what is running (after connect/reconnect). */
  sync(): Promise<void>;
  clearError(): void;
  clearDataPlane(): void;
  /** Asks the backend which data plane runs (after this page's own start, after a restart). */
  refreshDataPlaneRun(): Promise<void>;
}

const INITIAL = {
  phase: 'idle' as BridgePhase,
  error: null,
  dataPlane: null,
  dataPlaneRun: null,
  snapshot: null,
  startedAt: null,
  rates: null,
  history: [] as readonly HistoryPoint[],
  legHistory: {} as Readonly<Record<number, readonly HistoryPoint[]>>,
  ghosts: [] as readonly ExpiredPeer[],
  events: [] as readonly LogEntry[],
  knownIdle: false,
};

let eventSeq = 0;

/** "VTEP 192.0.2.7:4789 on leg 2", or "leg 1" for a MAC on an adapter. */
function macPlace(leg: number, peer: string | undefined): string {
  return peer !== undefined ? `VTEP ${peer} on leg ${leg + 1}` : `leg ${leg + 1}`;
}

function describeEvent(e: BridgeEvent): { level: EventLevel; text: string } {
  switch (e.type) {
    case 'leg-state':
      return e.state === 'error' ? { level: 'error', text: `Leg ${e.leg + 1} failed: ${e.error ?? 'unknown error'}` } : { level: 'info', text: `Leg ${e.leg + 1} is ${e.state}` };
    case 'peer-learned':
      return { level: 'info', text: `Learned VTEP ${e.address} on leg ${e.leg + 1}${repeatsText(e)}` };
    case 'peer-expired':
      return { level: 'info', text: `VTEP ${e.address} on leg ${e.leg + 1} expired${repeatsText(e)}` };
    case 'peer-moved':
      return { level: 'info', text: `VTEP on leg ${e.leg + 1} moved from ${e.from} to ${e.to} (NAT mapping changed)${repeatsText(e)}` };
    case 'mac-moved':
      return { level: 'info', text: `MAC ${e.mac} moved from ${macPlace(e.fromLeg, e.fromPeer)} to ${macPlace(e.leg, e.peer)}${repeatsText(e)}` };
    case 'mac-move-refused':
      return e.reason === 'local-hold'
        ? { level: 'warn', text: `${macPlace(e.leg, e.peer)} claimed MAC ${e.mac} of a host on leg ${e.heldLeg + 1}: not moved (the frame was forwarded)${repeatsText(e)}` }
        : { level: 'warn', text: `MAC ${e.mac} moves too often (a loop, or two senders with one MAC): kept on ${macPlace(e.heldLeg, e.heldPeer)}${repeatsText(e)}` };
    case 'mac-learn-refused':
      return e.reason === 'peer-limit'
        ? { level: 'warn', text: `${macPlace(e.leg, e.peer)} has too many MACs: new ones (such as ${e.mac}) are not learned, frames to them are flooded${repeatsText(e)}` }
        : { level: 'warn', text: `MAC table of segment ${e.segment} is full: ${e.mac} from ${macPlace(e.leg, e.peer)} is not learned${repeatsText(e)}` };
    case 'warning':
      return { level: 'warn', text: `Leg ${e.leg + 1}: ${e.message}` };
    case 'data-plane':
      return { level: e.state === 'restarted' ? 'info' : 'error', text: e.message };
    default:
      return assertNever(e, 'event');
  }
}

function appendLog(events: readonly LogEntry[], entry: Omit<LogEntry, 'id' | 'source'>, source: LogEntry['source'] = 'ui'): readonly LogEntry[] {
  const next = events.length >= EVENT_LOG_SIZE ? events.slice(events.length - EVENT_LOG_SIZE + 1) : events.slice();
  next.push({ ...entry, source, id: ++eventSeq });
  return next;
}

function logEntryOf(e: BridgeEvent, time: number): Omit<LogEntry, 'id' | 'source'> {
  const d = describeEvent(e);
  return { time, level: d.level, text: d.text, ...('leg' in e ? { leg: e.leg } : {}) };
}

/** This page's own notes merged with the backend's events, in time order (the last EVENT_LOG_SIZE). */
export function mergeReplayed(events: readonly LogEntry[], recent: readonly RecentEvent[]): readonly LogEntry[] {
  const replayed: LogEntry[] = recent.map((r) => ({ ...logEntryOf(r.event, r.time), source: 'bridge', id: ++eventSeq }));
  const merged = [...events.filter((e) => e.source === 'ui'), ...replayed];
  merged.sort((a, b) => a.time - b.time || a.id - b.id); // stable for equal times
  return merged.slice(-EVENT_LOG_SIZE);
}

/** Peers of `prev` missing from `cur` join the ghosts; ghosts that came back or are old leave. */
function nextGhosts(ghosts: readonly ExpiredPeer[], prev: BridgeSnapshot | null, cur: BridgeSnapshot): readonly ExpiredPeer[] {
  if (!cur.running) return [];
  const present = new Set<string>();
  for (const p of cur.peers) present.add(peerKey(p.leg, p.address));
  const out: ExpiredPeer[] = [];
  const ghosted = new Set<string>();
  for (const g of ghosts) {
    const k = peerKey(g.peer.leg, g.peer.address);
    if (present.has(k) || cur.time - g.expiredAt > GHOST_MS) continue;
    out.push(g);
    ghosted.add(k);
  }
  if (prev && prev.running) {
    for (const p of prev.peers) {
      const k = peerKey(p.leg, p.address);
      if (!present.has(k) && !ghosted.has(k)) out.push({ peer: p, expiredAt: cur.time });
    }
  }
  return out.length === 0 && ghosts.length === 0 ? ghosts : out;
}

export const useBridge = create<BridgeStore>()((set, get) => ({
  ...INITIAL,

  ingest(s) {
    const st = get();
    const prev = st.snapshot;
    if (prev && s.time < prev.time) return; // stale (a reply overtaken by a push)
    if (!s.running) {
      set({
        snapshot: s,
        rates: computeRates(null, s),
        ghosts: [],
        dataPlaneRun: null,
        phase: st.phase === 'starting' ? 'starting' : 'idle',
        knownIdle: true,
      });
      return;
    }
    const rates = computeRates(prev && prev.running ? prev : null, s);
    const next: Partial<BridgeStore> = { snapshot: s, rates, ghosts: nextGhosts(st.ghosts, prev, s) };
    if (rates.seconds > 0) {
      const t = s.time;
      next.history = pushBounded(st.history, { t, rx: rates.total.rxBps, tx: rates.total.txBps }, HISTORY_BOUNDS);
      const legHistory: Record<number, readonly HistoryPoint[]> = {};
      for (const l of s.legs) {
        const r = rates.legs.get(l.id);
        legHistory[l.id] = pushBounded(st.legHistory[l.id] ?? [], { t, rx: r?.rxBps ?? 0, tx: r?.txBps ?? 0 }, HISTORY_BOUNDS);
      }
      next.legHistory = legHistory;
    }
    if (st.phase === 'idle') {
      // Started elsewhere (the host's auto-start, another window): adopt it.
      next.phase = 'running';
      // Unknown unless this page saw it idle, or the backend said when it started (hydrate).
      next.startedAt = st.knownIdle ? s.time : st.startedAt;
      next.knownIdle = false;
    }
    set(next);
  },

  onEvent(e, now = Date.now()) {
    set({ events: appendLog(get().events, logEntryOf(e, now), 'bridge'), ...(e.type === 'data-plane' ? { dataPlane: { state: e.state, message: e.message } } : {}) });
    // A restarted data-plane process chose again (auto may land elsewhere): ask.
    if (e.type === 'data-plane' && e.state === 'restarted') void get().refreshDataPlaneRun();
  },

  replayEvents(recent) {
    set({ events: mergeReplayed(get().events, recent) });
  },

  async start(legs, profile = null) {
    const { phase } = get();
    if (phase !== 'idle') return false;
    set({ phase: 'starting', error: null, dataPlane: null, dataPlaneRun: null, history: [], legHistory: {}, ghosts: [], snapshot: null, rates: null });
    const r = await api().startBridge(legs, profile);
    if (!r.ok) {
      set({ phase: 'idle', error: r.error, events: appendLog(get().events, { time: Date.now(), level: 'error', text: `Start failed: ${r.error}` }) });
      return false;
    }
    set({ phase: 'running', startedAt: Date.now(), knownIdle: false });
    get().ingest(r.value);
    set({ events: appendLog(get().events, { time: r.value.time, level: 'info', text: `Bridge started with ${legs.length} leg${legs.length === 1 ? '' : 's'}` }) });
    await get().refreshDataPlaneRun();
    return true;
  },

  async stop() {
    const { phase } = get();
    if (phase !== 'running') return false;
    set({ phase: 'stopping', error: null });
    const r = await api().stopBridge();
    if (!r.ok) {
      set({ phase: 'running', error: r.error });
      return false;
    }
    const snap = get().snapshot;
    const stopped = snap ? { ...snap, running: false, legs: snap.legs.map((l) => ({ ...l, state: 'stopped' as const })) } : null;
    set({
      phase: 'idle',
      ghosts: [],
      startedAt: null,
      knownIdle: true,
      dataPlaneRun: null,
      snapshot: stopped,
      // Nothing flows any more: every rate reads 0 (the chart keeps its history).
      rates: stopped ? computeRates(null, stopped) : null,
      events: appendLog(get().events, { time: Date.now(), level: 'info', text: 'Bridge stopped' }),
    });
    return true;
  },

  async sync() {
    const r = await api().bridgeStatus();
    if (!r.ok) return;
    const phase = get().phase;
    if (r.value && r.value.running) {
      if (phase === 'idle' || phase === 'running') {
        set({ phase: 'running' });
        get().ingest(r.value);
      }
    } else {
      set({
        knownIdle: true,
        ...(phase === 'running' ? { phase: 'idle' as const, snapshot: r.value, rates: r.value ? computeRates(null, r.value) : null, ghosts: [], dataPlaneRun: null } : {}),
      });
    }
  },

  clearError: () => set({ error: null }),
  clearDataPlane: () => set({ dataPlane: null }),

  async refreshDataPlaneRun() {
    const r = await api().runningSetup();
    if (r.ok && get().phase === 'running') set({ dataPlaneRun: r.value?.dataPlane ?? null });
  },
}));

export function resetBridge(): void {
  useBridge.setState({ ...INITIAL });
}

/** Whether a peer is highlighted as new at snapshot time `now`: only a peer the bridge
 *  learned (configured ones were always there), and only while the bridge runs. */
export function isNewPeer(p: PeerSnapshot, now: number, running = true): boolean {
  return running && p.origin === 'learned' && p.firstSeen > 0 && now - p.firstSeen < NEW_PEER_MS;
}

/** Whether the numbers on screen are live: the bridge runs and the snapshot is a running one. */
export function isLive(s: Pick<BridgeStore, 'phase' | 'snapshot'>): boolean {
  return s.phase === 'running' && s.snapshot?.running === true;
}

/** 0 (fresh) .. 1 (about to age out) for learned peers; 0 for configured ones. */
export function peerAgeing(p: PeerSnapshot, now: number): number {
  if (p.origin !== 'learned' || !p.lastSeen) return 0;
  return Math.min(1, Math.max(0, (now - p.lastSeen) / PEER_AGEING_MS));
}
