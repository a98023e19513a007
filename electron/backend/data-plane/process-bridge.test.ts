import { describe, expect, it } from 'vitest';
import { DATA_PLANE_FALLBACK_MAX } from '../../model/data-plane.js';
import type { LegSpec } from '../../model/leg-spec.js';
import type { BridgeSnapshot } from '../../model/snapshot.js';
import { createProcessBridge } from './process-bridge.js';
import type { DataPlaneChannel, FromDataPlane, ToDataPlane } from './protocol.js';

const LEGS: LegSpec[] = [{ kind: 'U', segment: 7, localAddress: '127.0.0.1', localPort: 40000, remoteAddress: '127.0.0.1', remotePort: 40001 }];

/** A data-plane process in memory: records what it was sent, answers on demand. */
class FakeProcess implements DataPlaneChannel {
  readonly pid = 4242;
  readonly sent: ToDataPlane[] = [];
  killed = false;
  private listener: (m: FromDataPlane) => void = () => {};
  private exitListener: (code: number | null, signal: string | null) => void = () => {};
  send(m: ToDataPlane): void {
    this.sent.push(m);
  }
  onMessage(l: (m: FromDataPlane) => void): void {
    this.listener = l;
  }
  onExit(l: (code: number | null, signal: string | null) => void): void {
    this.exitListener = l;
  }
  kill(): void {
    this.killed = true;
    this.exit(null, 'SIGKILL');
  }
  reply(m: FromDataPlane): void {
    this.listener(m);
  }
  exit(code: number | null, signal: string | null): void {
    this.exitListener(code, signal);
  }
}

const NATIVE = { kind: 'native' } as const;

const snap = (running: boolean, rx = 0): BridgeSnapshot => ({
  time: 1,
  running,
  legs: [
    {
      id: 0,
      leg: '7#U:E@127.0.0.1:40000:127.0.0.1:40001',
      kind: 'U',
      segment: 7,
      state: running ? 'running' : 'stopped',
      warnings: [],
      drops: {} as never,
      encrypted: false,
      rxPackets: rx,
      rxBytes: 0,
      txPackets: 0,
      txBytes: 0,
    },
  ],
  peers: [],
  macs: [],
  peerCount: 0,
  macCount: 0,
});

function setup() {
  const procs: FakeProcess[] = [];
  const bridge = createProcessBridge(LEGS, {
    launch: () => {
      const p = new FakeProcess();
      procs.push(p);
      return p;
    },
    snapshotIntervalMs: 250,
    dataPlane: 'native',
  });
  return { bridge, procs };
}

describe('createProcessBridge', () => {
  it('starts the process with the legs and the data plane chosen, then serves the snapshots and events it pushes', async () => {
    const { bridge, procs } = setup();
    expect(bridge.snapshot().legs[0]?.state).toBe('stopped');
    const started = bridge.start();
    const p = procs[0]!;
    expect(p.sent).toEqual([{ type: 'start', legs: LEGS, options: {}, snapshotIntervalMs: 250, dataPlane: 'native' }]);
    expect(bridge.snapshot().legs[0]?.state).toBe('starting');
    p.reply({ type: 'started', snapshot: snap(true), dataPlane: NATIVE });
    await started;
    const events: unknown[] = [];
    bridge.onEvent((e) => events.push(e));
    p.reply({ type: 'snapshot', snapshot: snap(true, 5) });
    p.reply({ type: 'event', event: { type: 'peer-learned', leg: 0, address: '192.0.2.1:4789' } });
    expect(bridge.snapshot().legs[0]?.rxPackets).toBe(5);
    expect(events).toEqual([{ type: 'peer-learned', leg: 0, address: '192.0.2.1:4789' }]);
  });

  it('reports which data plane the process runs, and why auto fell back (checked, the reason cut to one sentence)', async () => {
    const { bridge, procs } = setup();
    expect(bridge.dataPlane()).toBeNull();
    const started = bridge.start();
    procs[0]!.reply({ type: 'started', snapshot: snap(true), dataPlane: { kind: 'js', fallback: `the native data plane is not built ${'x'.repeat(1000)}` } });
    await started;
    expect(bridge.dataPlane()?.kind).toBe('js');
    expect(bridge.dataPlane()?.fallback).toMatch(/^the native data plane is not built x+$/);
    expect(bridge.dataPlane()?.fallback?.length).toBe(DATA_PLANE_FALLBACK_MAX);

    const b = setup();
    const s2 = b.bridge.start();
    b.procs[0]!.reply({ type: 'started', snapshot: snap(true), dataPlane: { kind: 'quantum' } as never });
    await s2;
    expect(b.bridge.dataPlane()).toBeNull(); // not something to show
  });

  it('shows a leg whose key comes from a file as encrypted before the first snapshot arrives', () => {
    const keyed: LegSpec[] = [{ kind: 'V', segment: 7, local: '10.0.0.1', remote: { mode: 'provider' }, keyFile: '/etc/vxbridge/lab.key' }];
    const bridge = createProcessBridge(keyed, { launch: () => new FakeProcess(), snapshotIntervalMs: 250, dataPlane: 'auto' });
    expect(bridge.snapshot().legs[0]?.encrypted).toBe(true);
  });

  it('rejects the start with the process’s error, or when the process dies while starting', async () => {
    const a = setup();
    const s1 = a.bridge.start();
    a.procs[0]!.reply({ type: 'start-failed', error: 'cannot load the capture module' });
    await expect(s1).rejects.toThrow('cannot load the capture module');
    const b = setup();
    const s2 = b.bridge.start();
    b.procs[0]!.exit(null, 'SIGSEGV');
    await expect(s2).rejects.toThrow('killed by SIGSEGV (a crash) while starting');
  });

  it('stops by asking the process, and keeps its last snapshot, stopped', async () => {
    const { bridge, procs } = setup();
    const started = bridge.start();
    procs[0]!.reply({ type: 'started', snapshot: snap(true), dataPlane: NATIVE });
    await started;
    const crashes: string[] = [];
    bridge.onCrash((r) => crashes.push(r));
    const stopped = bridge.stop();
    expect(procs[0]!.sent.at(-1)).toEqual({ type: 'stop' });
    procs[0]!.reply({ type: 'stopped', snapshot: snap(true, 9) });
    procs[0]!.exit(0, null);
    await stopped;
    expect(bridge.snapshot()).toMatchObject({ running: false, legs: [{ state: 'stopped', rxPackets: 9 }] });
    expect(crashes).toEqual([]);
  });

  it('reports a process that dies while running as a crash, once, and shows the bridge stopped', async () => {
    const { bridge, procs } = setup();
    const started = bridge.start();
    procs[0]!.reply({ type: 'started', snapshot: snap(true), dataPlane: NATIVE });
    await started;
    const crashes: string[] = [];
    bridge.onCrash((r) => crashes.push(r));
    procs[0]!.exit(null, 'SIGKILL');
    expect(crashes).toEqual(['killed by SIGKILL']);
    expect(bridge.snapshot().running).toBe(false);
    await bridge.stop(); // nothing left to stop
    expect(procs[0]!.sent.filter((m) => m.type === 'stop')).toEqual([]);
  });
});
