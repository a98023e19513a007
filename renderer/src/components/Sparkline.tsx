// A tiny rx/tx chart for one leg.

import type { ReactElement } from 'react';
import type { HistoryPoint } from '../lib/ring.js';

export function sparkPath(values: readonly number[], w: number, h: number, max: number): string {
  if (values.length === 0) return '';
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(h - 1 - (max > 0 ? v / max : 0) * (h - 2)).toFixed(1)}`).join('');
}

export function Sparkline({
  points,
  width = 120,
  height = 28,
  windowPoints = 60,
}: {
  points: readonly HistoryPoint[];
  width?: number;
  height?: number;
  windowPoints?: number;
}): ReactElement {
  const pts = points.slice(-windowPoints);
  const max = Math.max(1, ...pts.map((p) => Math.max(p.rx, p.tx)));
  const rx = sparkPath(
    pts.map((p) => p.rx),
    width,
    height,
    max,
  );
  const tx = sparkPath(
    pts.map((p) => p.tx),
    width,
    height,
    max,
  );
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <line x1="0" x2={width} y1={height - 0.5} y2={height - 0.5} className="spark-base" />
      {rx && <path d={`${rx}L${width},${height}L0,${height}Z`} className="spark-rx-area" />}
      {rx && <path d={rx} className="spark-rx" />}
      {tx && <path d={tx} className="spark-tx" />}
    </svg>
  );
}
