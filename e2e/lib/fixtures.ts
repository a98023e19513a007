// The small node programs in e2e/fixtures, run inside namespaces.

import { join } from 'node:path';
import { Background } from './background.js';
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
