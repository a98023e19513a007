// Runs a bridge until SIGINT/SIGTERM: status on stderr, --json snapshots on stdout.

import { createBridge } from '../engine/bridge.js';
import type { BridgeOptions } from '../engine/bridge-api.js';
import type { BridgeEvent } from '../model/events.js';
import type { LegSpec } from '../model/leg-spec.js';
import { CaptureError, type CapturePort } from '../engine/ports/capture-port.js';
import { createNodeUdpPort } from '../engine/ports/node-udp.js';
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
}

const HUMAN_SUMMARY_MS = 10_000;

export async function runBridge(specs: readonly LegSpec[], o: RunOptions, io: Io): Promise<number> {
  const needsCapture = specs.some((s) => s.kind === 'W');
  let capture: CapturePort = noCapture;
  if (needsCapture) {
    try {
      const native = await loadNative();
      capture = native.createPcapCapturePort();
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

  const bridge = createBridge(specs, { capture, udp: createNodeUdpPort() }, o.engine);
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

function describeEvent(e: BridgeEvent, snapshot: () => BridgeSnapshot): string | null {
  const leg = () => snapshot().legs[e.leg]?.leg ?? `leg ${e.leg}`;
  switch (e.type) {
    case 'peer-learned':
      return `[${e.leg}] learned remote VTEP ${e.address}`;
    case 'peer-expired':
      return `[${e.leg}] remote VTEP ${e.address} expired (silent too long)`;
    case 'peer-moved':
      return `[${e.leg}] remote VTEP moved from ${e.from} to ${e.to} (its NAT mapping changed)`;
    case 'warning':
      return `[${e.leg}] warning: ${e.message}`;
    case 'leg-state':
      return e.state === 'error' && e.error !== undefined ? `[${e.leg}] ${leg()}: ${e.error}` : null;
    default:
      return assertNever(e, 'event');
  }
}

async function loadNative() {
  const [{ createPcapCapturePort }, { resolveNic, formatNicTable }] = await Promise.all([import('../../native/pcap-capture.js'), import('../../native/resolve-nic.js')]);
  return { createPcapCapturePort, resolveNic, formatNicTable };
}

/** For bridges without W legs: pcap is never loaded. */
const noCapture: CapturePort = {
  listNics: async () => [],
  open: (nic) => {
    throw new CaptureError('open-failed', `capture was not set up for adapter ${nic}`, 'internal error: report it');
  },
};
