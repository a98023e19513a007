// Runs the `ubdg` CLI inside a namespace and follows its --json status lines.
//
// Contract under test: with --json, stdout carries one BridgeSnapshot per
// line (at least once a second, the first as soon as every leg runs); human
// messages go to stderr; SIGTERM/SIGINT → exit 0; exit 2 = bad command line,
// exit 1 = a leg cannot start.

import type { BridgeSnapshot, LegSnapshot, PeerSnapshot } from '../../electron/model/snapshot.js';
import { Background } from './background.js';
import { exec, tail } from './exec.js';
import { UBDG_BIN } from './repo.js';

export type { BridgeSnapshot, LegSnapshot, PeerSnapshot };

const running = new Set<Ubdg>();

export class Ubdg {
  readonly ns: string;
  readonly args: readonly string[];
  private readonly proc: Background;
  private readonly snaps: BridgeSnapshot[] = [];
  private readonly badLines: string[] = [];
  private partial = '';

  /** Starts `node bin/ubdg.js ARGS… --json` in namespace `ns`. */
  constructor(ns: string, args: readonly string[]) {
    this.ns = ns;
    this.args = args.includes('--json') ? args : [...args, '--json'];
    this.proc = new Background(ns, process.execPath, [UBDG_BIN, ...this.args], { onStdout: (d) => this.onStdout(d) });
    running.add(this);
    void this.proc.exited.then(() => running.delete(this));
  }

  get snapshots(): readonly BridgeSnapshot[] {
    return this.snaps;
  }
  latest(): BridgeSnapshot | undefined {
    return this.snaps[this.snaps.length - 1];
  }
  get stderr(): string {
    return this.proc.stderr;
  }
  get running(): boolean {
    return this.proc.running;
  }
  /** The ubdg process id (`ip netns exec` execs node in place), e.g. for /proc/PID/status. */
  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Resolves with the first snapshot (already seen or to come) that satisfies `pred`. */
  waitFor(pred: (s: BridgeSnapshot) => boolean, timeoutMs = 20_000, what = 'a matching snapshot', fromIndex = 0): Promise<BridgeSnapshot> {
    let checked = fromIndex;
    return this.proc
      .waitForState(
        () => {
          if (this.badLines.length > 0) throw new Error(`ubdg wrote a non-JSON line on stdout: ${this.badLines[0]}`);
          for (; checked < this.snaps.length; checked++) {
            const s = this.snaps[checked]!;
            if (pred(s)) return s;
          }
          return undefined;
        },
        timeoutMs,
        what,
      )
      .catch((e: unknown) => {
        throw new Error(`ubdg in ${this.ns}: ${e instanceof Error ? e.message : String(e)}${this.lastSnapshotText()}`);
      });
  }

  /** Waits for a snapshot sampled after this call (counters reflect what happened before it). */
  fresh(timeoutMs = 10_000): Promise<BridgeSnapshot> {
    const t0 = Date.now();
    return this.waitFor((s) => s.time >= t0, timeoutMs, 'a fresh snapshot', this.snaps.length);
  }

  /** Waits until every leg reports state 'running'. */
  waitRunning(timeoutMs = 20_000): Promise<BridgeSnapshot> {
    return this.waitFor((s) => s.legs.length > 0 && s.legs.every((l) => l.state === 'running'), timeoutMs, 'every leg running');
  }

  /** SIGTERM; asserts a clean exit (code 0) within `timeoutMs` and a JSON-only stdout. */
  async stop(timeoutMs = 5_000): Promise<void> {
    const r = await this.proc.stop('SIGTERM', timeoutMs);
    running.delete(this);
    if (r.timedOut) throw new Error(`ubdg in ${this.ns} did not exit within ${timeoutMs} ms of SIGTERM: ${this.proc.describe()}`);
    if (r.code !== 0) throw new Error(`ubdg in ${this.ns} exited with code ${r.code} (signal ${r.signal}) after SIGTERM, expected 0: ${this.proc.describe()}`);
    if (this.badLines.length > 0) throw new Error(`ubdg in ${this.ns} wrote non-JSON lines on stdout: ${this.badLines.slice(0, 3).join(' | ')}`);
  }

  kill(): void {
    this.proc.kill();
  }

  describe(): string {
    return this.proc.describe() + this.lastSnapshotText();
  }

  private lastSnapshotText(): string {
    const s = this.latest();
    return s ? `\n  last snapshot: ${tail(JSON.stringify(s), 3000)}` : '\n  (no snapshot received)';
  }

  private onStdout(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const s = parseSnapshot(line);
      if (s) this.snaps.push(s);
      else this.badLines.push(line.length > 300 ? line.slice(0, 300) + '…' : line);
    }
  }
}

/** Kills every ubdg this process started that is still running (teardown). */
export function killAllUbdg(): void {
  for (const u of running) u.kill();
  running.clear();
}

/** A JSON line that has the shape of a BridgeSnapshot, or undefined. */
export function parseSnapshot(line: string): BridgeSnapshot | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.time !== 'number' || !Array.isArray(o.legs) || !Array.isArray(o.peers)) return undefined;
  return v as BridgeSnapshot;
}

export function leg(s: BridgeSnapshot, id: number): LegSnapshot {
  const l = s.legs.find((x) => x.id === id);
  if (!l) throw new Error(`snapshot has no leg ${id}: ${JSON.stringify(s.legs.map((x) => x.leg))}`);
  return l;
}

export function legOfKind(s: BridgeSnapshot, kind: LegSnapshot['kind']): LegSnapshot {
  const l = s.legs.find((x) => x.kind === kind);
  if (!l) throw new Error(`snapshot has no ${kind} leg: ${JSON.stringify(s.legs.map((x) => x.leg))}`);
  return l;
}

/** The peer entry with this address ("IP:PORT" or just "IP"), if any. */
export function findPeer(s: BridgeSnapshot, address: string, legId?: number): PeerSnapshot | undefined {
  return s.peers.find((p) => (legId === undefined || p.leg === legId) && (p.address === address || p.address.startsWith(`${address}:`)));
}

export function peer(s: BridgeSnapshot, address: string, legId?: number): PeerSnapshot {
  const p = findPeer(s, address, legId);
  if (!p) throw new Error(`snapshot has no peer ${address}: ${JSON.stringify(s.peers.map((x) => `${x.leg}/${x.address}`))}`);
  return p;
}

export interface UbdgOnce {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs ubdg to completion (for --help and error cases); `ns` null = root namespace, no traffic. */
export async function runUbdgOnce(ns: string | null, args: readonly string[], timeoutMs = 20_000): Promise<UbdgOnce> {
  const cmd = ns === null ? [process.execPath, UBDG_BIN, ...args] : ['ip', 'netns', 'exec', ns, process.execPath, UBDG_BIN, ...args];
  const [bin, ...rest] = cmd as [string, ...string[]];
  // Any exit code is a result here; only a timeout or a signal is an error.
  return exec(bin, rest, { timeoutMs, okCodes: 'any' });
}
