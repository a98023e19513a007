// Peers (learned live, highlighted when new, fading as they age, struck through
// when expired), MAC table and event log, as tabs over windowed tables.

import { useEffect, useMemo, useState, type CSSProperties, type ReactElement } from 'react';
import type { LegSnapshot, MacSnapshot, PeerSnapshot } from '../../../electron/model/snapshot.js';
import { formatAgo, formatBitRate, formatBytes, formatClock, formatCount, formatPps } from '../../../electron/model/format.js';
import { peerKey, ZERO_RATE, type Rate } from '../lib/rates.js';
import { MAC_AGEING_MS } from '../../../electron/model/defaults.js';
import { isLive, isNewPeer, NEW_PEER_MS, peerAgeing, useBridge, type LogEntry } from '../stores/bridge-store.js';
import { IconAlert, IconX } from './icons.js';
import { Badge, EmptyState } from './ui.js';
import { VirtualTable, type Column } from './VirtualTable.js';
import { useElementSize } from '../lib/use-size.js';

/** Narrower than this, the peer table leaves out the Leg and First seen columns (the Leg goes
 *  under the address, the first sighting into the Last seen tooltip): every column that stays
 *  fits a 1024-px window, where all nine would not. */
export const PEERS_COMPACT_BELOW_PX = 900;

/** The compact table's columns and their tracks (cells padded 8 px, not 12): 620 px at least. */
const COMPACT_WIDTHS: Readonly<Record<string, string>> = {
  status: '72px',
  address: 'minmax(136px, 1fr)',
  verified: '104px',
  last: '116px',
  rate: 'minmax(100px, 1fr)',
  total: 'minmax(92px, 1fr)',
};

export interface PeerRow {
  readonly key: string;
  readonly peer: PeerSnapshot;
  readonly rate: Rate;
  /** Set for a peer that has just expired (snapshot time it went away). */
  readonly expiredAt?: number;
}

type PeerStatus = 'new' | 'active' | 'idle' | 'expiring' | 'expired' | 'stopped';

/** `live` false: the bridge is stopped, nothing is new, active or ageing any more. */
export function peerStatus(r: PeerRow, now: number, live = true): PeerStatus {
  if (r.expiredAt !== undefined) return 'expired';
  if (!live) return 'stopped';
  if (isNewPeer(r.peer, now)) return 'new';
  const ageing = peerAgeing(r.peer, now);
  if (ageing > 0.75) return 'expiring';
  if (r.rate.rxPps + r.rate.txPps > 0 || now - r.peer.lastSeen < 5000) return 'active';
  return 'idle';
}

const STATUS_LABEL: Record<PeerStatus, string> = { new: 'new', active: 'active', idle: 'idle', expiring: 'expiring', expired: 'expired', stopped: 'stopped' };

/** Whether a peer is trusted, and why: configured in the leg, or learned and proved itself (confirmed), or not yet. */
export type PeerTrust = 'configured' | 'confirmed' | 'unverified';

export function peerTrust(p: PeerSnapshot): PeerTrust {
  if (p.origin === 'configured') return 'configured';
  return p.verified ? 'confirmed' : 'unverified';
}

const TRUST_TEXT: Record<PeerTrust, { label: string; title: string }> = {
  configured: { label: 'configured', title: 'Verified: listed in the leg, trusted from the start' },
  confirmed: {
    label: 'confirmed',
    title: 'Verified: learned, and proved itself (authenticated with the key and confirmed its session, or answered a cookie at its address)',
  },
  unverified: {
    label: 'unverified',
    title: 'Not verified: learned from a sender that has not proved itself yet. Its MAC addresses are the first to go when the table is full.',
  },
};

const TRUST_ORDER: Record<PeerTrust, number> = { unverified: 0, confirmed: 1, configured: 2 };

/** How many hex digits of a session id the table shows (the full id is in the tooltip). */
export const SESSION_SHOWN = 8;

/** Two small lines in the 30 px row: verified or not, then the session of keyed legs. */
const TRUST_CELL_STYLE: CSSProperties = { display: 'inline-flex', flexDirection: 'column', justifyContent: 'center', lineHeight: 1.15, minWidth: 0 };
const TRUST_OK_STYLE: CSSProperties = { color: 'var(--ok)', fontWeight: 600, fontSize: 11.5 };
const SESSION_STYLE: CSSProperties = { fontSize: 10.5 };

function TrustCell({ peer, keyed }: { peer: PeerSnapshot; keyed: boolean }): ReactElement {
  const trust = peerTrust(peer);
  const t = TRUST_TEXT[trust];
  return (
    <span className="trust-cell" style={TRUST_CELL_STYLE}>
      {trust === 'unverified' ? (
        <Badge tone="warn" title={t.title}>
          {t.label}
        </Badge>
      ) : (
        <span className="trust" style={TRUST_OK_STYLE} title={t.title}>
          ✓ {t.label}
        </span>
      )}
      {peer.session !== undefined ? (
        <span
          className="mono muted session"
          style={SESSION_STYLE}
          title={`Session ${peer.session}: this VTEP's random id for its current run (changes when it restarts; not secret)`}
        >
          {peer.session.slice(0, SESSION_SHOWN)}
        </span>
      ) : keyed && trust !== 'unverified' ? (
        <span className="muted session" style={SESSION_STYLE} title="Keyed leg: no confirmed session from this VTEP yet (no authenticated packet)">
          no session
        </span>
      ) : null}
    </span>
  );
}

function legName(legs: readonly LegSnapshot[], id: number): string {
  const l = legs.find((x) => x.id === id);
  return l ? `L${id + 1} · ${l.kind} ${l.segment}` : `L${id + 1}`;
}

function AgeBar({ fraction, tone }: { fraction: number; tone?: 'warn' | 'err' }): ReactElement {
  return (
    <span className={`agebar${tone ? ` ${tone}` : ''}`} aria-hidden="true">
      <span style={{ width: `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%` }} />
    </span>
  );
}

/** Receive over send in one cell (two small lines), packets per second in the tooltip:
 *  one column instead of two keeps every column of the peer table in a 1366-px window. */
function rxTxRateCell(rx: { bps: number; pps: number }, tx: { bps: number; pps: number }): ReactElement {
  return (
    <span className="pair-cell" title={`Receive ${formatPps(rx.pps)}, send ${formatPps(tx.pps)}`}>
      <span className={rx.bps > 0 ? 'num' : 'num zero'}>
        <span className="rx-text">↓</span> {formatBitRate(rx.bps)}
      </span>{' '}
      <span className={tx.bps > 0 ? 'num' : 'num zero'}>
        <span className="tx-text">↑</span> {formatBitRate(tx.bps)}
      </span>
    </span>
  );
}

export function PeersTable({
  rows,
  legs,
  now,
  height,
  live = true,
  compact = false,
}: {
  rows: readonly PeerRow[];
  legs: readonly LegSnapshot[];
  now: number;
  height: number;
  /** False once the bridge stopped: no "new" highlight, no ageing, rates 0. */
  live?: boolean;
  /** A narrow table: no Leg and First seen columns (see PEERS_COMPACT_BELOW_PX). */
  compact?: boolean;
}): ReactElement {
  const columns = useMemo<Column<PeerRow>[]>(
    () => [
      {
        id: 'status',
        header: 'Status',
        width: '84px',
        cell: (r) => {
          const s = peerStatus(r, now, live);
          return <span className={`status-dot s-${s}`}>{STATUS_LABEL[s]}</span>;
        },
        sort: (a, b) => a.peer.lastSeen - b.peer.lastSeen,
      },
      {
        id: 'address',
        header: 'Remote VTEP',
        width: 'minmax(150px, 1.3fr)',
        cell: (r) =>
          compact ? (
            <span className="pair-cell addr-leg" title={`${r.peer.address} on ${legName(legs, r.peer.leg)}`}>
              <span className="mono">{r.peer.address}</span> <span className="muted">{legName(legs, r.peer.leg)}</span>
            </span>
          ) : (
            <span className="addr" title={r.peer.address}>
              <span className="mono">{r.peer.address}</span>
            </span>
          ),
        sort: (a, b) => compareAddress(a.peer.address, b.peer.address),
      },
      {
        id: 'verified',
        header: 'Verified',
        width: '112px',
        title: 'Configured in the leg, or learned and proved itself (confirmed); keyed legs: the session id of the VTEP’s current run',
        cell: (r) => <TrustCell peer={r.peer} keyed={legs.find((l) => l.id === r.peer.leg)?.encrypted === true} />,
        sort: (a, b) => TRUST_ORDER[peerTrust(a.peer)] - TRUST_ORDER[peerTrust(b.peer)],
      },
      { id: 'leg', header: 'Leg', width: '96px', cell: (r) => <span className="muted">{legName(legs, r.peer.leg)}</span>, sort: (a, b) => a.peer.leg - b.peer.leg },
      {
        id: 'first',
        header: 'First seen',
        width: '112px',
        cell: (r) => <span title={r.peer.firstSeen ? formatClock(r.peer.firstSeen) : undefined}>{formatAgo(r.peer.firstSeen, now)}</span>,
        sort: (a, b) => a.peer.firstSeen - b.peer.firstSeen,
      },
      {
        id: 'last',
        header: 'Last seen',
        width: '128px',
        title: 'Learned VTEPs age out after 5 minutes without traffic',
        cell: (r) => {
          if (r.expiredAt !== undefined) return <span className="err-text">expired</span>;
          const f = peerAgeing(r.peer, now);
          return (
            <span className="last-seen" title={compact ? `First seen ${formatAgo(r.peer.firstSeen, now)}` : undefined}>
              <span>{formatAgo(r.peer.lastSeen, now)}</span>
              {live && r.peer.origin === 'learned' && <AgeBar fraction={1 - f} tone={f > 0.75 ? 'err' : f > 0.4 ? 'warn' : undefined} />}
            </span>
          );
        },
        sort: (a, b) => a.peer.lastSeen - b.peer.lastSeen,
      },
      {
        id: 'rate',
        header: 'Rate',
        width: 'minmax(104px, 1fr)',
        align: 'right',
        title: 'Receive ↓ and send ↑ now, bit/s (packets per second in the tooltip of each cell)',
        cell: (r) =>
          live ? rxTxRateCell({ bps: r.rate.rxBps, pps: r.rate.rxPps }, { bps: r.rate.txBps, pps: r.rate.txPps }) : rxTxRateCell({ bps: 0, pps: 0 }, { bps: 0, pps: 0 }),
        sort: (a, b) => a.rate.rxBps + a.rate.txBps - (b.rate.rxBps + b.rate.txBps),
      },
      {
        id: 'total',
        header: 'Traffic',
        width: 'minmax(104px, 1fr)',
        align: 'right',
        title: 'Bytes received ↓ and sent ↑ since the peer was first seen',
        cell: (r) => (
          <span className="pair-cell">
            <span className="num">
              <span className="rx-text">↓</span> {formatBytes(r.peer.rxBytes)}
            </span>{' '}
            <span className="num">
              <span className="tx-text">↑</span> {formatBytes(r.peer.txBytes)}
            </span>
          </span>
        ),
        sort: (a, b) => a.peer.rxBytes + a.peer.txBytes - (b.peer.rxBytes + b.peer.txBytes),
      },
    ],
    [legs, now, live, compact],
  );
  const shown = compact ? columns.filter((c) => COMPACT_WIDTHS[c.id] !== undefined).map((c) => ({ ...c, width: COMPACT_WIDTHS[c.id]! })) : columns;
  return (
    <VirtualTable
      // Remounted when the columns change, so the default sort fits them.
      key={compact ? 'compact' : 'wide'}
      className={compact ? 'compact' : undefined}
      label="Remote VTEPs"
      rows={rows}
      columns={shown}
      rowKey={(r) => (r.expiredAt !== undefined ? `x${r.key}` : r.key)}
      rowClass={(r) => `peer-${peerStatus(r, now, live)}${peerTrust(r.peer) === 'unverified' ? ' peer-unverified' : ''}`}
      rowStyle={(r) =>
        isNewPeer(r.peer, now, live) && r.expiredAt === undefined ? ({ '--fresh': (1 - (now - r.peer.firstSeen) / NEW_PEER_MS).toFixed(2) } as CSSProperties) : undefined
      }
      height={height}
      defaultSort={compact ? { id: 'last', dir: 'desc' } : { id: 'first', dir: 'desc' }}
      empty={<EmptyState title="No remote VTEPs yet">Peers appear here as they are configured or learned.</EmptyState>}
    />
  );
}

export function MacTable({ macs, legs, height }: { macs: readonly MacSnapshot[]; legs: readonly LegSnapshot[]; height: number }): ReactElement {
  const columns = useMemo<Column<MacSnapshot>[]>(
    () => [
      { id: 'mac', header: 'MAC address', width: 'minmax(150px, 1fr)', cell: (m) => <span className="mono">{m.mac}</span>, sort: (a, b) => a.mac.localeCompare(b.mac) },
      { id: 'segment', header: 'Segment', width: '90px', align: 'right', cell: (m) => <span className="num">{m.segment}</span>, sort: (a, b) => a.segment - b.segment },
      { id: 'leg', header: 'Leg', width: '120px', cell: (m) => <span className="muted">{legName(legs, m.leg)}</span>, sort: (a, b) => a.leg - b.leg },
      {
        id: 'peer',
        header: 'Behind VTEP',
        width: 'minmax(150px, 1fr)',
        cell: (m) => (m.peer ? <span className="mono">{m.peer}</span> : <span className="muted">local</span>),
        sort: (a, b) => (a.peer ?? '').localeCompare(b.peer ?? ''),
      },
      {
        id: 'age',
        header: 'Age',
        width: '150px',
        title: `MAC entries age out after ${MAC_AGEING_MS / 1000} s without traffic`,
        cell: (m) => (
          <span className="last-seen">
            <span className="num">{m.ageSeconds < 1 ? 'just now' : `${formatCount(m.ageSeconds)} s`}</span>
            <AgeBar fraction={1 - m.ageSeconds / (MAC_AGEING_MS / 1000)} tone={m.ageSeconds > 225 ? 'err' : m.ageSeconds > 120 ? 'warn' : undefined} />
          </span>
        ),
        sort: (a, b) => a.ageSeconds - b.ageSeconds,
      },
    ],
    [legs],
  );
  return (
    <VirtualTable
      label="MAC table"
      rows={macs}
      columns={columns}
      rowKey={(m) => `${m.segment}|${m.mac}`}
      height={height}
      defaultSort={{ id: 'age', dir: 'asc' }}
      empty={<EmptyState title="No MAC addresses learned">Entries appear as frames cross the bridge.</EmptyState>}
    />
  );
}

function EventsList({ events, height }: { events: readonly LogEntry[]; height: number }): ReactElement {
  const rows = useMemo(() => [...events].reverse(), [events]);
  const columns = useMemo<Column<LogEntry>[]>(
    () => [
      { id: 'time', header: 'Time', width: '84px', cell: (e) => <span className="num muted">{formatClock(e.time)}</span> },
      {
        id: 'level',
        header: '',
        width: '28px',
        cell: (e) =>
          e.level === 'error' ? <IconX size={14} className="err-text" /> : e.level === 'warn' ? <IconAlert size={14} className="warn-text" /> : <span className="dot-info" />,
      },
      {
        id: 'text',
        header: 'Event',
        width: '1fr',
        cell: (e) => (
          <span className={`event-${e.level}`} title={e.text}>
            {e.text}
          </span>
        ),
      },
    ],
    [],
  );
  return (
    <VirtualTable
      label="Events"
      rows={rows}
      columns={columns}
      rowKey={(e) => String(e.id)}
      height={height}
      empty={<EmptyState title="No events yet">Leg state changes, learned and expired VTEPs and warnings show up here.</EmptyState>}
    />
  );
}

type Tab = 'peers' | 'macs' | 'events';

export function LiveTables({ height = 360 }: { height?: number }): ReactElement {
  const snapshot = useBridge((s) => s.snapshot);
  const rates = useBridge((s) => s.rates);
  const ghosts = useBridge((s) => s.ghosts);
  const events = useBridge((s) => s.events);
  const [tab, setTab] = useState<Tab>('peers');
  // Where layout is unknown (jsdom), the wide table.
  const [sizeRef, size] = useElementSize<HTMLElement>({ width: PEERS_COMPACT_BELOW_PX, height: 0 });
  const [filter, setFilter] = useState('');
  const live = useBridge(isLive);
  // Live: the snapshot's own clock. Stopped: the wall clock moves on ("last seen 2 min ago").
  const wall = useWallClock(!live);
  const now = live ? (snapshot?.time ?? Date.now()) : Math.max(snapshot?.time ?? 0, wall);
  const legs = snapshot?.legs ?? [];

  const peerRows = useMemo<PeerRow[]>(() => {
    if (!snapshot) return [];
    const out: PeerRow[] = snapshot.peers.map((p) => {
      const key = peerKey(p.leg, p.address);
      return { key, peer: p, rate: rates?.peers.get(key) ?? ZERO_RATE };
    });
    for (const g of ghosts) out.push({ key: peerKey(g.peer.leg, g.peer.address), peer: g.peer, rate: ZERO_RATE, expiredAt: g.expiredAt });
    return out;
  }, [snapshot, rates, ghosts]);

  const q = filter.trim().toLowerCase();
  const shownPeers = q
    ? peerRows.filter(
        (r) => r.peer.address.includes(q) || `l${r.peer.leg + 1}` === q || (r.peer.session?.startsWith(q) ?? false) || (q === 'unverified' && peerTrust(r.peer) === 'unverified'),
      )
    : peerRows;
  const macs = snapshot?.macs ?? [];
  const shownMacs = q ? macs.filter((m) => m.mac.includes(q) || (m.peer ?? '').includes(q)) : macs;
  const learnedNew = snapshot ? snapshot.peers.filter((p) => isNewPeer(p, now, live)).length : 0;
  const warnCount = events.filter((e) => e.level !== 'info').length;

  return (
    <section className="card live-tables" ref={sizeRef}>
      <header className="card-head tabs-head">
        <div className="tabs" role="tablist" aria-label="Live tables">
          <button role="tab" aria-selected={tab === 'peers'} className={tab === 'peers' ? 'on' : ''} onClick={() => setTab('peers')}>
            Remote VTEPs <span className="tab-count">{formatCount(snapshot?.peerCount ?? 0)}</span>
            {learnedNew > 0 && <Badge tone="accent">+{learnedNew} new</Badge>}
          </button>
          <button role="tab" aria-selected={tab === 'macs'} className={tab === 'macs' ? 'on' : ''} onClick={() => setTab('macs')}>
            MAC table <span className="tab-count">{formatCount(snapshot?.macCount ?? macs.length)}</span>
          </button>
          <button role="tab" aria-selected={tab === 'events'} className={tab === 'events' ? 'on' : ''} onClick={() => setTab('events')}>
            Events <span className="tab-count">{formatCount(events.length)}</span>
            {warnCount > 0 && <Badge tone="warn">{warnCount}</Badge>}
          </button>
        </div>
        {tab !== 'events' && (
          <input
            className="input filter"
            type="search"
            placeholder={tab === 'peers' ? 'Filter by address or session…' : 'Filter by MAC or VTEP…'}
            aria-label="Filter"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </header>
      <div className="tab-body" role="tabpanel">
        {tab === 'peers' && <PeersTable rows={shownPeers} legs={legs} now={now} height={height} live={live} compact={size.width < PEERS_COMPACT_BELOW_PX} />}
        {tab === 'macs' && <MacTable macs={shownMacs} legs={legs} height={height} />}
        {tab === 'events' && <EventsList events={events} height={height} />}
      </div>
    </section>
  );
}

/** Date.now(), refreshed every few seconds while `active`. */
function useWallClock(active: boolean, ms = 5000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}

/** Numeric order for IPv4:port strings. */
export function compareAddress(a: string, b: string): number {
  const key = (s: string) => {
    const [ip = '', port = '0'] = s.split(':');
    return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0) * 65536 + Number(port);
  };
  return key(a) - key(b);
}
