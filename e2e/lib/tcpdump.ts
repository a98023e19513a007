// tcpdump inside a namespace: start, wait until it listens, stop, parse.

import { Background } from './background.js';

export class Capture {
  private constructor(private readonly proc: Background) {}

  /** Starts `tcpdump -n -v -l -i IFNAME FILTER…` and resolves once it is listening. */
  static async start(ns: string, ifname: string, filter: readonly string[], timeoutMs = 10_000): Promise<Capture> {
    const proc = new Background(ns, 'tcpdump', ['-n', '-v', '-l', '-i', ifname, ...filter]);
    try {
      await proc.waitForOutput(/listening on/, timeoutMs, 'stderr');
    } catch (e) {
      proc.kill();
      throw e;
    }
    return new Capture(proc);
  }

  /** Stops the capture (SIGINT flushes) and returns the decoded text. */
  async stop(): Promise<string> {
    await this.proc.stop('SIGINT', 5_000);
    return this.proc.stdout;
  }

  get text(): string {
    return this.proc.stdout;
  }
}

export interface VxlanLine {
  readonly src: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly flags: string;
  readonly vni: number;
}

/** Lines tcpdump decoded as VXLAN, e.g. `10.99.0.1.4789 > 10.99.0.3.4789: VXLAN, flags [I] (0x08), vni 5000`. */
export function parseVxlanLines(text: string): VxlanLine[] {
  const re = /(\d+\.\d+\.\d+\.\d+)\.(\d+) > (\d+\.\d+\.\d+\.\d+)\.(\d+): VXLAN, flags \[([^\]]*)\] \(0x([0-9a-f]{2})\), vni (\d+)/g;
  const out: VxlanLine[] = [];
  for (const m of text.matchAll(re)) {
    out.push({ src: m[1]!, sport: Number(m[2]), dst: m[3]!, dport: Number(m[4]), flags: `[${m[5]!}] (0x${m[6]!})`, vni: Number(m[7]) });
  }
  return out;
}
