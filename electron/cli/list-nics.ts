// `ubdg --list-nics`.

import { CaptureError } from '../engine/ports/capture-port.js';
import type { Io } from './main.js';

export async function listNicsCommand(io: Io): Promise<number> {
  const { listNics } = await import('../../native/nic-list.js');
  const { formatNicTable } = await import('../../native/resolve-nic.js');
  try {
    const nics = await listNics();
    io.stdout.write(formatNicTable(nics) + '\n');
    return 0;
  } catch (err) {
    io.stderr.write(`ubdg: cannot list adapters: ${errorText(err)}\n`);
    return 1;
  }
}

export function errorText(err: unknown): string {
  if (err instanceof CaptureError) return `${err.message}\nFix: ${err.fix}`;
  return err instanceof Error ? err.message : String(err);
}
