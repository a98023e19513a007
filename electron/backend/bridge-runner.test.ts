import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeEvent } from '../model/events.js';
import type { LegSpec } from '../model/leg-spec.js';
import { createBridgeRunner, HEALTHY_AFTER_MS, MAX_RESTARTS_IN_A_ROW, RESTART_DELAY_MS, type BridgeBuildOptions } from './bridge-runner.js';
import { createFakeBridge, type FakeBridge } from './fake-bridge.js';

const LEGS: LegSpec[] = [{ kind: 'W', segment: 1, nic: 'eth0' }];

/** A fake bridge whose "process" can die: the runner must restart it. */
type CrashableFake = FakeBridge & { crash(reason: string): void };

function setup() {
  const bridges: CrashableFake[] = [];
  const builds: BridgeBuildOptions[] = [];
  const events: BridgeEvent[] = [];
  const runner = createBridgeRunner({
    createBridge: (legs, options) => {
      builds.push(options);
      const fb = createFakeBridge(legs);
      const listeners = new Set<(r: string) => void>();
      const b: CrashableFake = Object.assign(fb, {
        onCrash: (l: (r: string) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
        crash: (reason: string) => {
          void fb.stop();
          for (const l of listeners) l(reason);
        },
      });
      bridges.push(b);
      return b;
    },
    periodMs: 250,
    listening: () => true,
    onSnapshot: () => {},
    onEvent: (e) => events.push(e),
    log: () => {},
  });
  const notices = () => events.flatMap((e) => (e.type === 'data-plane' ? [`${e.state}: ${e.message}`] : []));
  return { runner, bridges, builds, notices };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('bridge runner supervision', () => {
  it('starts the same legs again after a crash, and says so in plain words', async () => {
    const { runner, bridges, notices } = setup();
    expect((await runner.start(LEGS)).ok).toBe(true);
    bridges[0]!.crash('killed by SIGKILL');
    expect(notices()).toEqual([
      `crashed: The bridge's data-plane process stopped unexpectedly (killed by SIGKILL). Starting it again with the same legs (attempt 1 of ${MAX_RESTARTS_IN_A_ROW})…`,
    ]);
    await vi.advanceTimersByTimeAsync(RESTART_DELAY_MS);
    expect(bridges).toHaveLength(2);
    expect(bridges[1]!.legs).toEqual(LEGS);
    expect(runner.status()?.running).toBe(true);
    expect(notices().at(-1)).toBe(`restarted: The bridge is running again (restart 1 of ${MAX_RESTARTS_IN_A_ROW} after: killed by SIGKILL).`);
  });

  it('restarts on the data plane the Start chose (a setting saved since waits for the next Start)', async () => {
    const { runner, bridges, builds } = setup();
    expect((await runner.start(LEGS, { dataPlane: 'js' })).ok).toBe(true);
    bridges[0]!.crash('killed by SIGKILL');
    await vi.advanceTimersByTimeAsync(RESTART_DELAY_MS);
    expect(builds).toEqual([{ dataPlane: 'js' }, { dataPlane: 'js' }]);
    await runner.stop();
    expect((await runner.start(LEGS)).ok).toBe(true);
    expect(builds.at(-1)).toEqual({ dataPlane: 'auto' });
  });

  it(`gives up after ${MAX_RESTARTS_IN_A_ROW} restarts in a row and stays stopped until the user starts it`, async () => {
    const { runner, bridges, notices } = setup();
    await runner.start(LEGS);
    for (let i = 0; i < MAX_RESTARTS_IN_A_ROW; i++) {
      bridges.at(-1)!.crash('killed by SIGSEGV (a crash)');
      await vi.advanceTimersByTimeAsync(RESTART_DELAY_MS * (i + 1));
    }
    expect(bridges).toHaveLength(MAX_RESTARTS_IN_A_ROW + 1);
    bridges.at(-1)!.crash('killed by SIGSEGV (a crash)');
    await vi.advanceTimersByTimeAsync(10 * RESTART_DELAY_MS * MAX_RESTARTS_IN_A_ROW);
    expect(bridges).toHaveLength(MAX_RESTARTS_IN_A_ROW + 1);
    expect(runner.status()).toBeNull();
    expect(notices().at(-1)).toMatch(/^gave-up: .*failed 4 times in a row, so the bridge stays stopped: .*press Start to try again\.$/);
    expect((await runner.start(LEGS)).ok).toBe(true);
  });

  it('counts a crash after a healthy run as the first of a new row', async () => {
    const { runner, bridges, notices } = setup();
    await runner.start(LEGS);
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(HEALTHY_AFTER_MS);
      bridges.at(-1)!.crash('exited with code 1');
      await vi.advanceTimersByTimeAsync(RESTART_DELAY_MS);
    }
    expect(bridges).toHaveLength(7);
    expect(notices().filter((n) => n.startsWith('gave-up'))).toEqual([]);
    expect(notices().filter((n) => n.includes('attempt 1 of'))).toHaveLength(6);
  });

  it('does not restart a bridge the user stopped meanwhile', async () => {
    const { runner, bridges } = setup();
    await runner.start(LEGS);
    bridges[0]!.crash('killed by SIGKILL');
    await runner.stop();
    await vi.advanceTimersByTimeAsync(10 * RESTART_DELAY_MS);
    expect(bridges).toHaveLength(1);
    expect(runner.status()).toBeNull();
  });
});
