// Last-resort cleanup: whatever a test file created (namespaces, child
// processes) is registered here and removed synchronously on process exit and
// on SIGINT/SIGTERM/SIGHUP, even when afterAll never runs. The normal path is
// still the async teardown in afterAll; this only catches what it missed.

import type { ChildProcess } from 'node:child_process';

type SyncCleanup = () => void;

const cleanups = new Set<SyncCleanup>();
const children = new Set<ChildProcess>();
let installed = false;

/** Registers a synchronous cleanup; returns a function that unregisters it. */
export function onExitSync(fn: SyncCleanup): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Tracks a child process so that it is SIGKILLed at exit if still alive. */
export function trackChild(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** SIGKILLs every tracked child that is still running (teardown). */
export function killTrackedChildren(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

export function runCleanupsSync(): void {
  killTrackedChildren();
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch (e) {
      process.stderr.write(`e2e cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanupsSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      runCleanupsSync();
      process.off(sig, handler);
      // Nobody else listens: behave as if we had not caught it (default action).
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}
