// The options of `ubdg` (besides legs and the `ui` sub-command), in one table:
// the CLI parses with it, its help lists it, and the UI's command-line paste
// uses it to tell an option's value from a leg.

import { ACCESS_KEEPALIVE_S } from './defaults.js';

export type CliOptionId = 'help' | 'version' | 'list-nics' | 'json' | 'dry-run' | 'interval' | 'keepalive' | 'udp-buffer' | 'pcap-buffer' | 'data-plane';

export interface CliOption {
  readonly id: CliOptionId;
  /** Every spelling: the long form first. */
  readonly names: readonly string[];
  /** Placeholder of the value that follows, for options that take one. */
  readonly value?: string;
  readonly help: string;
}

export const CLI_OPTIONS: readonly CliOption[] = [
  { id: 'json', names: ['--json'], help: 'print one JSON status object per line (legs, peers, MACs) every --interval s' },
  { id: 'interval', names: ['--interval'], value: 'S', help: 'seconds between status lines (default 1)' },
  { id: 'dry-run', names: ['--dry-run', '-n'], help: 'check the legs and say what they would do; start nothing' },
  {
    id: 'keepalive',
    names: ['--keepalive'],
    value: 'S',
    help: `access legs: keepalive period in seconds (default ${ACCESS_KEEPALIVE_S}; NAT mappings often expire after 30)`,
  },
  { id: 'udp-buffer', names: ['--udp-buffer'], value: 'SIZE', help: 'UDP socket buffer of tunnel legs (default 4M; Linux caps it at net.core.rmem_max)' },
  { id: 'pcap-buffer', names: ['--pcap-buffer'], value: 'SIZE', help: 'capture buffer of adapter legs (default 8M)' },
  {
    id: 'data-plane',
    names: ['--data-plane'],
    value: 'auto|native|js',
    help: 'native: AF_PACKET and batched UDP in native code (Linux); js: pcap and Node sockets (portable); auto (default): native where it loads. VXB_DATA_PLANE sets it too',
  },
  { id: 'list-nics', names: ['--list-nics', '-l'], help: 'list adapters' },
  { id: 'help', names: ['--help', '-h'], help: 'this help' },
  { id: 'version', names: ['--version', '-V'], help: 'version' },
];

const BY_NAME = new Map(CLI_OPTIONS.flatMap((o) => o.names.map((n) => [n, o] as const)));

/** The option spelled `word`, or undefined if `word` is no option of ubdg. */
export function cliOption(word: string): CliOption | undefined {
  return BY_NAME.get(word);
}

/** The Options block of `ubdg --help`. */
export function formatCliOptions(): string {
  const left = (o: CliOption) => [...o.names].reverse().join(', ') + (o.value ? ` ${o.value}` : '');
  const width = Math.max(...CLI_OPTIONS.map((o) => left(o).length)) + 2;
  return CLI_OPTIONS.map((o) => `  ${left(o).padEnd(width)}${o.help}`).join('\n');
}
