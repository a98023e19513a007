// window.vxbridge (Electron preload) when present, else the WebSocket client to
// the `ubdg ui` host that served this page.

import type { VxbridgeApi } from '../../../electron/contract/ipc-contract.js';
import { staticHost, type ApiHost } from './host.js';
import { createWsHost, wsUrlFromLocation } from './ws-client.js';

declare global {
  interface Window {
    readonly vxbridge?: VxbridgeApi;
  }
}

export function pickHost(win: Window = window): ApiHost {
  if (win.vxbridge) return staticHost(win.vxbridge, 'electron');
  // `ubdg ui` signed this browser in with an HttpOnly session cookie when the
  // one-time URL was opened; the WebSocket carries it by itself.
  try {
    win.sessionStorage.removeItem('vxbridge.token'); // left by older versions
  } catch {
    /* storage disabled */
  }
  return createWsHost({ url: wsUrlFromLocation(win.location) });
}
