// `ubdg` command-line options. Legs are every argument that is not an option.

export interface CliArgs {
  readonly command: 'run' | 'help' | 'version' | 'list-nics' | 'ui';
  readonly legs: readonly string[];
  readonly json: boolean;
  readonly dryRun: boolean;
  /** Seconds between status lines (--json) / summaries. */
  readonly interval: number;
  /** Arguments after `ui`, passed on untouched. */
  readonly rest: readonly string[];
}

export type ParsedArgs = { readonly ok: true; readonly args: CliArgs } | { readonly ok: false; readonly error: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv[0] === 'ui') return ok({ command: 'ui', rest: argv.slice(1) });
  let command: CliArgs['command'] = 'run';
  let json = false;
  let dryRun = false;
  let interval = 1;
  const legs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case '-h':
      case '--help':
        command = 'help';
        break;
      case '-V':
      case '--version':
        command = 'version';
        break;
      case '-l':
      case '--list-nics':
        command = 'list-nics';
        break;
      case '--json':
        json = true;
        break;
      case '-n':
      case '--dry-run':
        dryRun = true;
        break;
      case '--interval': {
        const v = Number(argv[++i]);
        if (!Number.isFinite(v) || v < 0.1 || v > 3600) return { ok: false, error: '--interval needs a number of seconds between 0.1 and 3600, e.g. --interval 1' };
        interval = v;
        break;
      }
      default:
        if (a.startsWith('-')) return { ok: false, error: `unknown option ${a} (see ubdg --help)` };
        legs.push(a);
    }
  }
  if (command === 'run' && legs.length === 0) {
    return { ok: false, error: 'no legs given. Example: ubdg 5000#V:E@10.10.1.10:10.10.2.10 5000#W:E@eth0 (see ubdg --help)' };
  }
  return ok({ command, legs, json, dryRun, interval });
}

function ok(a: Partial<CliArgs> & Pick<CliArgs, 'command'>): ParsedArgs {
  return { ok: true, args: { legs: [], json: false, dryRun: false, interval: 1, rest: [], ...a } };
}
