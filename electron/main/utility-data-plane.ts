// The data-plane process in the desktop app: Electron's utilityProcess running
// the same entry as under `ubdg ui` (electron/backend/data-plane/data-plane-main.ts),
// which talks over process.parentPort there. Thin on purpose: everything else
// about the data plane is tested without Electron.

import { utilityProcess } from 'electron';
import { DATA_PLANE_ENTRY } from '../backend/data-plane/node-launcher.js';
import { asFromDataPlane, type DataPlaneChannel, type DataPlaneLauncher } from '../backend/data-plane/protocol.js';

export function utilityDataPlaneLauncher(entry: string = DATA_PLANE_ENTRY): DataPlaneLauncher {
  return (): DataPlaneChannel => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'vxbridge data plane', stdio: ['ignore', 'ignore', 'inherit'] });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => {
        child.on('message', (m: unknown) => {
          const message = asFromDataPlane(m);
          if (message !== null) listener(message);
        });
      },
      // utilityProcess reports only an exit code; a crash shows as a non-zero one.
      onExit: (listener) => {
        child.once('exit', (code) => listener(code, null));
      },
      kill: () => {
        child.kill();
      },
    };
  };
}
