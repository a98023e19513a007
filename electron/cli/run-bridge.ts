// Runs a bridge until SIGINT/SIGTERM: status on stderr, --json snapshots on stdout.

import { createBridge } from '../engine/bridge.js';
import type { BridgeOptions } from '../engine/bridge-api.js';
import { repeatsText, type BridgeEvent } from '../model/events.js';
import { MAC_LOCAL_HOLD_MS, MAC_MOVES_PER_S, MACS_PER_PEER_MAX } from '../model/defaults.js';
import type { LegSpec } from '../model/leg-spec.js';
import { CaptureError, type CapturePort } from '../engine/ports/capture-port.js';
import type { DataPlanePorts } from '../../native/data-plane-ports.js';
import type { DataPlaneChoice } from '../model/data-plane.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import { errorText } from '../model/user-error.js';
import { EXIT_FAILED, EXIT_USAGE, type Io } from './io.js';
import { chooseNics, terminalAsk } from './nic-choice.js';
import { formatSummary } from './summary.js';
import { assertNever } from '../model/assert-never.js';

export interface RunOptions {
  readonly json: boolean;
  readonly intervalMs: number;
  readonly engine?: BridgeOptions;
  readonly dataPlane: DataPlaneChoice;
}

const HUMAN_SUMMARY_MS = 10_000;

export async function runBridge(specs: readonly LegSpec[], o: RunOptions, io: Io): Promise<number> {
  const needsCapture = specs.some((s) => s.kind === 'W');
  let native: Awaited<ReturnType<typeof loadNative>>;
  let ports: DataPlanePorts;
  try {
    native = await loadNative();
    ports = native.createDataPlanePorts(o.dataPlane);
  } catch (err) {
    io.stderr.write(`ubdg: ${errorText(err)}\n`);
    return EXIT_FAILED;
  }
  io.stderr.write(`ubdg: data plane: ${ports.kind}${ports.fallback !== undefined ? ` (${ports.fallback})` : ''}\n`);
  let capture: CapturePort = noCapture;
  if (needsCapture) {
    try {
      capture = ports.capture;
      const nics = await capture.listNics();
      const chosen = await chooseNics(specs, { nics, resolve: native.resolveNic, table: native.formatNicTable, ask: terminalAsk() });
      if (!chosen.ok) {
        io.stderr.write(`ubdg: ${chosen.error}\n`);
        return chosen.usage ? EXIT_USAGE : EXIT_FAILED;
      }
      specs = chosen.specs;
    } catch (err) {
      io.stderr.write(`ubdg: ${errorText(err)}\n`);
      return EXIT_FAILED;
    }
  }

  const bridge = createBridge(specs, native.enginePorts(ports, capture), o.engine);
  bridge.onEvent((e) => {
    const line = describeEvent(e, () => bridge.snapshot());
    if (line !== null) io.stderr.write(`ubdg: ${line}\n`);
  });
  await bridge.start();

  const first = bridge.snapshot();
  const failed = first.legs.filter((l) => l.state === 'error');
  if (failed.length > 0) {
    for (const l of failed) io.stderr.write(`ubdg: leg ${l.leg} cannot start: ${l.error}\n`);
    io.stderr.write('ubdg: nothing is running (all legs stopped).\n');
    await bridge.stop();
    return EXIT_FAILED;
  }
  for (const l of first.legs) io.stderr.write(`ubdg: [${l.id}] ${l.leg} running${l.local ? ` on ${l.local}` : ''}\n`);
  io.stderr.write('ubdg: bridging; Ctrl-C stops.\n');

  const emit = (s: BridgeSnapshot) => io.stdout.write(JSON.stringify(s) + '\n');
  if (o.json) emit(first);
  const statusTimer = setInterval(() => (o.json ? emit(bridge.snapshot()) : io.stderr.write(formatSummary(bridge.snapshot()))), o.json ? o.intervalMs : HUMAN_SUMMARY_MS);

  return new Promise((resolve) => {
    const stop = async (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      clearInterval(statusTimer);
      await bridge.stop();
      io.stderr.write(`ubdg: ${signal}: stopped, sockets and capture handles closed.\n`);
      resolve(0);
    };
    const onInt = () => void stop('SIGINT');
    const onTerm = () => void stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** "VTEP 192.0.2.7:4789 on leg 1", or "leg 0" for a MAC on an adapter. */
function place(leg: number, peer: string | undefined): string {
  return peer !== undefined ? `VTEP ${peer} on leg ${leg}` : `leg ${leg}`;
}

/** The stderr line for an event (null: none). Exported for tests. */
export function describeEvent(e: BridgeEvent, snapshot: () => BridgeSnapshot): string | null {
  switch (e.type) {
    case 'peer-learned':
      return `[${e.leg}] learned remote VTEP ${e.address}${repeatsText(e)}`;
    case 'peer-expired':
      return `[${e.leg}] remote VTEP ${e.address} expired (silent too long)${repeatsText(e)}`;
    case 'peer-moved':
      return `[${e.leg}] remote VTEP moved from ${e.from} to ${e.to} (its NAT mapping changed)${repeatsText(e)}`;
    case 'mac-moved':
      return `[${e.leg}] MAC ${e.mac} moved from ${place(e.fromLeg, e.fromPeer)} to ${place(e.leg, e.peer)}${repeatsText(e)}`;
    case 'mac-move-refused':
      return e.reason === 'local-hold'
        ? `[${e.leg}] ${place(e.leg, e.peer)} claimed MAC ${e.mac} of a host on adapter leg ${e.heldLeg}: not moved (held until ${MAC_LOCAL_HOLD_MS / 1000} s after the host's last frame; the frame was forwarded)${repeatsText(e)}`
        : `[${e.leg}] MAC ${e.mac} moves more than ${MAC_MOVES_PER_S} times a second (a loop, or two senders with one MAC): it stays on ${place(e.heldLeg, e.heldPeer)}${repeatsText(e)}`;
    case 'mac-learn-refused':
      return e.reason === 'peer-limit'
        ? `[${e.leg}] ${place(e.leg, e.peer)} has ${MACS_PER_PEER_MAX} MACs: new ones (such as ${e.mac}) are not learned, frames to them are flooded${repeatsText(e)}`
        : `[${e.leg}] the MAC table of segment ${e.segment} is full of local and verified MACs: ${e.mac} from ${place(e.leg, e.peer)} is not learned${repeatsText(e)}`;
    case 'warning':
      return `[${e.leg}] warning: ${e.message}`;
    case 'leg-state':
      return e.state === 'error' && e.error !== undefined ? `[${e.leg}] ${snapshot().legs[e.leg]?.leg ?? `leg ${e.leg}`}: ${e.error}` : null;
    case 'data-plane':
      return `data plane: ${e.message}`;
    default:
      return assertNever(e, 'event');
  }
}

async function loadNative() {
  const [{ createDataPlanePorts, enginePorts }, { resolveNic, formatNicTable }] = await Promise.all([
    import('../../native/data-plane-ports.js'),
    import('../../native/resolve-nic.js'),
  ]);
  return { createDataPlanePorts, enginePorts, resolveNic, formatNicTable };
}

/** For bridges without W legs: pcap is never loaded. */
const noCapture: CapturePort = {
  listNics: async () => [],
  open: (nic) => {
    throw new CaptureError('open-failed', `capture was not set up for adapter ${nic}`, 'internal error: report it');
  },
};
