// The backend wired to the real engine, UDP sockets and pcap: what the Electron
// main process and `ubdg ui` run. With a data-plane launcher (the normal case),
// each bridge runs in a process of its own, supervised by this one, so that a
// crash in the capture layer or the engine cannot close the window; without
// one, in this process (its main thread: `cap` must never run in a worker).
// Each Start passes the data plane chosen then (VXB_DATA_PLANE, else the app's
// setting in <dataDir>/settings.json) to whichever builds the bridge.

import { createBridge } from '../engine/bridge.js';
import { createDataPlanePorts, enginePorts } from '../../native/data-plane-ports.js';
import { withDataPlaneReport } from './data-plane/data-plane-report.js';
import { createSettingsStore } from './settings/settings-store.js';
import type { AppInfo } from '../contract/ipc-contract.js';
import { SNAPSHOT_INTERVAL_MS } from '../model/defaults.js';
import { createProfileStore } from './profiles/profile-store.js';
import { createPcapCapturePort } from '../../native/pcap-capture.js';
import { resolveNic } from '../../native/resolve-nic.js';
import { createBackend, type Backend, type BackendDeps, type FileDialogs } from './backend.js';
import { diagnoseCapture, systemCaptureProbes } from './capture-check.js';
import { createProcessBridge } from './data-plane/process-bridge.js';
import type { DataPlaneLauncher } from './data-plane/protocol.js';

export interface RealBackendOptions {
  readonly host: AppInfo['host'];
  readonly version: string;
  readonly dataDir: string;
  /** Runs each bridge in a data-plane process; absent: in this process. */
  readonly dataPlane?: DataPlaneLauncher;
  readonly dialogs?: FileDialogs;
  readonly log?: (line: string) => void;
  /** Where VXB_DATA_PLANE is read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export function createRealBackend(o: RealBackendOptions): Backend {
  // Listing adapters opens no capture: it is safe in this process.
  const capture = createPcapCapturePort();
  const launch = o.dataPlane;
  let build: BackendDeps['createBridge'];
  if (launch) {
    build = (legs, { dataPlane }) => createProcessBridge(legs, { launch, snapshotIntervalMs: SNAPSHOT_INTERVAL_MS, dataPlane });
  } else {
    build = (legs, { dataPlane }) => {
      const ports = createDataPlanePorts(dataPlane);
      return withDataPlaneReport(createBridge(legs, enginePorts(ports)), { kind: ports.kind, ...(ports.fallback !== undefined ? { fallback: ports.fallback } : {}) });
    };
  }
  return createBackend({
    host: o.host,
    version: o.version,
    profiles: createProfileStore({ dataDir: o.dataDir }),
    settings: createSettingsStore({ dataDir: o.dataDir }),
    createBridge: build,
    listNics: () => capture.listNics(),
    resolveNic: async (query) => {
      const r = resolveNic(query, await capture.listNics());
      return r.ok ? { ok: true, name: r.nic.name } : r;
    },
    captureProblem: () => diagnoseCapture(systemCaptureProbes(() => capture.listNics())),
    ...(o.dialogs ? { dialogs: o.dialogs } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
}
