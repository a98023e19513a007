// A page that connects to a running bridge takes over what the backend says runs.

import { beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from '../api/host.js';
import { createFakeApi, legSnapshots, type FakeApi } from '../testing/fake-api.js';
import { mergeReplayed, resetBridge, useBridge, type LogEntry } from './bridge-store.js';
import { useConnection } from './connection-store.js';
import { resetDrafts, useDrafts } from './draft-store.js';
import { hydrateRunningSetup, replayRecentEvents } from './hydrate.js';
import { resetProfiles, useProfiles } from './profile-store.js';

const LEGS = ['5000#W:E@eth0', '5000#V:E@10.0.0.1:0*s3cret-key:8000'];
let fake: FakeApi;

function running(legs: readonly string[], profile: string | null, startedAt = 1234): void {
  fake.running = { time: 2000, running: true, legs: legSnapshots(legs), peers: [], macs: [], peerCount: 0, macCount: 0 };
  fake.setup = { legs, profile, startedAt };
}

beforeEach(() => {
  resetBridge();
  resetDrafts();
  resetProfiles();
  fake = createFakeApi({ profiles: [{ version: 1, name: 'lab', legs: [LEGS[0]!], autoStart: true }] });
  useConnection.getState().setHost(staticHost(fake.api));
});

describe('hydrateRunningSetup', () => {
  it('does nothing when nothing runs', async () => {
    useDrafts.getState().replaceAll(['7#W:E@eth9']);
    expect(await hydrateRunningSetup()).toBe(false);
    expect(useDrafts.getState().legs.map((d) => d.text)).toEqual(['7#W:E@eth9']);
  });

  it('an unsaved running setup: its legs in the editor (key included), no profile, the uptime from the backend', async () => {
    running(LEGS, null);
    expect(await hydrateRunningSetup()).toBe(true);
    expect(useDrafts.getState().legs.map((d) => d.text)).toEqual(LEGS);
    expect(useDrafts.getState().legs[1]?.fields).toMatchObject({ keySource: 'literal', key: 's3cret-key' });
    expect(useProfiles.getState()).toMatchObject({ current: null, savedLegs: null, autoStart: false });
    expect(useBridge.getState().startedAt).toBe(1234);
  });

  it('a profile with changes: its name, and its saved legs as the baseline', async () => {
    running(LEGS, 'lab');
    await hydrateRunningSetup();
    expect(useProfiles.getState()).toMatchObject({ current: 'lab', savedLegs: [LEGS[0]], autoStart: true });
  });

  it('replaces other legs the editor held, but keeps the drafts (and what is open) when they are the running ones', async () => {
    useDrafts.getState().replaceAll(['7#W:E@eth9']);
    running(LEGS, null);
    await hydrateRunningSetup();
    const drafts = useDrafts.getState().legs;
    useDrafts.getState().select(drafts[1]!.id);
    await hydrateRunningSetup();
    expect(useDrafts.getState().legs).toBe(drafts);
    expect(useDrafts.getState().selectedId).toBe(drafts[1]!.id);
  });
});

describe('replaying the recent events', () => {
  const entry = (id: number, time: number, source: LogEntry['source'], text: string): LogEntry => ({ id, time, source, level: 'info', text });

  it('the backend’s events replace the engine events the page had, its own notes stay, in time order', () => {
    const had = [entry(1, 10, 'ui', 'Bridge started with 2 legs'), entry(2, 11, 'bridge', 'stale'), entry(3, 30, 'ui', 'Bridge stopped')];
    const merged = mergeReplayed(had, [
      { time: 12, event: { type: 'peer-learned', leg: 1, address: '192.0.2.7:4789' } },
      { time: 20, event: { type: 'warning', leg: 0, message: 'offload' } },
    ]);
    expect(merged.map((e) => [e.time, e.source, e.text])).toEqual([
      [10, 'ui', 'Bridge started with 2 legs'],
      [12, 'bridge', 'Learned VTEP 192.0.2.7:4789 on leg 2'],
      [20, 'bridge', 'Leg 1: offload'],
      [30, 'ui', 'Bridge stopped'],
    ]);
  });

  it('fills the empty log of a reloaded page from the backend', async () => {
    fake.emitEvent({ type: 'leg-state', leg: 0, state: 'running' });
    fake.emitEvent({ type: 'peer-learned', leg: 1, address: '192.0.2.7:4789' });
    await replayRecentEvents();
    expect(useBridge.getState().events.map((e) => e.text)).toEqual(['Leg 1 is running', 'Learned VTEP 192.0.2.7:4789 on leg 2']);
    // Again (a reconnect): no duplicates.
    await replayRecentEvents();
    expect(useBridge.getState().events).toHaveLength(2);
  });
});
