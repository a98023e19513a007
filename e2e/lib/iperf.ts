// iperf3 server and client inside namespaces, JSON output.

import { Background } from './background.js';
import { nsExec } from './exec.js';
import { waitUntil } from './wait.js';

export const IPERF_PORT = 5201;

/** Waits until something listens on TCP `port` in `ns` (no sleeps). */
export async function waitForTcpListen(ns: string, port: number, timeoutMs = 10_000): Promise<void> {
  await waitUntil(async () => (await nsExec(ns, 'ss', ['-Hltn', `sport = :${port}`])).stdout.trim() !== '', {
    timeoutMs,
    what: `a TCP listener on port ${port} in ${ns}`,
  });
}

/** `iperf3 -s -1` (one test, then exit) bound to `bind`. */
export async function startIperfServer(ns: string, bind: string, port = IPERF_PORT): Promise<Background> {
  const srv = new Background(ns, 'iperf3', ['-s', '-1', '-J', '-B', bind, '-p', String(port)]);
  await waitForTcpListen(ns, port).catch((e: unknown) => {
    srv.kill();
    throw new Error(`${e instanceof Error ? e.message : String(e)}: ${srv.describe()}`);
  });
  return srv;
}

export interface IperfClientOptions {
  readonly seconds: number;
  readonly port?: number;
  readonly udp?: boolean;
  /** -b, e.g. '10M'; UDP default of iperf3 is 1 Mbit/s. */
  readonly bitrate?: string;
  /** -l, payload bytes. */
  readonly length?: number;
}

export interface IperfResult {
  readonly sentMbps: number;
  readonly receivedMbps: number;
  /** TCP only. */
  readonly retransmits?: number;
  /** UDP only. */
  readonly lostPercent?: number;
  readonly json: unknown;
}

export async function iperfClient(ns: string, server: string, opts: IperfClientOptions): Promise<IperfResult> {
  const args = ['-c', server, '-p', String(opts.port ?? IPERF_PORT), '-t', String(opts.seconds), '-J'];
  if (opts.udp) args.push('-u');
  if (opts.bitrate) args.push('-b', opts.bitrate);
  if (opts.length) args.push('-l', String(opts.length));
  // iperf3 exits 1 with a JSON "error" field when the test fails: report that.
  const r = await nsExec(ns, 'iperf3', args, { timeoutMs: opts.seconds * 1000 + 30_000, okCodes: [0, 1] });
  return parseIperf(r.stdout, opts.udp === true);
}

interface IperfSum {
  readonly bits_per_second?: number;
  readonly retransmits?: number;
  readonly lost_percent?: number;
}
interface IperfJson {
  readonly error?: string;
  readonly end?: { readonly sum?: IperfSum; readonly sum_sent?: IperfSum; readonly sum_received?: IperfSum };
}

export function parseIperf(text: string, udp: boolean): IperfResult {
  let j: IperfJson;
  try {
    j = JSON.parse(text) as IperfJson;
  } catch {
    throw new Error(`iperf3 did not print JSON: ${text.slice(0, 500)}`);
  }
  if (j.error) throw new Error(`iperf3 failed: ${j.error}`);
  const end = j.end ?? {};
  const mbps = (x: IperfSum | undefined): number => (x?.bits_per_second ?? 0) / 1e6;
  if (udp) {
    const recv = end.sum_received ?? end.sum;
    return { sentMbps: mbps(end.sum), receivedMbps: mbps(recv), lostPercent: recv?.lost_percent ?? NaN, json: j };
  }
  return { sentMbps: mbps(end.sum_sent), receivedMbps: mbps(end.sum_received), retransmits: end.sum_sent?.retransmits ?? 0, json: j };
}
