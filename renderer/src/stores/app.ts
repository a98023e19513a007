// Wires a host to the stores: pushes into the bridge store, link changes into
// the connection store, and a full resync whenever the link (re)connects.

import type { ApiHost } from '../api/host.js';
import { useBridge } from './bridge-store.js';
import { useConnection } from './connection-store.js';
import { useDrafts } from './draft-store.js';
import { hydrateRunningSetup, replayRecentEvents } from './hydrate.js';
import { useProfiles } from './profile-store.js';
import { useSettings } from './settings-store.js';

export interface ConnectOptions {
  /** Open the most recent profile in the editor on first connect when nothing runs (default true). */
  readonly restoreRecent?: boolean;
}

export function connectApp(host: ApiHost, options: ConnectOptions = {}): () => void {
  useConnection.getState().setHost(host);
  const offSnap = host.api.onSnapshot((s) => {
    const wasIdle = useBridge.getState().phase === 'idle';
    useBridge.getState().ingest(s);
    // Adopted a bridge started elsewhere (auto-start, another window): show its setup.
    if (wasIdle && useBridge.getState().phase === 'running') void hydrateRunningSetup();
  });
  const offEvent = host.api.onEvent((e) => useBridge.getState().onEvent(e));
  let firstSync = true;

  const sync = async () => {
    const conn = useConnection.getState();
    // Each applies its answer as soon as it comes (the event replay must not wait
    // for the others, or events pushed meanwhile would be replaced by an older list).
    const [, , , , running] = await Promise.all([
      conn.loadAppInfo(),
      conn.refreshNics(),
      useProfiles.getState().refresh(),
      useBridge.getState().sync(),
      hydrateRunningSetup(),
      replayRecentEvents(),
      useSettings.getState().load(),
    ]);
    if (firstSync) {
      firstSync = false;
      if (!running && options.restoreRecent !== false) await restoreRecent();
    }
  };

  const offStatus = host.onStatus((s) => {
    useConnection.getState().setLink(s);
    if (s.state === 'connected') void sync();
  });
  if (host.status().state === 'connected') void sync();

  return () => {
    offSnap();
    offEvent();
    offStatus();
  };
}

/** Opens the most recent profile into an empty editor. Starting a profile flagged
 *  auto-start is the host's job (Electron main and `ubdg ui` do it after the page
 *  loads); its snapshots then arrive as pushes. Starting here too would race it. */
async function restoreRecent(): Promise<void> {
  const recent = useProfiles.getState().recent[0];
  if (!recent || useDrafts.getState().legs.length > 0) return;
  await useProfiles.getState().load(recent);
}
