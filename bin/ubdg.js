#!/usr/bin/env node
// `ubdg` entry point: runs the compiled CLI (TypeScript is built to dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('ubdg: the program is not built yet.\n' + `Run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))} (build/setup.sh does it for you).\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
