// A page that connects to a running bridge (a reload, a second window, a
// reconnect, a bridge started by the host's auto-start) shows what runs as the
// backend, its one owner, says: the legs in the editor (read-only while it
// runs), so the adapter too; the profile and its saved legs, so whether it has
// unsaved changes; the uptime; which data plane runs it; and the backend's recent events.

import { useBridge } from './bridge-store.js';
import { api } from './connection-store.js';
import { startableLegs, useDrafts } from './draft-store.js';
import { useProfiles } from './profile-store.js';

const sameLegs = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((l, i) => l === b[i]);

/** Takes over the running setup, if a bridge runs; whether one did. */
export async function hydrateRunningSetup(): Promise<boolean> {
  const r = await api().runningSetup();
  if (!r.ok || r.value === null) return false;
  const setup = r.value;
  const drafts = useDrafts.getState();
  const editor = startableLegs(drafts.legs);
  // Already these legs (this page started them): keep the drafts, and what is expanded.
  if (!(editor.ok && sameLegs(editor.legs, setup.legs))) drafts.replaceAll(setup.legs);
  useProfiles.getState().adoptRunning(setup.profile);
  if (useBridge.getState().phase !== 'starting') useBridge.setState({ startedAt: setup.startedAt, dataPlaneRun: setup.dataPlane ?? null });
  return true;
}

/** The backend's ring of recent engine events, in place of the ones this page has (or missed). */
export async function replayRecentEvents(): Promise<void> {
  const r = await api().recentEvents();
  if (r.ok) useBridge.getState().replayEvents(r.value);
}
