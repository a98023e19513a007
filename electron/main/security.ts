// Electron security settings, written out (electronegativity checks for them):
// the window's webPreferences, and handlers that deny navigation, new windows,
// webviews, permission requests and any network request from the renderer.
// Only `import type` from electron, so this file is unit-tested without Electron.

import type { Session, WebContents, WebPreferences } from 'electron';
import { RENDERER_CSP } from '../contract/csp.js';

export function secureWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

/** Links the renderer may open in the user's browser (never in a new app window). */
export const EXTERNAL_LINK_PREFIXES: readonly string[] = ['https://npcap.com/', 'https://nmap.org/npcap/'];

export function isAllowedExternalLink(url: string): boolean {
  return EXTERNAL_LINK_PREFIXES.some((p) => url.startsWith(p)) && !/[\s"'<>\\]/.test(url);
}

/** The renderer loads only its own files (and devtools in development); no network at all
 *  (the Electron renderer talks to the backend over IPC only). */
export function isAllowedRequest(url: string, rendererDirUrl: string, devTools: boolean, platform: string = process.platform): boolean {
  if (isFileInside(url, rendererDirUrl, platform === 'win32' || platform === 'darwin')) return true;
  if (url.startsWith('data:')) return true; // data: images/fonts, as the CSP allows
  if (devTools && (url.startsWith('devtools:') || url.startsWith('chrome-extension:'))) return true;
  return false;
}

/** file: URL `url` lies under the folder URL `dirUrl` (percent-decoded; case-folded where the FS is). */
function isFileInside(url: string, dirUrl: string, caseInsensitive: boolean): boolean {
  let u: URL;
  let d: URL;
  try {
    u = new URL(url);
    d = new URL(dirUrl);
  } catch {
    return false;
  }
  if (u.protocol !== 'file:' || d.protocol !== 'file:' || u.host !== d.host) return false;
  let p: string;
  let dir: string;
  try {
    p = decodeURIComponent(u.pathname);
    dir = decodeURIComponent(d.pathname);
  } catch {
    return false;
  }
  if (!dir.endsWith('/')) dir += '/';
  if (p.split('/').includes('..')) return false;
  return caseInsensitive ? p.toLowerCase().startsWith(dir.toLowerCase()) : p.startsWith(dir);
}

type Contents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Deny every navigation, window, webview; open allow-listed links externally. */
export function hardenWebContents(contents: Contents, openExternal: (url: string) => void, log: (line: string) => void): void {
  contents.on('will-navigate', (event) => {
    log(`blocked navigation to ${event.url}`);
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isSameDocument) return; // in-page anchors and history.pushState
    log(`blocked frame navigation to ${event.url}`);
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    log(`blocked redirect to ${event.url}`);
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    log('blocked a webview');
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) openExternal(url);
    else log(`blocked window.open(${url})`);
    return { action: 'deny' };
  });
}

type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onHeadersReceived' | 'onBeforeRequest'>;
};

/** Deny all permissions; CSP header on every response; cancel every foreign request. */
export function hardenSession(ses: SessionLike, rendererDirUrl: string, devTools: boolean, log: (line: string) => void): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, rendererDirUrl, devTools);
    if (!allowed) log(`blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  // file:// responses carry no headers in every Electron version, hence also the
  // <meta> tag in index.html; this covers everything that does have headers.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}
