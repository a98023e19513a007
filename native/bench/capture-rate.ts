// How many frames/s one Node process captures through native/pcap-capture.ts
// from a veth while another process floods the peer end, for several pcap
// buffer sizes. Needs root; builds and always deletes its own namespace.
//
//   bash native/bench/run-capture-bench.sh            (compiles, then runs this)
//   node OUT/native/bench/capture-rate.js [SECONDS] [REPEATS] [OFFLOADS=off|on]
//
// Modes (the orchestrator runs the other two inside the namespace):
//   recv NIC BUFFER_BYTES      capture until "stop" on stdin, print JSON
//   send NIC SECONDS PATTERN   inject 60-byte frames; PATTERN = flood | burst:FRAMES:PAUSE_MS
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createPcapCapturePort } from '../pcap-capture.js';

const [mode = 'orchestrate', ...args] = process.argv.slice(2);
const FRAME_LEN = 60; // 64-byte Ethernet frame without FCS

function recv(nic: string, bufferBytes: number): void {
  let frames = 0;
  let first = 0n;
  let last = 0n;
  const h = createPcapCapturePort().open(
    nic,
    () => {
      if (frames++ === 0) first = process.hrtime.bigint();
      last = process.hrtime.bigint();
    },
    { bufferBytes },
  );
  const cpu0 = process.cpuUsage();
  process.stdout.write('ready\n');
  process.stdin.once('data', () => {
    const cpu = process.cpuUsage(cpu0);
    h.close();
    const seconds = Number(last - first) / 1e9;
    process.stdout.write(`${JSON.stringify({ frames, seconds, cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
    process.exit(0);
  });
}

async function send(nic: string, seconds: number, pattern: string): Promise<void> {
  const h = createPcapCapturePort().open(nic, () => {}, { bufferBytes: 1 << 20 });
  const frame = Buffer.alloc(FRAME_LEN);
  Buffer.from('020000000002020000000001', 'hex').copy(frame);
  frame.writeUInt16BE(0x88b5, 12);
  const [, burstArg, pauseArg] = pattern.split(':');
  const burst = pattern === 'flood' ? 1000 : Number(burstArg);
  const pauseMs = pattern === 'flood' ? 0 : Number(pauseArg);
  let sent = 0;
  let failed = 0;
  const start = Date.now();
  while (Date.now() - start < seconds * 1000) {
    for (let i = 0; i < burst; i++) {
      frame.writeUInt32BE(sent, 14);
      if (h.inject(frame, 0, FRAME_LEN)) sent++;
      else failed++;
    }
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  const elapsed = (Date.now() - start) / 1000;
  h.close();
  process.stdout.write(`${JSON.stringify({ sent, failed, seconds: elapsed })}\n`);
}

interface Row {
  pattern: string;
  bufferMiB: number;
  sent: number;
  sentPps: number;
  captured: number;
  capturedPps: number;
  lossPct: number;
  recvCpuUsPerFrame: number;
}

async function runOnce(ns: string, pattern: string, bufferBytes: number, seconds: number): Promise<Row> {
  const self = fileURLToPath(import.meta.url);
  const rx = spawn('ip', ['netns', 'exec', ns, process.execPath, self, 'recv', 'vxbenchb', String(bufferBytes)], { stdio: ['pipe', 'pipe', 'ignore'] });
  const rxOut = lines(rx.stdout);
  if ((await rxOut.next()).value !== 'ready') throw new Error('receiver did not start');
  const tx = spawn('ip', ['netns', 'exec', ns, process.execPath, self, 'send', 'vxbencha', String(seconds), pattern], { stdio: ['ignore', 'pipe', 'ignore'] });
  const txResult = JSON.parse((await lines(tx.stdout).next()).value ?? '{}') as { sent: number; seconds: number };
  await new Promise((r) => setTimeout(r, 500)); // let the receiver drain its ring
  rx.stdin.write('stop\n');
  const rxResult = JSON.parse((await rxOut.next()).value ?? '{}') as { frames: number; seconds: number; cpuS: number };
  await Promise.all([once(rx, 'exit'), tx.exitCode === null ? once(tx, 'exit') : undefined]);
  return {
    pattern,
    bufferMiB: bufferBytes / 2 ** 20,
    sent: txResult.sent,
    sentPps: Math.round(txResult.sent / txResult.seconds),
    captured: rxResult.frames,
    capturedPps: Math.round(rxResult.frames / txResult.seconds),
    lossPct: Math.round((1 - rxResult.frames / txResult.sent) * 1000) / 10,
    recvCpuUsPerFrame: Math.round((rxResult.cpuS / Math.max(1, rxResult.frames)) * 1e7) / 10,
  };
}

async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let buf = '';
  for await (const chunk of stream) {
    buf += String(chunk);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, nl);
      buf = buf.slice(nl + 1);
    }
  }
}

async function orchestrate(seconds: number, repeats: number, offloads: 'on' | 'off'): Promise<void> {
  const ns = `vxbnatbench${process.pid}`;
  const sh = (...a: string[]) => execFileSync(a[0]!, a.slice(1), { stdio: 'ignore' });
  sh('ip', 'netns', 'add', ns);
  try {
    sh('ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
    sh('ip', '-n', ns, 'link', 'add', 'vxbencha', 'type', 'veth', 'peer', 'name', 'vxbenchb');
    for (const nic of ['vxbencha', 'vxbenchb']) {
      // Offloads off, as on any bridged NIC (no GSO super-frames, real checksums).
      // 'on' shows the cost of leaving them on: libpcap then sizes each ring slot
      // for a 64 KB frame instead of MTU + 18, so the same buffer holds ~40x fewer frames.
      if (offloads === 'off') sh('ip', 'netns', 'exec', ns, 'ethtool', '-K', nic, 'tx', 'off', 'rx', 'off', 'gso', 'off', 'tso', 'off', 'gro', 'off');
      else sh('ip', 'netns', 'exec', ns, 'ethtool', '-K', nic, 'gso', 'on', 'gro', 'on');
      sh('ip', '-n', ns, 'link', 'set', nic, 'up');
    }
    for (let r = 0; r < repeats; r++) {
      for (const pattern of ['flood', 'burst:20000:200']) {
        for (const mib of [1, 8, 32]) {
          const row = await runOnce(ns, pattern, mib * 2 ** 20, seconds);
          process.stdout.write(`${JSON.stringify({ ...row, offloads })}\n`);
        }
      }
    }
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

if (mode === 'recv') recv(args[0] ?? '', Number(args[1]));
else if (mode === 'send') await send(args[0] ?? '', Number(args[1]), args[2] ?? 'flood');
else await orchestrate(Number(mode === 'orchestrate' ? 5 : mode) || 5, Number(args[0]) || 1, args[1] === 'on' ? 'on' : 'off');
