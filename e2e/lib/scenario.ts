// Per-file lifecycle for scenario tests: topology in beforeAll, everything
// torn down in afterAll (also when a test failed), plus common checks.

import { afterAll, beforeAll } from 'vitest';
import { killTrackedChildren } from './cleanup.js';
import { ping, waitForPing, type PingResult } from './ping.js';
import { buildTopology, pairs, type Site, type Topology, type TopologyOptions } from './topology.js';
import { killAllUbdg } from './ubdg.js';

/** Builds the topology before the file's tests; returns an accessor for it. */
export function useTopology(opts: TopologyOptions): () => Topology {
  return useBuilt(() => buildTopology(opts));
}

/** Any topology builder: built in beforeAll, bridges and children killed and it destroyed in afterAll. */
export function useBuilt<T extends { destroy(): Promise<void> }>(build: () => Promise<T>): () => T {
  let topo: T | undefined;
  beforeAll(async () => {
    topo = await build();
  }, 60_000);
  afterAll(async () => {
    killAllUbdg();
    killTrackedChildren();
    await topo?.destroy();
  }, 60_000);
  return () => {
    if (!topo) throw new Error('topology not built (beforeAll failed?)');
    return topo;
  };
}

export interface PairPing {
  readonly from: Site;
  readonly to: Site;
  readonly firstReplyMs: number;
  readonly result: PingResult;
}

/**
 * For every pair of sites: wait for the first reply (ARP, learning), then
 * ping `count` times; returns per-pair results. Throws one error naming every
 * pair that got no reply at all.
 */
export async function pingAllPairs(sites: readonly Site[], opts: { count?: number; intervalS?: number; firstTimeoutMs?: number } = {}): Promise<PairPing[]> {
  const out: PairPing[] = [];
  const failures: string[] = [];
  for (const [a, b] of pairs(sites)) {
    let firstReplyMs: number;
    try {
      firstReplyMs = await waitForPing(a.host, b.hostIp, { timeoutMs: opts.firstTimeoutMs ?? 20_000 });
    } catch (e) {
      failures.push(`h${a.n} → h${b.n}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const result = await ping(a.host, b.hostIp, { count: opts.count ?? 10, intervalS: opts.intervalS ?? 0.1 });
    out.push({ from: a, to: b, firstReplyMs, result });
  }
  if (failures.length > 0) throw new Error(`no ping reply:\n  ${failures.join('\n  ')}`);
  return out;
}

/** "h1→h2 0% (10/10)" per pair, for failure messages. */
export function describePings(ps: readonly PairPing[]): string {
  return ps.map((p) => `h${p.from.n}→h${p.to.n} ${p.result.lossPct.toFixed(0)}% loss (${p.result.received}/${p.result.transmitted})`).join(', ');
}
