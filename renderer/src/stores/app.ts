// Wires a host to the stores: pushes into the bridge store, link changes into
// the connection store, and a full resync whenever the link (re)connects.

import type { ApiHost } from '../api/host.js';
import { useBridge } from './bridge-store.js';
import { useConnection } from './connection-store.js';
import { startableLegs, useDrafts } from './draft-store.js';
import { useProfiles } from './profile-store.js';

export interface ConnectOptions {
  /** Load the most recent profile and start it if it has the auto-start flag (once per page). */
  readonly autoStart?: boolean;
}

export function connectApp(host: ApiHost, options: ConnectOptions = {}): () => void {
  useConnection.getState().setHost(host);
  const offSnap = host.api.onSnapshot((s) => useBridge.getState().ingest(s));
  const offEvent = host.api.onEvent((e) => useBridge.getState().onEvent(e));
  let firstSync = true;

  const sync = async () => {
    const conn = useConnection.getState();
    await Promise.all([conn.loadAppInfo(), conn.refreshNics(), useProfiles.getState().refresh(), useBridge.getState().sync()]);
    if (firstSync) {
      firstSync = false;
      if (options.autoStart !== false) await restoreRecent();
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

/** Opens the most recent profile into an empty editor; starts it if it asks to be. */
async function restoreRecent(): Promise<void> {
  const recent = useProfiles.getState().recent[0];
  if (!recent || useDrafts.getState().legs.length > 0) return;
  if (!(await useProfiles.getState().load(recent))) return;
  const bridge = useBridge.getState();
  if (useProfiles.getState().autoStart && bridge.phase === 'idle') {
    const legs = startableLegs(useDrafts.getState().legs);
    if (legs.ok) await bridge.start(legs.legs);
  }
}
