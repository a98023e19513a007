// Human-readable numbers with units. Rates use SI prefixes (network convention:
// 1 kbit/s = 1000 bit/s), byte totals use binary prefixes (KiB, MiB).

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return intFormat.format(Math.round(n));
}

/** Three significant digits, never exponent notation: 1.23, 12.3, 123. */
function sig3(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

const SI = ['', 'k', 'M', 'G', 'T'] as const;

/** Bits per second: "0 bit/s", "840 bit/s", "12.3 kbit/s", "1.24 Mbit/s". */
export function formatBitRate(bitsPerSecond: number): string {
  if (!Number.isFinite(bitsPerSecond) || bitsPerSecond <= 0) return '0 bit/s';
  let v = bitsPerSecond;
  let i = 0;
  while (v >= 999.5 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bit/s` : `${sig3(v)} ${SI[i]}bit/s`;
}

/** Packets per second: "0 pps", "12 pps", "1,234 pps", "12.3 kpps", "1.20 Mpps". */
export function formatPps(pps: number): string {
  if (!Number.isFinite(pps) || pps <= 0) return '0 pps';
  if (pps < 10) return `${pps < 0.05 ? '<0.1' : pps.toFixed(1)} pps`;
  if (pps < 10_000) return `${formatCount(pps)} pps`;
  if (pps < 999_500) return `${sig3(pps / 1000)} kpps`;
  return `${sig3(pps / 1e6)} Mpps`;
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Byte totals: "0 B", "512 B", "1.50 KiB", "23.4 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let v = bytes;
  let i = 0;
  while (v >= 1023.5 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${sig3(v)} ${IEC[i]}`;
}

/** Compact axis label for a bit rate: "0", "500 k", "1.5 M". */
export function formatBitRateShort(bitsPerSecond: number): string {
  if (bitsPerSecond <= 0) return '0';
  let v = bitsPerSecond;
  let i = 0;
  while (v >= 1000 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  const s = Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(1) : v.toFixed(0);
  return i === 0 ? s : `${s} ${SI[i]}`;
}

/** Elapsed time from `then` to `now` (ms since epoch): "just now", "3 s ago", "4 min ago". */
export function formatAgo(then: number, now: number): string {
  if (!then) return 'never';
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** A duration in seconds: "45 s", "5 min", "1 h 20 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** Local wall clock time "14:03:27" for tooltips and the events list. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "1 leg", "3 legs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
