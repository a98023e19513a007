// The small node programs in e2e/fixtures, run inside namespaces.

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Background } from './background.js';
import { exec, nsExec } from './exec.js';
import { FIXTURES } from './repo.js';

export interface BlastResult {
  readonly bytes: number;
  readonly sha256: string;
}

/** `tcp-blast.mjs recv`: resolves once it listens. */
export async function startBlastReceiver(ns: string, bind: string, port: number): Promise<Background> {
  const p = new Background(ns, process.execPath, [join(FIXTURES, 'tcp-blast.mjs'), 'recv', bind, String(port)]);
  await p.waitForOutput(/"listening":true/, 10_000, 'stdout');
  return p;
}

export function startBlastSender(ns: string, host: string, port: number, bytes: number): Background {
  return new Background(ns, process.execPath, [join(FIXTURES, 'tcp-blast.mjs'), 'send', host, String(port), String(bytes)]);
}

/** Waits for the `{"bytes":…,"sha256":…}` line of a tcp-blast process. */
export async function blastResult(p: Background, timeoutMs: number): Promise<BlastResult> {
  const m = await p.waitForOutput(/\{"bytes":(\d+),"sha256":"([0-9a-f]{64})"\}/, timeoutMs, 'stdout');
  return { bytes: Number(m[1]), sha256: m[2]! };
}

/** `udp-hold.mjs`: binds IP:PORT in `ns` and keeps it until stopped. */
export async function holdUdpPort(ns: string, ip: string, port: number): Promise<Background> {
  const p = new Background(ns, process.execPath, [join(FIXTURES, 'udp-hold.mjs'), ip, String(port)]);
  await p.waitForOutput(/"bound"/, 10_000, 'stdout');
  return p;
}

/** `udp-replay.mjs`: sends `payloads` in order from BIND_IP:BIND_PORT (0 = ephemeral) in `ns` to DST:PORT. */
export async function replayUdp(ns: string, bind: string, bindPort: number, dst: string, dstPort: number, payloads: readonly Buffer[]): Promise<{ sent: number; from: string }> {
  const r = await nsExec(ns, process.execPath, [join(FIXTURES, 'udp-replay.mjs'), bind, String(bindPort), dst, String(dstPort)], {
    input: payloads.map((p) => p.toString('hex')).join('\n') + '\n',
  });
  return JSON.parse(r.stdout.trim()) as { sent: number; from: string };
}

export interface FloodResult {
  readonly sent: number;
  readonly errors: number;
  readonly seconds: number;
  readonly pps: number;
}

/**
 * `spoof-flood.py`: forged-source UDP (raw socket, IP_HDRINCL) from `ns` to
 * DST:PORT for `seconds`; random source address and port per packet, outside
 * the /24 networks in `exclude` ("a.b.c"). Mode `plain`: VXLAN frames (and a
 * few forged plain keepalives); `sealed`: sealed datagrams with random session
 * ids. Await `floodResult` for the counts.
 *
 * The flooder runs on the last CPU at nice 19: it sends as fast as that CPU
 * goes, but on a small test machine it does not take CPU from the bridge under
 * attack, which a real attacker (on a machine of its own) could not take either.
 * Pin the bridge to the other CPUs (pinAwayFromFlood).
 */
export function startSpoofFlood(
  ns: string,
  dst: string,
  port: number,
  vni: number,
  mode: 'plain' | 'sealed',
  seconds: number,
  exclude: readonly string[],
  /** Packets a second at most; 0: as fast as the flooder's CPU goes. */
  pps = 0,
): Background {
  const args = [
    `FLOOD_PPS=${pps}`,
    'taskset',
    '-c',
    String(FLOOD_CPU),
    'nice',
    '-n',
    '19',
    'python3',
    join(FIXTURES, 'spoof-flood.py'),
    dst,
    String(port),
    String(vni),
    mode,
    String(seconds),
    ...exclude,
  ];
  return new Background(ns, 'env', args);
}

/** The CPU the flooder runs on: the last one. */
const FLOOD_CPU = Math.max(0, availableParallelism() - 1);

/** Keeps a process (all its threads) off the flooder's CPU, where there is another. */
export async function pinAwayFromFlood(pid: number): Promise<void> {
  if (FLOOD_CPU === 0) return;
  await exec('taskset', ['-a', '-pc', `0-${FLOOD_CPU - 1}`, String(pid)]);
}

export async function floodResult(p: Background, timeoutMs: number): Promise<FloodResult> {
  const m = await p.waitForOutput(/\{"sent": (\d+), "errors": (\d+), "seconds": ([\d.]+), "pps": (\d+)\}/, timeoutMs, 'stdout');
  return { sent: Number(m[1]), errors: Number(m[2]), seconds: Number(m[3]), pps: Number(m[4]) };
}

/** `raw-udp.py`: one datagram from any SRC:SPORT (port 0 included) in `ns` to DST:DPORT. */
export async function sendRawUdp(ns: string, src: string, sport: number, dst: string, dport: number, payload: Buffer): Promise<{ sent: number; from: string }> {
  const r = await nsExec(ns, 'python3', [join(FIXTURES, 'raw-udp.py'), src, String(sport), dst, String(dport), payload.toString('hex')]);
  return JSON.parse(r.stdout.trim()) as { sent: number; from: string };
}
