// A live picture of the bridge: adapter ↔ segment ↔ tunnel legs ↔ remote VTEPs.
// Edges carry traffic animation when packets flow; new peers glow.

import { useMemo, type ReactElement } from 'react';
import { parseLeg } from '../../../electron/model/leg-grammar.js';
import { vxlanPort, type LegSpec } from '../../../electron/model/leg-spec.js';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import type { LegState, PeerSnapshot } from '../../../electron/model/snapshot.js';
import { formatBitRate } from '../../../electron/model/format.js';
import { legProblem } from '../lib/leg-form.js';
import { findNic } from '../lib/nic.js';
import { fitText, layoutColumns, textWidth } from '../lib/picture-layout.js';
import { peerKey, ZERO_RATE, type Rate } from '../lib/rates.js';
import { isNewPeer, useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { useElementSize } from '../lib/use-size.js';
import { checkDraft, useDrafts } from '../stores/draft-store.js';
import { EmptyState } from './ui.js';
import { assertNever } from '../../../electron/model/assert-never.js';

const ROW = 34;
const MAX_PEERS = 5;

interface PicLeg {
  readonly id: number;
  readonly segment: number;
  readonly spec: LegSpec | null;
  /** Why there is no spec: a field still empty, or a wrong value. */
  readonly problem: 'incomplete' | 'invalid' | null;
  readonly text: string;
  readonly state: LegState | 'ready';
  readonly rate: Rate;
  readonly peers: readonly { address: string; isNew: boolean; rate: Rate; origin: PeerSnapshot['origin'] }[];
  readonly morePeers: number;
}

interface PicSegment {
  readonly segment: number;
  readonly nicLegs: PicLeg[];
  readonly tunnelLegs: PicLeg[];
}

/** Font sizes of the node texts (app.css .node-kind, .node-sub, .node-text). */
const FONT = { kind: 11.5, sub: 10.5, name: 11.5, nicTag: 10, peer: 11, more: 11 } as const;
/** Padding inside a box: text starts 10 px in, and keeps 10 px from the right edge. */
const BOX_PAD = 20;

function tunnelLabel(spec: LegSpec | null, text: string, problem: PicLeg['problem']): [string, string] {
  if (!spec) return [problem === 'invalid' ? 'invalid' : 'incomplete', text];
  switch (spec.kind) {
    case 'W':
      return ['Adapter', spec.nic ?? '?'];
    case 'U':
      return ['UDP', `${spec.localAddress}:${spec.localPort}`];
    case 'V': {
      const mode = spec.remote.mode === 'unicast' ? (spec.remote.peers.length > 1 ? 'HER' : 'unicast') : spec.remote.mode;
      return [`VXLAN ${mode}`, spec.local === '*' ? 'any address' : `${spec.local}:${vxlanPort(spec)}`];
    }
    default:
      return assertNever(spec, 'leg kind');
  }
}

/** What the peer column says for a leg without peers. */
function emptyPeers(l: PicLeg): string {
  return l.spec?.kind === 'V' && l.spec.remote.mode === 'provider' ? 'waiting for VTEPs…' : '—';
}

function configuredPeers(spec: LegSpec | null): string[] {
  if (!spec) return [];
  if (spec.kind === 'U') return [`${spec.remoteAddress}:${spec.remotePort}`];
  if (spec.kind !== 'V') return [];
  const port = spec.port ?? 4789;
  const r = spec.remote;
  if (r.mode === 'unicast') return r.peers.map((p) => `${p}:${port}`);
  if (r.mode === 'multicast') return [`${r.group}:${port}`];
  if (r.mode === 'access') return [`${r.provider}:${port}`];
  return [];
}

function edgeWidth(r: Rate): number {
  const bps = r.rxBps + r.txBps;
  return bps <= 0 ? 1.5 : Math.min(6, 1.5 + Math.log10(1 + bps / 1000) * 0.9);
}

function active(r: Rate): boolean {
  return r.rxPps + r.txPps > 0;
}

function curve(x1: number, y1: number, x2: number, y2: number): string {
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

export function BridgePicture(): ReactElement {
  const snapshot = useBridge((s) => s.snapshot);
  const rates = useBridge((s) => s.rates);
  const phase = useBridge((s) => s.phase);
  const drafts = useDrafts((s) => s.legs);
  const nics = useConnection((s) => s.nics);
  const [boxRef, size] = useElementSize<HTMLDivElement>({ width: 600, height: 200 });

  const segments = useMemo<PicSegment[]>(() => {
    const legs: PicLeg[] = [];
    if (snapshot && (snapshot.running || phase !== 'idle')) {
      const byLeg = new Map<number, PeerSnapshot[]>();
      for (const p of snapshot.peers) {
        const a = byLeg.get(p.leg) ?? [];
        a.push(p);
        byLeg.set(p.leg, a);
      }
      for (const l of snapshot.legs) {
        const r = parseLeg(l.leg);
        const live = snapshot.running;
        // New peers first (they glow), then the busiest.
        const busy = (p: PeerSnapshot) => {
          const r = rates?.peers.get(peerKey(p.leg, p.address));
          return r ? r.rxBps + r.txBps : 0;
        };
        const ps = (byLeg.get(l.id) ?? []).slice().sort((a, b) => Number(isNewPeer(b, snapshot.time, live)) - Number(isNewPeer(a, snapshot.time, live)) || busy(b) - busy(a));
        legs.push({
          id: l.id,
          spec: r.ok ? r.spec : null,
          problem: r.ok ? null : 'invalid',
          segment: l.segment,
          text: l.leg,
          state: l.state,
          rate: rates?.legs.get(l.id) ?? ZERO_RATE,
          peers: ps.slice(0, MAX_PEERS).map((p) => ({
            address: p.address,
            origin: p.origin,
            isNew: isNewPeer(p, snapshot.time, live),
            rate: rates?.peers.get(peerKey(p.leg, p.address)) ?? ZERO_RATE,
          })),
          morePeers: Math.max(0, ps.length - MAX_PEERS),
        });
      }
    } else {
      drafts.forEach((d, i) => {
        const c = checkDraft(d);
        const spec = c.ok ? c.spec : null;
        const seg = Number(d.fields.segment);
        const peers = configuredPeers(spec);
        legs.push({
          id: i,
          spec,
          problem: legProblem(c),
          segment: spec ? spec.segment : Number.isInteger(seg) ? seg : -1,
          text: d.text,
          state: 'ready',
          rate: ZERO_RATE,
          peers: peers.slice(0, MAX_PEERS).map((address) => ({ address, origin: 'configured' as const, isNew: false, rate: ZERO_RATE })),
          morePeers: Math.max(0, peers.length - MAX_PEERS),
        });
      });
    }
    const bySeg = new Map<number, PicSegment>();
    for (const l of legs) {
      const seg = l.segment;
      let s = bySeg.get(seg);
      if (!s) bySeg.set(seg, (s = { segment: seg, nicLegs: [], tunnelLegs: [] }));
      (l.spec?.kind === 'W' || (!l.spec && drafts[l.id]?.fields.kind === 'W') ? s.nicLegs : s.tunnelLegs).push(l);
    }
    return [...bySeg.values()];
  }, [snapshot, rates, phase, drafts]);

  if (segments.length === 0) {
    return (
      <section className="card picture-card">
        <header className="card-head">
          <div className="card-title">
            <h2>Bridge</h2>
          </div>
        </header>
        <div ref={boxRef} />
        <EmptyState title="Nothing to draw yet">Add an adapter and a tunnel leg to see how they connect.</EmptyState>
      </section>
    );
  }

  // Layout in real pixels (text stays readable): four columns, each as wide as its
  // text (or cut with "…" when the card is narrow); the drawing is centred.
  const W = Math.max(420, size.width);
  const hubR = 21;
  const nicName = (l: PicLeg): string => {
    const nic: NicInfo | undefined = l.spec?.kind === 'W' && l.spec.nic ? findNic(nics, l.spec.nic) : undefined;
    return nic?.description ?? (l.spec?.kind === 'W' ? (l.spec.nic ?? 'adapter') : l.text);
  };
  const nicTag = textWidth('NIC ', FONT.nicTag, 'bold') + 2;
  let needNic = 0;
  let needLeg = 0;
  let needPeer = 0;
  for (const s of segments) {
    for (const l of s.nicLegs) needNic = Math.max(needNic, BOX_PAD + nicTag + textWidth(nicName(l), FONT.name, 'bold'));
    for (const l of s.tunnelLegs) {
      const [kind, where] = tunnelLabel(l.spec, l.text, l.problem);
      // A leg that does not parse shows its raw string: cut to the box, not the box widened to it.
      const whereW = l.spec ? textWidth(where, FONT.sub, 'mono') : 0;
      needLeg = Math.max(needLeg, BOX_PAD + textWidth(`L${l.id + 1} · ${kind}`, FONT.kind, 'bold'), BOX_PAD + whereW);
      for (const p of l.peers) needPeer = Math.max(needPeer, 24 + textWidth(p.address, FONT.peer, 'mono'));
      if (l.morePeers > 0) needPeer = Math.max(needPeer, 12 + textWidth(`+ ${l.morePeers} more`, FONT.more));
      if (l.peers.length === 0) needPeer = Math.max(needPeer, textWidth(emptyPeers(l), FONT.more));
    }
  }
  const { xNic, nicW, xHub, xLeg, legW, xPeer, peerW } = layoutColumns(W, { nic: needNic, leg: needLeg, peer: needPeer }, hubR);
  let y = 12;
  const bands = segments.map((s) => {
    const tunnelRows = s.tunnelLegs.map((l) => Math.max(1, l.peers.length + (l.morePeers > 0 ? 1 : 0)));
    const rows = Math.max(
      1,
      s.nicLegs.length,
      tunnelRows.reduce((a, b) => a + b, 0),
    );
    const top = y;
    const height = rows * ROW;
    y += height + 18;
    return { s, top, height, tunnelRows };
  });
  const H = y - 6;

  return (
    <section className="card picture-card">
      <header className="card-head">
        <div className="card-title">
          <h2>Bridge</h2>
          <span className="card-subtitle">
            {phase === 'idle' ? 'planned' : 'live'} · {segments.length} segment{segments.length === 1 ? '' : 's'}
          </span>
        </div>
      </header>
      <div className="picture">
        <div ref={boxRef} className="picture-measure" />
        <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label="Bridge topology">
          {bands.map(({ s, top, height, tunnelRows }) => {
            const hubY = top + height / 2;
            const nicTop = hubY - (s.nicLegs.length * ROW) / 2;
            let legRow = 0;
            return (
              <g key={s.segment}>
                {s.nicLegs.map((l, i) => {
                  const cy = nicTop + i * ROW + ROW / 2;
                  const name = nicName(l);
                  return (
                    <g key={l.id}>
                      <path d={curve(xNic + nicW, cy, xHub - hubR, hubY)} className={`edge${active(l.rate) ? ' active' : ''} st-${l.state}`} strokeWidth={edgeWidth(l.rate)} />
                      <g className={`node nic st-${l.state}`}>
                        <rect x={xNic} y={cy - 13} width={nicW} height={26} rx={6} />
                        <text x={xNic + 10} y={cy + 4} className="node-text">
                          <tspan className="node-kind">NIC </tspan>
                          {fitText(name, nicW - BOX_PAD - nicTag, FONT.name, 'bold')}
                        </text>
                        <title>{`${name}\n${formatBitRate(l.rate.rxBps)} in, ${formatBitRate(l.rate.txBps)} out`}</title>
                      </g>
                    </g>
                  );
                })}
                {s.tunnelLegs.map((l, i) => {
                  const rows = tunnelRows[i]!;
                  const legTop = top + legRow * ROW;
                  legRow += rows;
                  const cy = legTop + (rows * ROW) / 2;
                  const [kind, where] = tunnelLabel(l.spec, l.text, l.problem);
                  return (
                    <g key={l.id}>
                      <path d={curve(xHub + hubR, hubY, xLeg, cy)} className={`edge${active(l.rate) ? ' active' : ''} st-${l.state}`} strokeWidth={edgeWidth(l.rate)} />
                      <g className={`node leg st-${l.state}`}>
                        <rect x={xLeg} y={cy - 15} width={legW} height={30} rx={6} />
                        <text x={xLeg + 10} y={cy - 2} className="node-kind">
                          {fitText(`L${l.id + 1} · ${kind}`, legW - BOX_PAD, FONT.kind, 'bold')}
                        </text>
                        <text x={xLeg + 10} y={cy + 10} className="node-sub">
                          {fitText(where, legW - BOX_PAD, FONT.sub, 'mono')}
                        </text>
                        <title>{`L${l.id + 1} · ${kind}\n${l.text}`}</title>
                      </g>
                      {l.peers.map((p, j) => {
                        const py = legTop + j * ROW + ROW / 2;
                        return (
                          <g key={p.address}>
                            <path d={curve(xLeg + legW, cy, xPeer, py)} className={`edge thin${active(p.rate) ? ' active' : ''}`} strokeWidth={edgeWidth(p.rate) * 0.8} />
                            <g className={`node peer${p.isNew ? ' new' : ''}${p.origin === 'learned' ? ' learned' : ''}`}>
                              <rect x={xPeer} y={py - 11} width={peerW} height={22} rx={11} />
                              <text x={xPeer + 12} y={py + 4} className="node-text mono">
                                {fitText(p.address, peerW - 24, FONT.peer, 'mono')}
                              </text>
                              <title>{`${p.address} (${p.origin})\n${formatBitRate(p.rate.rxBps)} in, ${formatBitRate(p.rate.txBps)} out`}</title>
                            </g>
                          </g>
                        );
                      })}
                      {l.morePeers > 0 && (
                        <text x={xPeer + 12} y={legTop + l.peers.length * ROW + ROW / 2 + 4} className="node-more">
                          + {l.morePeers} more
                        </text>
                      )}
                      {l.peers.length === 0 && l.morePeers === 0 && (
                        <text x={xPeer} y={cy + 4} className="node-more">
                          {emptyPeers(l)}
                        </text>
                      )}
                    </g>
                  );
                })}
                <g className="node hub">
                  <circle cx={xHub} cy={hubY} r={hubR} />
                  <text x={xHub} y={hubY - 2} textAnchor="middle" className="hub-label">
                    seg
                  </text>
                  <text x={xHub} y={hubY + 10} textAnchor="middle" className="hub-num">
                    {s.segment < 0 ? '?' : s.segment}
                  </text>
                </g>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
