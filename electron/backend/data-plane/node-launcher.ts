// The data-plane process under `ubdg ui` (and in tests): a Node child process
// running data-plane-main.js, connected by Node's IPC channel. Its stderr goes
// to ours, so engine warnings still reach the log.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { asFromDataPlane, type DataPlaneChannel, type DataPlaneLauncher } from './protocol.js';

export const DATA_PLANE_ENTRY = fileURLToPath(new URL('./data-plane-main.js', import.meta.url));

export function nodeDataPlaneLauncher(entry: string = DATA_PLANE_ENTRY): DataPlaneLauncher {
  return (): DataPlaneChannel => {
    const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => {
        child.on('message', (m: unknown) => {
          const message = asFromDataPlane(m);
          if (message !== null) listener(message);
        });
      },
      onExit: (listener) => {
        child.once('exit', (code, signal) => listener(code, signal));
      },
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
