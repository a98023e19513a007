// `ubdg`: run a bridge from leg strings, list adapters, or serve the UI.

import { dataPlaneFromEnv } from '../backend/data-plane/data-plane-env.js';
import { createRequire } from 'node:module';
import { parseArgs } from './args.js';
import { EXIT_USAGE, type Io } from './io.js';
import { HELP } from './help.js';
import { parseLegList } from './leg-list.js';
import { runBridge } from './run-bridge.js';
import { dryRun } from './dry-run.js';
import { listNicsCommand } from './list-nics.js';

export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`ubdg: ${parsed.error}\n`);
    return EXIT_USAGE;
  }
  const a = parsed.args;
  switch (a.command) {
    case 'help':
      io.stdout.write(HELP + '\n');
      return 0;
    case 'version':
      io.stdout.write(`ubdg (vxbridge) ${version()}\n`);
      return 0;
    case 'list-nics':
      return listNicsCommand(io);
    case 'ui': {
      const { runUi } = await import('./ui-command.js');
      return runUi(a.rest, io);
    }
    case 'run': {
      const legs = parseLegList(a.legs);
      if (!legs.ok) {
        io.stderr.write(legs.error + '\n');
        return EXIT_USAGE;
      }
      for (const n of legs.notes) io.stderr.write(`ubdg: note: ${n}\n`);
      if (a.dryRun) return dryRun(legs.specs, io);
      return runBridge(
        legs.specs,
        {
          json: a.json,
          intervalMs: a.interval * 1000,
          dataPlane: a.dataPlane ?? dataPlaneFromEnv(process.env),
          engine: {
            ...(a.udpBufferBytes !== undefined ? { udpBufferBytes: a.udpBufferBytes } : {}),
            ...(a.pcapBufferBytes !== undefined ? { pcapBufferBytes: a.pcapBufferBytes } : {}),
            ...(a.keepaliveS !== undefined ? { keepaliveMs: a.keepaliveS * 1000 } : {}),
          },
        },
        io,
      );
    }
  }
}

function version(): string {
  const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
  return pkg.version;
}
