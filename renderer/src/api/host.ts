// What the UI talks to: the VxbridgeApi plus the state of the link to it.
// In Electron the preload's window.vxbridge is always "connected"; in a browser
// served by `ubdg ui` the WebSocket client reports connecting/connected/disconnected.

import type { VxbridgeApi } from '../../../electron/contract/ipc-contract.js';

export type LinkState = 'connecting' | 'connected' | 'disconnected';

export interface LinkStatus {
  readonly state: LinkState;
  /** Why we are disconnected, for the banner. */
  readonly detail?: string;
  /** When the next reconnect attempt is due (ms since epoch), if one is scheduled. */
  readonly retryAt?: number;
}

export interface ApiHost {
  readonly api: VxbridgeApi;
  readonly kind: 'electron' | 'browser';
  status(): LinkStatus;
  onStatus(listener: (s: LinkStatus) => void): () => void;
  /** Try to reconnect now (browser only; no-op in Electron). */
  reconnectNow(): void;
}

/** A host whose link never drops (Electron preload, tests, dev preview). */
export function staticHost(api: VxbridgeApi, kind: ApiHost['kind'] = 'electron'): ApiHost {
  const status: LinkStatus = { state: 'connected' };
  return { api, kind, status: () => status, onStatus: () => () => {}, reconnectNow: () => {} };
}
