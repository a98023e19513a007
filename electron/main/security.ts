// Electron security settings, written out (electronegativity checks for them):
// the window's webPreferences, the app:// scheme the renderer is served from,
// and handlers that deny navigation, new windows, webviews, permission
// requests and any network request from the renderer.
// Only `import type` from electron, so this file is unit-tested without Electron.

import type { CustomScheme, Session, WebContents, WebPreferences } from 'electron';
import * as path from 'node:path';
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

// ---- The renderer's origin: app://vxbridge/ ---------------------------------
// Not file://: a file:// page can load any local file, and with the
// GrantFileProtocolExtraPrivileges fuse off (electron-builder.yml) file:// gets
// no more than a browser gives it. A standard, secure scheme has a real origin,
// so the CSP's 'self' is exactly app://vxbridge, and the handler below answers
// only with files under the renderer folder.

export const APP_SCHEME = 'app';
export const APP_HOST = 'vxbridge';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads, and the only frame URL trusted to send IPC (trusted-sender.ts). */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** For protocol.registerSchemesAsPrivileged (before ready). Standard: URLs resolve like
 *  http (relative module imports, a tuple origin for 'self'); secure: a secure context.
 *  Everything else written out as off: no CSP bypass, no cross-origin reads (corsEnabled),
 *  no fetch(), no service workers. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  supportFetchAPI: false,
  corsEnabled: false,
  stream: false,
} as const satisfies NonNullable<CustomScheme['privileges']>;

/** A URL on the app's own origin (app://vxbridge, no port, no credentials). */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST && u.username === '' && u.password === '';
}

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
function isRefusedSegment(s: string): boolean {
  return s === '.' || s === '..' || s.includes(':') || s.includes('\0') || WINDOWS_DEVICE.test(s) || /[. ]$/.test(s);
}

/**
 * The file under `rendererRoot` that an app:// request names, or null (→ 404).
 * The path is percent-decoded, then refused if any segment (split on / and \) is
 * `.` or `..`, holds a `:` (a Windows drive or stream) or NUL, is a Windows device
 * name (CON, NUL, COM1…) or ends in a dot or space (Windows drops those, so the name
 * would alias another); the resolved file must still lie strictly inside the root.
 * `/` is index.html; query and hash are ignored.
 * `p` is node:path (path.win32 / path.posix in tests).
 */
export function resolveAppRequest(url: string, rendererRoot: string, p: PathApi = path): string | null {
  if (!isAppUrl(url)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  const segments = rel.split(/[/\\]/).filter((s) => s !== '');
  if (segments.length === 0) segments.push('index.html');
  if (segments.some(isRefusedSegment)) return null;
  const root = p.resolve(rendererRoot);
  const file = p.resolve(root, ...segments);
  const inside = p.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${p.sep}`) || p.isAbsolute(inside)) return null;
  return file;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Module scripts need a JavaScript type (strict MIME checking); unknown files are opaque bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The part of an Electron protocol request the handler reads. */
export interface AppRequest {
  readonly url: string;
  readonly method: string;
}

/**
 * The app:// handler for protocol.handle: GET/HEAD of a file under `rendererRoot`
 * (resolveAppRequest), with its type, the CSP and nosniff; 404 for anything else,
 * without touching the disk for a refused path. `readFile` is fs.promises.readFile
 * (asar-aware in Electron, so the asar integrity check covers these reads).
 */
export function appProtocolHandler(rendererRoot: string, readFile: (file: string) => Promise<Uint8Array>, log: (line: string) => void): (request: AppRequest) => Promise<Response> {
  const headers = (type: string): Record<string, string> => ({
    'Content-Type': type,
    'Content-Security-Policy': RENDERER_CSP,
    'X-Content-Type-Options': 'nosniff',
  });
  const notFound = (): Response => new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...headers('text/plain; charset=utf-8'), Allow: 'GET, HEAD' } });
    }
    const file = resolveAppRequest(request.url, rendererRoot);
    if (file === null) {
      log(`refused app request ${request.url}`);
      return notFound();
    }
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return notFound(); // missing, a folder, unreadable
    }
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headers(contentTypeFor(file)) });
  };
}

/** The renderer loads only its own origin (and devtools in development); no network, no
 *  file:// (the Electron renderer talks to the backend over IPC only). Which files the
 *  origin serves is resolveAppRequest's business. */
export function isAllowedRequest(url: string, devTools: boolean): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('data:')) return true; // data: images/fonts, as the CSP allows
  if (devTools && (url.startsWith('devtools:') || url.startsWith('chrome-extension:'))) return true;
  return false;
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
export function hardenSession(ses: SessionLike, devTools: boolean, log: (line: string) => void): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, devTools);
    if (!allowed) log(`blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  // The app:// handler sets the CSP itself and index.html carries it as a <meta> tag;
  // this covers any other response that has headers (devtools in development).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}
