// window.vxbridge (Electron preload) when present, else the WebSocket client to
// the `ubdg ui` host that served this page.

import type { VxbridgeApi } from '../../../electron/contract/ipc-contract.js';
import { staticHost, type ApiHost, type LinkStatus } from './host.js';
import { createWsHost, wsUrlFromLocation } from './ws-client.js';

declare global {
  interface Window {
    readonly vxbridge?: VxbridgeApi;
  }
}

const TOKEN_KEY = 'vxbridge.token';

export function pickHost(win: Window = window): ApiHost {
  if (win.vxbridge) return staticHost(win.vxbridge, 'electron');
  let stored: string | null = null;
  try {
    const fromUrl = new URLSearchParams(win.location.search).get('token');
    if (fromUrl) win.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    stored = win.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    /* storage disabled */
  }
  const url = wsUrlFromLocation(win.location, stored);
  if (!url) return noTokenHost();
  return createWsHost({ url });
}

/** Opened without ?token=…: nothing to connect to, say how to fix it. */
function noTokenHost(): ApiHost {
  const status: LinkStatus = {
    state: 'disconnected',
    detail: 'This page needs the access token. Open the full address that `ubdg ui` printed (it ends in ?token=…).',
  };
  const fail = () => Promise.resolve({ ok: false as const, error: status.detail! });
  const api = new Proxy({} as VxbridgeApi, {
    get: (_t, prop) => (prop === 'onSnapshot' || prop === 'onEvent' ? () => () => {} : fail),
  });
  return { api, kind: 'browser', status: () => status, onStatus: () => () => {}, reconnectNow: () => {} };
}
