// A long-running process inside a namespace (servers, tcpdump, ubdg): output
// collected, waits on output patterns, stop with a signal and a deadline.
// Every one is tracked, so a failed test never leaves it behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { trackChild } from './cleanup.js';
import { formatCommand, tail } from './exec.js';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class Background {
  readonly command: readonly string[];
  private readonly child: ChildProcess;
  private out = '';
  private err = '';
  private exit: Exit | undefined;
  private readonly outListeners = new Set<() => void>();
  readonly exited: Promise<Exit>;

  /** `ns` null runs in the current (root) namespace — only for commands that send no traffic. */
  constructor(ns: string | null, cmd: string, args: readonly string[], opts: { onStdout?: (chunk: string) => void } = {}) {
    this.command = ns === null ? [cmd, ...args] : ['ip', 'netns', 'exec', ns, cmd, ...args];
    const [bin, ...rest] = this.command as [string, ...string[]];
    // `ip netns exec` execs the command in place: the pid is the command's own.
    this.child = spawn(bin, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      opts.onStdout?.(d);
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.err += d;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.err += `\n[spawn error: ${e.message}]`;
        this.exit = { code: null, signal: null };
        this.notify();
        resolve(this.exit);
      });
      // 'close': the exit status and all output have arrived.
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  get stdout(): string {
    return this.out;
  }
  get stderr(): string {
    return this.err;
  }
  get exitStatus(): Exit | undefined {
    return this.exit;
  }
  get running(): boolean {
    return this.exit === undefined;
  }

  describe(): string {
    const st = this.exit ? ` (exited: code ${this.exit.code}, signal ${this.exit.signal})` : '';
    return `\`${formatCommand(this.command)}\`${st}` + (this.err.trim() ? `\n  stderr: ${tail(this.err.trim(), 2000)}` : '');
  }

  /** Resolves when `re` matches the collected stdout or stderr; rejects on timeout or exit. */
  waitForOutput(re: RegExp, timeoutMs: number, stream: 'stdout' | 'stderr' | 'both' = 'both'): Promise<RegExpExecArray> {
    return this.waitForState(
      () => {
        const text = stream === 'stdout' ? this.out : stream === 'stderr' ? this.err : `${this.out}\n${this.err}`;
        return re.exec(text) ?? undefined;
      },
      timeoutMs,
      `output matching ${re}`,
    );
  }

  /**
   * Re-checks `check` whenever output or exit status changes; resolves with its
   * first defined result, rejects on timeout or when the process exits first.
   */
  waitForState<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (f: () => void): void => {
        clearTimeout(timer);
        this.outListeners.delete(listener);
        f();
      };
      const listener = (): void => {
        let v: T | undefined;
        try {
          v = check();
        } catch (e) {
          done(() => reject(e));
          return;
        }
        if (v !== undefined) done(() => resolve(v));
        else if (this.exit) done(() => reject(new Error(`process exited while waiting for ${what}: ${this.describe()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${this.describe()}`))), timeoutMs);
      this.outListeners.add(listener);
      listener();
    });
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }

  /** Sends `sig`, waits up to `timeoutMs`; SIGKILLs and reports timedOut if it did not exit. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', timeoutMs = 5_000): Promise<Exit & { timedOut: boolean }> {
    if (!this.running) return { ...this.exit!, timedOut: false };
    this.child.kill(sig);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const r = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      this.child.kill('SIGKILL');
      return { ...(await this.exited), timedOut: true };
    }
    return { ...r, timedOut: false };
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  private notify(): void {
    for (const l of [...this.outListeners]) l();
  }
}
