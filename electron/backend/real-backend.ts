// The backend wired to the real engine, UDP sockets and pcap: what the Electron
// main process and `ubdg ui` run. The engine runs on the caller's main thread
// (`cap` must never run in a worker thread).

import { createBridge } from '../engine/bridge.js';
import { createNodeUdpPort } from '../engine/ports/node-udp.js';
import type { AppInfo } from '../contract/ipc-contract.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createPcapCapturePort } from '../../native/pcap-capture.js';
import { resolveNic } from '../../native/resolve-nic.js';
import { createBackend, type Backend, type FileDialogs } from './backend.js';
import { diagnoseCapture, systemCaptureProbes } from './capture-check.js';

export interface RealBackendOptions {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly dataDir: string;
  readonly dialogs?: FileDialogs;
  readonly log?: (line: string) => void;
}

export function createRealBackend(o: RealBackendOptions): Backend {
  const capture = createPcapCapturePort();
  const udp = createNodeUdpPort();
  return createBackend({
    host: o.host,
    version: o.version,
    profiles: createProfileStore({ dataDir: o.dataDir }),
    createBridge: (legs) => createBridge(legs, { capture, udp }),
    listNics: () => capture.listNics(),
    resolveNic: async (query) => {
      const r = resolveNic(query, await capture.listNics());
      return r.ok ? { ok: true, name: r.nic.name } : r;
    },
    captureProblem: () => diagnoseCapture(systemCaptureProbes(() => capture.listNics())),
    ...(o.dialogs ? { dialogs: o.dialogs } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
}
