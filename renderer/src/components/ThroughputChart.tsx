// Live throughput: every leg as its own line (in + out), or one leg's receive
// and send. A hand-made SVG chart: 1-2-5 ticks in bit/s, hover read-out.

import { useMemo, useState, type ReactElement } from 'react';
import { formatBitRate } from '../../../electron/model/format.js';
import type { HistoryPoint } from '../lib/ring.js';
import { formatAxisBitRate, niceScale } from '../lib/scale.js';
import { useElementSize } from '../lib/use-size.js';
import { isLive, useBridge } from '../stores/bridge-store.js';

const PAD = { left: 74, right: 14, top: 10, bottom: 22 };
const WINDOWS = [60, 120] as const;
const PALETTE = 6;

interface Series {
  readonly id: string;
  readonly label: string;
  readonly cls: string;
  readonly area: boolean;
  readonly points: readonly { t: number; v: number }[];
}

export function ThroughputChart({ height = 212 }: { height?: number }): ReactElement {
  const legHistory = useBridge((s) => s.legHistory);
  const history = useBridge((s) => s.history);
  const legs = useBridge((s) => s.snapshot?.legs);
  const live = useBridge(isLive);
  const [choice, setChoice] = useState<'all' | number>('all');
  const [windowS, setWindowS] = useState<(typeof WINDOWS)[number]>(60);
  const [hoverX, setHoverX] = useState<number | null>(null);
  const [ref, size] = useElementSize<HTMLDivElement>({ width: 640, height });

  const legList = legs ?? [];
  const one = choice !== 'all' && legList.some((l) => l.id === choice) ? choice : 'all';
  const end = history.length > 0 ? history[history.length - 1]!.t : Date.now();
  const start = end - windowS * 1000;
  const clip = (ps: readonly HistoryPoint[]) => ps.filter((p) => p.t >= start - 1000);

  const series = useMemo<Series[]>(() => {
    if (one === 'all') {
      return legList.map((l, i) => ({
        id: String(l.id),
        label: `Leg ${l.id + 1}`,
        cls: `c${i % PALETTE}`,
        area: false,
        points: clip(legHistory[l.id] ?? []).map((p) => ({ t: p.t, v: p.rx + p.tx })),
      }));
    }
    const ps = clip(legHistory[one] ?? []);
    return [
      { id: 'rx', label: 'Receive', cls: 'rx', area: true, points: ps.map((p) => ({ t: p.t, v: p.rx })) },
      { id: 'tx', label: 'Send', cls: 'tx', area: false, points: ps.map((p) => ({ t: p.t, v: p.tx })) },
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [legHistory, legList, one, start]);

  const w = Math.max(240, size.width);
  const h = height;
  const plotW = w - PAD.left - PAD.right;
  const plotH = h - PAD.top - PAD.bottom;
  let peak = 0;
  for (const s of series) for (const p of s.points) peak = Math.max(peak, p.v);
  const scale = niceScale(peak * 1.05);
  const max = scale.max;
  const x = (t: number) => PAD.left + ((t - start) / (windowS * 1000)) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const path = (ps: Series['points']) => ps.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join('');
  const yTicks = scale.ticks;
  const xStep = windowS <= 60 ? 15 : 30;
  const xTicks: number[] = [];
  for (let s = 0; s <= windowS; s += xStep) xTicks.push(s);

  const hoverT = hoverX === null ? null : start + ((hoverX - PAD.left) / plotW) * windowS * 1000;
  const hovered = hoverT === null ? null : series.map((s) => nearest(s.points, hoverT));
  const hoverAt = hovered?.find((p) => p !== null)?.t ?? null;
  const empty = series.every((s) => s.points.length === 0);

  return (
    <section className="card chart-card">
      <header className="card-head">
        <div className="card-title">
          <h2>Throughput</h2>
          <span className="card-subtitle" title={one === 'all' ? 'Each line is one leg: received + sent' : undefined}>
            {one === 'all' ? 'per leg' : `leg ${one + 1}`}
          </span>
        </div>
        <div className="card-actions">
          <select className="input select-sm" aria-label="Chart series" value={String(one)} onChange={(e) => setChoice(e.target.value === 'all' ? 'all' : Number(e.target.value))}>
            <option value="all">All legs</option>
            {legList.map((l) => (
              <option key={l.id} value={l.id}>
                Leg {l.id + 1} ({l.kind} {l.segment})
              </option>
            ))}
          </select>
          <div className="segmented segmented-sm" role="radiogroup" aria-label="Time window">
            {WINDOWS.map((s) => (
              <button key={s} type="button" role="radio" aria-checked={windowS === s} className={windowS === s ? 'on' : ''} onClick={() => setWindowS(s)}>
                {s / 60} min
              </button>
            ))}
          </div>
        </div>
      </header>
      <div className="legend">
        {series.map((s, i) => {
          // The hover read-out is history; without it the legend is the current rate (nothing once stopped).
          const v = hovered ? (hovered[i]?.v ?? 0) : live ? (s.points[s.points.length - 1]?.v ?? 0) : null;
          return (
            <button
              key={s.id}
              type="button"
              className={`legend-item ${s.cls}`}
              onClick={() => one === 'all' && setChoice(Number(s.id))}
              disabled={one !== 'all'}
              title={one === 'all' ? `Show receive and send of ${s.label.toLowerCase()}` : undefined}
            >
              <i /> {s.label} <b className="num">{v === null ? '—' : formatBitRate(v)}</b>
            </button>
          );
        })}
        {one !== 'all' && (
          <button type="button" className="legend-back" onClick={() => setChoice('all')}>
            All legs
          </button>
        )}
        {hoverAt !== null ? (
          <span className="legend-peak num">{Math.round((end - hoverAt) / 1000)} s ago</span>
        ) : (
          live &&
          peak > 0 && (
            <span className="legend-peak num" title={`Highest rate in the last ${windowS} s`}>
              peak {formatBitRate(peak)}
            </span>
          )
        )}
      </div>
      <div className="chart" ref={ref} style={{ height }}>
        <svg
          width={w}
          height={h}
          viewBox={`0 0 ${w} ${h}`}
          role="img"
          aria-label={`Throughput over the last ${windowS} seconds`}
          onMouseMove={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            const px = e.clientX - r.left;
            setHoverX(px >= PAD.left && px <= w - PAD.right ? px : null);
          }}
          onMouseLeave={() => setHoverX(null)}
        >
          <defs>
            <linearGradient id="rx-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" className="rx-stop-top" />
              <stop offset="100%" className="rx-stop-bottom" />
            </linearGradient>
          </defs>
          {yTicks.map((v, i) => (
            <g key={i}>
              <line x1={PAD.left} x2={w - PAD.right} y1={y(v)} y2={y(v)} className={i === 0 ? 'axis' : 'grid'} />
              <text x={PAD.left - 8} y={y(v) + 4} className="tick" textAnchor="end">
                {formatAxisBitRate(v)}
              </text>
            </g>
          ))}
          {xTicks.map((s) => (
            <text key={s} x={x(end - s * 1000)} y={h - 5} className="tick" textAnchor={s === 0 ? 'end' : s === windowS ? 'start' : 'middle'}>
              {s === 0 ? 'now' : `−${s} s`}
            </text>
          ))}
          {series.map((s) => {
            const d = path(s.points);
            const f = s.points[0];
            const l = s.points[s.points.length - 1];
            return (
              <g key={s.id}>
                {s.area && f && l && <path d={`${d}L${x(l.t).toFixed(1)},${y(0)}L${x(f.t).toFixed(1)},${y(0)}Z`} fill="url(#rx-fill)" />}
                {d && <path d={d} className={`line ${s.cls}`} />}
              </g>
            );
          })}
          {empty && (
            <text x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} className="chart-empty" textAnchor="middle">
              {legList.length === 0 ? 'Start the bridge to see live traffic' : 'Waiting for traffic…'}
            </text>
          )}
          {hovered && hoverAt !== null && (
            <g className="hover">
              <line x1={x(hoverAt)} x2={x(hoverAt)} y1={PAD.top} y2={PAD.top + plotH} />
              {hovered.map((p, i) => p && <circle key={i} cx={x(p.t)} cy={y(p.v)} r={3.5} className={`dot ${series[i]!.cls}`} />)}
            </g>
          )}
        </svg>
      </div>
    </section>
  );
}

function nearest<P extends { t: number }>(points: readonly P[], t: number): P | null {
  let best: P | null = null;
  for (const p of points) if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) best = p;
  return best;
}
