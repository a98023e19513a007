// Entry of the data-plane process: runs one bridge for the process that shows
// the UI, so that a crash in the capture layer or the engine cannot close the
// window. Talks over Electron's parentPort (utilityProcess) or Node's IPC
// channel (child_process.fork), with the messages of protocol.ts. When the
// parent goes away, the bridge stops and the process exits: no orphan keeps
// capturing.

import { createBridge } from '../../engine/bridge.js';
import type { BridgeHandle } from '../../engine/bridge-api.js';
import { errorText } from '../../model/user-error.js';
import { createDataPlanePorts, enginePorts } from '../../../native/data-plane-ports.js';
import type { DataPlaneOutcome } from '../../model/data-plane.js';
import { asToDataPlane, startDataPlane, type FromDataPlane, type ToDataPlane } from './protocol.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as { parentPort?: ParentPort }).parentPort;

function send(message: FromDataPlane): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.connected) process.send?.(message);
}

let bridge: BridgeHandle | null = null;
let ticker: ReturnType<typeof setInterval> | undefined;
let stopping = false;

async function start(m: Extract<ToDataPlane, { type: 'start' }>): Promise<void> {
  if (bridge !== null) return;
  let dataPlane: DataPlaneOutcome;
  try {
    // The UI process chose (VXB_DATA_PLANE, else the app's setting): this process does not guess.
    const choice = startDataPlane(m);
    if (!choice.ok) throw new Error(choice.error);
    const ports = createDataPlanePorts(choice.value);
    dataPlane = { kind: ports.kind, ...(ports.fallback !== undefined ? { fallback: ports.fallback } : {}) };
    bridge = createBridge(m.legs, enginePorts(ports), m.options);
    bridge.onEvent((event) => send({ type: 'event', event }));
    await bridge.start();
  } catch (err) {
    send({ type: 'start-failed', error: errorText(err) });
    exitSoon(1);
    return;
  }
  send({ type: 'started', snapshot: bridge.snapshot(), dataPlane });
  ticker = setInterval(() => {
    if (bridge !== null && !stopping) send({ type: 'snapshot', snapshot: bridge.snapshot() });
  }, m.snapshotIntervalMs);
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  if (bridge !== null) {
    await bridge.stop();
    send({ type: 'stopped', snapshot: bridge.snapshot() });
  }
  exitSoon(0);
}

/** Lets the last IPC message leave before the process ends. */
function exitSoon(code: number): void {
  setTimeout(() => process.exit(code), 50);
}

function onMessage(raw: unknown): void {
  const m = asToDataPlane(raw);
  if (m === null) return;
  if (m.type === 'start') void start(m);
  else void stop();
}

if (parentPort) {
  parentPort.on('message', (e) => onMessage(e.data));
} else if (process.send) {
  process.on('message', onMessage);
  process.on('disconnect', () => void stop());
} else {
  process.stderr.write('vxbridge data plane: started without a parent process; nothing to do.\n');
  process.exit(2);
}
// The parent stops us with a message; signals (Ctrl-C in a terminal) reach the whole group.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stop());
