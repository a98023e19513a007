// `ubdg --list-nics`.

import { errorText } from '../model/user-error.js';
import type { Io } from './io.js';

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
