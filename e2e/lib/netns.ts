// Network namespaces owned by one test file. Names are global on the machine,
// so each set gets a unique prefix (`vxe<pid>_<tag><n>_`). Every namespace we
// create is recorded (in memory and in a state file under /run) and deleted by
// exact name — never by pattern, never one we did not create.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onExitSync } from './cleanup.js';
import { exec, ipIn, nsExec } from './exec.js';

const STATE_DIR = '/run/vxbridge-e2e';
let setCounter = 0;
let staleChecked = false;

export class NamespaceSet {
  readonly prefix: string;
  private readonly created: string[] = [];
  private readonly stateFile: string;
  private readonly unregister: () => void;

  constructor(tag: string) {
    if (!/^[a-z0-9]{1,8}$/.test(tag)) throw new Error(`namespace tag must be 1-8 of [a-z0-9], got '${tag}'`);
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new Error('e2e tests need root (they create network namespaces, veths and bridges)');
    }
    removeStaleSets();
    this.prefix = `vxe${process.pid}_${tag}${++setCounter}_`;
    this.stateFile = join(STATE_DIR, `${this.prefix}.json`);
    this.unregister = onExitSync(() => this.destroySync());
  }

  /** Full name for a short one (`h1` → `vxe123_udp1_h1`). */
  name(short: string): string {
    return this.prefix + short;
  }

  get namespaces(): readonly string[] {
    return this.created;
  }

  /** Creates the namespace, loopback up, IPv6 off (no ND/MLD/DAD chatter on the bridges). */
  async create(short: string): Promise<string> {
    const ns = this.name(short);
    if (listNamespaces().includes(ns)) throw new Error(`namespace ${ns} already exists; refusing to reuse it`);
    await exec('ip', ['netns', 'add', ns]);
    this.created.push(ns);
    this.saveState();
    // Set before any interface is created so that new interfaces inherit it.
    await nsExec(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await ipIn(ns, ['link', 'set', 'lo', 'up']);
    return ns;
  }

  /** Kills processes left in our namespaces and deletes them (exact names). */
  async destroy(): Promise<void> {
    this.destroySync();
  }

  destroySync(): void {
    if (this.created.length > 0) {
      deleteNamespacesSync(this.created);
      this.created.length = 0;
    }
    rmSync(this.stateFile, { force: true });
    this.unregister();
  }

  private saveState(): void {
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(this.stateFile, JSON.stringify({ pid: process.pid, namespaces: this.created }) + '\n');
  }
}

export function listNamespaces(): string[] {
  const out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n !== '');
}

function deleteNamespacesSync(names: readonly string[]): void {
  const existing = new Set(listNamespaces());
  const ours = names.filter((n) => existing.has(n));
  // Processes still inside a namespace we created were started by this harness.
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    let any = false;
    for (const ns of ours) {
      for (const pid of nsPidsSync(ns)) {
        any = true;
        try {
          process.kill(pid, sig);
        } catch {
          /* already gone */
        }
      }
    }
    if (any && sig === 'SIGTERM') sleepSync(300);
  }
  for (const ns of ours) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'pipe' });
    } catch (e) {
      process.stderr.write(`e2e: could not delete namespace ${ns}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

function nsPidsSync(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number)
      .filter((p) => Number.isInteger(p) && p > 0 && p !== process.pid);
  } catch {
    return [];
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A run killed with SIGKILL leaves its state file behind. Namespaces listed in
 * a state file whose owning process is gone were created by this harness and
 * are removed (by exact name) before a new set is made.
 */
function removeStaleSets(): void {
  if (staleChecked) return;
  staleChecked = true;
  let files: string[];
  try {
    files = readdirSync(STATE_DIR).filter((f) => f.startsWith('vxe') && f.endsWith('.json'));
  } catch {
    return;
  }
  for (const f of files) {
    const path = join(STATE_DIR, f);
    try {
      const state = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; namespaces?: unknown };
      if (typeof state.pid !== 'number' || !Array.isArray(state.namespaces)) continue;
      if (isAlive(state.pid)) continue;
      const prefix = f.slice(0, -'.json'.length);
      const names = state.namespaces.filter((n): n is string => typeof n === 'string' && n.startsWith(prefix));
      deleteNamespacesSync(names);
      rmSync(path, { force: true });
    } catch {
      /* unreadable state: leave it for a human */
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
