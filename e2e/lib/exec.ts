// Running commands for the e2e harness: a promise per command, a hard timeout,
// and errors that carry the command line, exit code and stderr.

import { spawn } from 'node:child_process';

export interface ExecOptions {
  /** Kill the command (SIGKILL) after this long. Default 15 s. */
  readonly timeoutMs?: number;
  /** Exit codes that count as success. Default [0]; 'any' = every exit is a result. */
  readonly okCodes?: readonly number[] | 'any';
  /** Written to the command's stdin (then closed). */
  readonly input?: string;
}

export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class ExecError extends Error {
  constructor(
    readonly command: readonly string[],
    readonly result: { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string },
    why: string,
  ) {
    const err = result.stderr.trim();
    const out = result.stdout.trim();
    super(`\`${formatCommand(command)}\` ${why}` + (err ? `\n  stderr: ${tail(err, 2000)}` : '') + (out && !err ? `\n  stdout: ${tail(out, 2000)}` : ''));
    this.name = 'ExecError';
  }
}

export const DEFAULT_EXEC_TIMEOUT_MS = 15_000;

/** Runs `cmd args…` (no shell) and resolves when it exits with an ok code. */
export function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const okCodes = opts.okCodes ?? [0];
  const command = [cmd, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ExecError(command, { code: null, signal: null, stdout, stderr }, `could not be started: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const r = { code, signal, stdout, stderr };
      if (timedOut) reject(new ExecError(command, r, `timed out after ${timeoutMs} ms`));
      else if (code === null) reject(new ExecError(command, r, `was killed by ${signal ?? 'a signal'}`));
      else if (okCodes !== 'any' && !okCodes.includes(code)) reject(new ExecError(command, r, `exited with code ${code}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a command inside network namespace `ns` (`ip netns exec`). */
export function nsExec(ns: string, cmd: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
  return exec('ip', ['netns', 'exec', ns, cmd, ...args], opts);
}

/** `ip -n NS …` (iproute2 inside a namespace without entering it). */
export function ipIn(ns: string, args: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
  return exec('ip', ['-n', ns, ...args], opts);
}

export function formatCommand(command: readonly string[]): string {
  return command.map((a) => (/^[\w@%+=:,./#*-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max)}`;
}
