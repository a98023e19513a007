// ping from inside a namespace: loss and RTT parsed from iputils ping.

import { nsExec } from './exec.js';
import { waitUntil } from './wait.js';

export interface PingOptions {
  readonly count?: number;
  /** Seconds between pings (below 0.2 needs root, which the e2e tests have). */
  readonly intervalS?: number;
  /** Seconds to wait for the last reply. */
  readonly waitS?: number;
  /** `ping -p`: up to 16 bytes in hex that fill the echo payload. */
  readonly pattern?: string;
}

export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  readonly lossPct: number;
  /** ms; absent when nothing came back. */
  readonly rtt?: { readonly min: number; readonly avg: number; readonly max: number; readonly mdev: number };
  readonly output: string;
}

export async function ping(ns: string, dst: string, opts: PingOptions = {}): Promise<PingResult> {
  const count = opts.count ?? 5;
  const interval = opts.intervalS ?? 0.2;
  const waitS = opts.waitS ?? 2;
  const r = await nsExec(
    ns,
    'ping',
    ['-n', '-q', '-c', String(count), '-i', String(interval), '-W', String(waitS), ...(opts.pattern !== undefined ? ['-p', opts.pattern] : []), dst],
    // 1 = some replies missing: a result, not an error.
    { okCodes: [0, 1], timeoutMs: (count * interval + waitS) * 1000 + 10_000 },
  );
  return parsePing(r.stdout);
}

export function parsePing(output: string): PingResult {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (!m) throw new Error(`cannot parse ping output:\n${output}`);
  const transmitted = Number(m[1]);
  const received = Number(m[2]);
  const lossPct = transmitted === 0 ? 100 : ((transmitted - received) / transmitted) * 100;
  const r = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/([\d.]+) ms/.exec(output);
  const rtt = r ? { min: Number(r[1]), avg: Number(r[2]), max: Number(r[3]), mdev: Number(r[4]) } : undefined;
  return rtt ? { transmitted, received, lossPct, rtt, output } : { transmitted, received, lossPct, output };
}

/**
 * Pings once a try until a reply comes (the first try usually waits for ARP
 * and for the bridges to learn). Resolves with the time it took in ms.
 */
export async function waitForPing(ns: string, dst: string, opts: { timeoutMs?: number } = {}): Promise<number> {
  const t0 = Date.now();
  await waitUntil(async () => (await ping(ns, dst, { count: 1, waitS: 1 })).received === 1, {
    timeoutMs: opts.timeoutMs ?? 20_000,
    intervalMs: 50,
    what: `a ping reply from ${dst} in ${ns}`,
  });
  return Date.now() - t0;
}
