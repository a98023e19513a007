// Wait-for-condition instead of sleeps.

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Pause between probes. Default 100 ms. */
  readonly intervalMs?: number;
  /** Used in the timeout message: what we were waiting for. */
  readonly what: string;
}

/**
 * Calls `probe` until it returns a value other than undefined/false, and
 * resolves with it. A probe that throws counts as "not yet"; the last error is
 * quoted when the wait times out.
 */
export async function waitUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await delay(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
