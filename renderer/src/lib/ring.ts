// Bounded history for the live charts: a point is appended per snapshot,
// the oldest drop off by count and by age. Immutable (a new array each time)
// so React/zustand see the change; capacities are small (hundreds).

export interface HistoryPoint {
  /** ms since epoch */
  readonly t: number;
  /** bit/s */
  readonly rx: number;
  readonly tx: number;
}

export interface RingBounds {
  readonly capacity: number;
  /** Points older than `newest.t - maxAgeMs` are dropped. */
  readonly maxAgeMs: number;
}

export function pushBounded<T extends { readonly t: number }>(list: readonly T[], item: T, bounds: RingBounds): T[] {
  const oldest = item.t - bounds.maxAgeMs;
  let start = Math.max(0, list.length + 1 - bounds.capacity);
  while (start < list.length && list[start]!.t < oldest) start++;
  // A point from the past (clock jump, restarted host) would fold the chart: start over.
  const last = list[list.length - 1];
  if (last && item.t <= last.t) return [item];
  const out = list.slice(start);
  out.push(item);
  return out;
}
