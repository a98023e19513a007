// "Nice numbers" for chart axes: steps of 1, 2 or 5 × 10^n, so that ticks read
// 0, 5 k, 10 k, 15 k and never 12.5 k or 38 k.

const SI = ['', 'k', 'M', 'G', 'T'] as const;
const STEPS = [1, 2, 5] as const;

export interface NiceScale {
  /** Top of the axis: a whole number of steps, at or above the data. */
  readonly max: number;
  readonly step: number;
  /** 0, step, 2·step … max. */
  readonly ticks: readonly number[];
}

/** The smallest 1-2-5 step that covers `top` in at most `maxIntervals` steps. */
export function niceStep(top: number, maxIntervals = 5): number {
  if (!(top > 0) || !Number.isFinite(top)) return 1;
  let exp = Math.pow(10, Math.floor(Math.log10(top / maxIntervals)));
  for (;;) {
    for (const m of STEPS) {
      const step = m * exp;
      if (Math.ceil(top / step - 1e-9) <= maxIntervals) return step;
    }
    exp *= 10;
  }
}

/** Axis from 0 to a round value at or above `peak` (at least `minMax`), with 1-2-5 ticks. */
export function niceScale(peak: number, { minMax = 1000, maxIntervals = 5 }: { minMax?: number; maxIntervals?: number } = {}): NiceScale {
  const top = Math.max(minMax, Number.isFinite(peak) ? peak : 0);
  const step = niceStep(top, maxIntervals);
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  const ticks: number[] = [];
  for (let i = 0; i <= n; i++) ticks.push(round(i * step));
  return { max: round(n * step), step, ticks };
}

/** Float noise off (0.1 + 0.2 → 0.3). */
function round(v: number): number {
  return Number(v.toPrecision(12));
}

/** An axis label for a bit rate, with its unit and no needless digits: "0", "500 bit/s", "15 kbit/s", "1.5 Mbit/s". */
export function formatAxisBitRate(bitsPerSecond: number): string {
  if (!(bitsPerSecond > 0) || !Number.isFinite(bitsPerSecond)) return '0';
  let v = bitsPerSecond;
  let i = 0;
  while (v >= 1000 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return `${round(Number(v.toFixed(3)))} ${SI[i]}bit/s`;
}
