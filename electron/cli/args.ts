// `ubdg` command-line options (the table is electron/model/cli-options.ts).
// Legs are every argument that is not an option.

import { assertNever } from '../model/assert-never.js';
import { cliOption } from '../model/cli-options.js';
import { DATA_PLANE_CHOICES, isDataPlaneChoice, type DataPlaneChoice } from '../model/data-plane.js';

export interface CliArgs {
  readonly command: 'run' | 'help' | 'version' | 'list-nics' | 'ui';
  readonly legs: readonly string[];
  readonly json: boolean;
  readonly dryRun: boolean;
  /** Seconds between status lines (--json) / summaries. */
  readonly interval: number;
  /** Arguments after `ui`, passed on untouched. */
  readonly rest: readonly string[];
  /** Tuning: kernel buffer sizes in bytes (undefined = engine defaults). */
  readonly udpBufferBytes?: number;
  readonly pcapBufferBytes?: number;
  /** Access-mode keepalive period in seconds (undefined = engine default, 20 s). */
  readonly keepaliveS?: number;
  /** --data-plane (undefined: VXB_DATA_PLANE, else auto). */
  readonly dataPlane?: DataPlaneChoice;
}

export type ParsedArgs = { readonly ok: true; readonly args: CliArgs } | { readonly ok: false; readonly error: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv[0] === 'ui') return ok({ command: 'ui', rest: argv.slice(1) });
  let command: CliArgs['command'] = 'run';
  let json = false;
  let dryRun = false;
  let interval = 1;
  let udpBufferBytes: number | undefined;
  let pcapBufferBytes: number | undefined;
  let keepaliveS: number | undefined;
  let dataPlane: DataPlaneChoice | undefined;
  const legs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const option = cliOption(a);
    if (option === undefined) {
      if (a.startsWith('-')) return { ok: false, error: `unknown option ${a} (see ubdg --help)` };
      legs.push(a);
      continue;
    }
    switch (option.id) {
      case 'help':
      case 'version':
      case 'list-nics':
        command = option.id;
        break;
      case 'json':
        json = true;
        break;
      case 'dry-run':
        dryRun = true;
        break;
      case 'interval': {
        const v = Number(argv[++i]);
        if (!Number.isFinite(v) || v < 0.1 || v > 3600) return { ok: false, error: '--interval needs a number of seconds between 0.1 and 3600, e.g. --interval 1' };
        interval = v;
        break;
      }
      case 'keepalive': {
        const v = Number(argv[++i]);
        if (!Number.isInteger(v) || v < 1 || v > 3600) return { ok: false, error: '--keepalive needs whole seconds between 1 and 3600, e.g. --keepalive 20' };
        keepaliveS = v;
        break;
      }
      case 'udp-buffer':
      case 'pcap-buffer': {
        const v = parseBytes(argv[++i]);
        if (v === null) return { ok: false, error: `--${option.id} needs a size between 64K and 1G, e.g. --${option.id} 4M` };
        if (option.id === 'udp-buffer') udpBufferBytes = v;
        else pcapBufferBytes = v;
        break;
      }
      case 'data-plane': {
        const v = argv[++i];
        if (!isDataPlaneChoice(v)) return { ok: false, error: `--data-plane needs one of ${DATA_PLANE_CHOICES.join(', ')}, e.g. --data-plane js` };
        dataPlane = v;
        break;
      }
      default:
        return assertNever(option.id, 'option');
    }
  }
  if (command === 'run' && legs.length === 0) {
    return { ok: false, error: 'no legs given. Example: ubdg 5000#V:E@10.10.1.10:10.10.2.10 5000#W:E@eth0 (see ubdg --help)' };
  }
  return ok({
    command,
    legs,
    json,
    dryRun,
    interval,
    ...(udpBufferBytes !== undefined ? { udpBufferBytes } : {}),
    ...(pcapBufferBytes !== undefined ? { pcapBufferBytes } : {}),
    ...(keepaliveS !== undefined ? { keepaliveS } : {}),
    ...(dataPlane !== undefined ? { dataPlane } : {}),
  });
}

/** "4M", "512K", "1048576" → bytes; null if not a size in 64 KiB..1 GiB. */
export function parseBytes(text: string | undefined): number | null {
  const m = /^(\d+)([KMG]?)$/i.exec(text ?? '');
  if (m === null) return null;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  const v = Number(m[1]) * unit;
  return v >= 64 * 1024 && v <= 1024 ** 3 ? v : null;
}

function ok(a: Partial<CliArgs> & Pick<CliArgs, 'command'>): ParsedArgs {
  return { ok: true, args: { legs: [], json: false, dryRun: false, interval: 1, rest: [], ...a } };
}
