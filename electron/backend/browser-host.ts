// The `ubdg ui` host: serves the built renderer to a browser and carries the
// same IPC channels over one WebSocket (WsRequest/WsReply/WsPush).
// Access control, in order, on every request:
//   1. Host must be this server's own address:port (127.0.0.1, localhost, [::1]
//      or the explicit bind address): a DNS-rebinding page has a foreign Host.
//   2. Pairing: the URL `ubdg ui` prints/opens is /pair/<one-time token>. The
//      first request with it gets a session cookie (random, HttpOnly,
//      SameSite=Strict, Path=/, held in memory only) and a 303 to "/", so the
//      token leaves the address bar. The token is then spent: a second use is a
//      403 (unless that browser already has a session: then it is sent to "/").
//      newPairingUrl() issues a fresh token (ubdg ui does so on SIGUSR1) and
//      retires any unused one.
//   3. Everything else (pages and assets, decided on the resolved path: percent-
//      decoded, duplicate slashes, dot segments and a trailing slash folded) and
//      the WebSocket need a session cookie of this run.
//   4. The WebSocket upgrade also needs an Origin equal to http://<Host>.
//      With the right Host and Origin but no valid session, the handshake
//      completes and the socket is closed at once with 4401 "session refused"
//      (so the page can say so), without ever reading a message from it.
// Request targets must be origin-form ("/path?query"): anything else is a 400.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type WsPush, type WsReply } from '../contract/ipc-contract.js';
import { browserHostCsp } from '../contract/csp.js';
import type { Backend } from './backend.js';
import { WS_CLIENT_BUFFER_MAX, WS_SLOW_CLIENT_GRACE_MS } from '../model/defaults.js';

export const DEFAULT_UI_HOST = '127.0.0.1';
const MAX_WS_MESSAGE = 1024 * 1024;
/** Close code for a WebSocket without a valid session cookie (the client maps it to "open the printed URL again"). */
export const WS_CLOSE_SESSION_REFUSED = 4401;
/** @deprecated the old name (there is no token on the socket any more). */
export const WS_CLOSE_TOKEN_REFUSED = WS_CLOSE_SESSION_REFUSED;
/** Pairing URLs are /pair/<token>. */
export const PAIR_PREFIX = '/pair/';
/** A client this far behind misses snapshots (they are states, the next one supersedes). */
const MAX_BUFFERED = 4 * 1024 * 1024;
/** Close code for a client that stopped reading (WS_CLIENT_BUFFER_MAX bytes queued for it). */
export const WS_CLOSE_TOO_SLOW = 4408;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export interface BrowserHostOptions {
  readonly backend: Backend;
  /** Vite's output folder (index.html + assets). */
  readonly rendererDir: string;
  /** Bind address; default 127.0.0.1. */
  readonly host?: string;
  /** 0 = any free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export interface BrowserHost {
  /** The first one-time pairing URL: http://127.0.0.1:PORT/pair/<token>. */
  readonly url: string;
  /** http://127.0.0.1:PORT (no secret in it). */
  readonly origin: string;
  readonly port: number;
  readonly host: string;
  /** Name of the session cookie (per port: cookies do not tell ports apart). */
  readonly cookieName: string;
  /** A fresh one-time pairing URL; any unused earlier one stops working. */
  newPairingUrl(): string;
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function secretMatches(given: string | null | undefined, secret: string): boolean {
  if (given === null || given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * The path a request target resolves to, as a file server would see it:
 * percent-decoded, duplicate slashes folded, dot segments resolved, no trailing
 * slash ("/" stays "/"). Null for what no file can be named by (bad escapes,
 * NUL, backslash): those targets are a 400.
 */
export function resolvedPath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  let p = path.posix.normalize(decoded.replace(/\/{2,}/g, '/'));
  if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  return p.startsWith('/') ? p : null;
}

/** Host header values this server answers to. */
function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set<string>(['127.0.0.1', 'localhost', '[::1]']);
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const addrs of Object.values(os.networkInterfaces())) {
      for (const a of addrs ?? []) names.add(bracket(a.address.replace(/%.*$/, '')));
    }
  } else {
    names.add(bracket(bindHost));
  }
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

function securityHeaders(hostPort: string): Record<string, string> {
  return {
    'Content-Security-Policy': browserHostCsp(hostPort),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The pairing URL carries a token: never send it anywhere as a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function plain(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}

function rejectUpgrade(socket: Duplex, status: 400 | 403 | 404, text: string): void {
  const reason = status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

/** The request target as a URL, or null: only origin-form ("/path?query") is
 *  accepted; absolute-form, "*" and anything unparsable are refused (never thrown). */
export function parseTarget(raw: string | undefined, host: string): URL | null {
  if (raw === undefined || !raw.startsWith('/')) return null;
  try {
    return new URL(`http://${host}${raw}`);
  } catch {
    return null;
  }
}

/** Resolves a URL path to a file inside `root`, or null (traversal, missing, not a file). */
function fileInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const full = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  try {
    const real = fs.realpathSync(full);
    const realRoot = fs.realpathSync(root);
    if (real !== realRoot && !real.startsWith(realRoot + path.sep)) return null;
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const bindHost = opts.host ?? DEFAULT_UI_HOST;
  /** The live pairing token; null once spent (until newPairingUrl()). */
  let pairing: string | null = randomBytes(32).toString('hex');
  /** Session cookie values of this run (in memory only: a restart signs every browser out). */
  const sessions = new Set<string>();
  let cookieName = 'vxbridge_session';
  const root = path.resolve(opts.rendererDir);
  const log = opts.log ?? (() => undefined);
  let hosts = new Set<string>();
  const clients = new Set<WebSocket>();
  /** Sockets being closed for a wrong token: never answered, only terminated on close(). */
  const refused = new Set<WebSocket>();

  const hostOk = (req: http.IncomingMessage): string | null => {
    const h = (req.headers.host ?? '').toLowerCase();
    return hosts.has(h) ? h : null;
  };

  const hasSession = (req: http.IncomingMessage): boolean => {
    const given = cookieValue(req.headers.cookie, cookieName);
    let ok = false;
    for (const sid of sessions) ok = secretMatches(given, sid) || ok;
    return ok;
  };

  const pair = (res: http.ServerResponse, given: string, session: boolean, headers: Record<string, string>): void => {
    const live = pairing;
    if (live !== null && secretMatches(given, live)) {
      pairing = null; // spent
      const sid = randomBytes(32).toString('hex');
      sessions.add(sid);
      log('a browser paired (the one-time URL is now spent)');
      res.writeHead(303, {
        ...headers,
        Location: '/',
        'Set-Cookie': `${cookieName}=${sid}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
        'Content-Type': 'text/plain; charset=utf-8',
      });
      res.end('Paired: continue to /\n');
      return;
    }
    // A reload of the pairing URL in a browser that is already paired: just go on.
    if (session) {
      res.writeHead(303, { ...headers, Location: '/', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    plain(
      res,
      403,
      'Forbidden: this pairing URL is not valid (it works once and was already used, or it belongs to an earlier run). ' +
        'Restart `ubdg ui`, or send it SIGUSR1 (kill -USR1 <pid>) to print a new one-time URL, and open that.',
      headers,
    );
  };

  const serve = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const host = hostOk(req);
    if (host === null) return plain(res, 403, 'Forbidden: this server only answers to its own address (DNS rebinding protection).');
    const headers = securityHeaders(host);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed', { ...headers, Allow: 'GET, HEAD' });
    const url = parseTarget(req.url, host);
    if (url === null) return plain(res, 400, 'Bad request target', headers);
    const resolved = resolvedPath(url.pathname);
    if (resolved === null) return plain(res, 400, 'Bad request target', headers);
    const session = hasSession(req);
    if (resolved.startsWith(PAIR_PREFIX)) return pair(res, resolved.slice(PAIR_PREFIX.length), session, headers);
    if (!session) {
      // A navigation that started on another site (the redirect file opened from
      // disk, a link) does not carry a SameSite=Strict cookie, even right after
      // pairing. Bounce such a page load once through a same-origin refresh,
      // which does carry it; a second miss is a plain 403.
      if (req.headers['sec-fetch-site'] === 'cross-site' && req.headers['sec-fetch-mode'] === 'navigate' && resolved === '/') {
        res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end('<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/"><title>vxbridge</title>\n');
        return;
      }
      return plain(
        res,
        403,
        'Forbidden: this browser has no session with `ubdg ui`. Open the one-time URL that `ubdg ui` printed (restart it, or send it SIGUSR1, for a new one).',
        headers,
      );
    }
    const isPage = resolved === '/' || resolved === '/index.html';
    if (resolved === WS_PATH) return plain(res, 400, 'This is the WebSocket endpoint.', headers);
    const file = fileInside(root, isPage ? '/index.html' : resolved);
    if (file === null) {
      if (isPage) return plain(res, 503, `The UI is not built: ${path.join(root, 'index.html')} is missing. Run "npm run build:renderer".`, headers);
      return plain(res, 404, 'Not found', headers);
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    fs.readFile(file, (err, body) => {
      if (err) return plain(res, 500, 'Cannot read the file', headers);
      res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': isPage ? 'no-store' : 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  };

  const server = http.createServer((req, res) => {
    // Nothing a client sends may throw out of here (an uncaught exception would end `ubdg ui`).
    try {
      serve(req, res);
    } catch (err) {
      log(`request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) plain(res, 400, 'Bad request');
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE, perMessageDeflate: false });

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const host = hostOk(req);
    if (host === null) return rejectUpgrade(socket, 403, 'Forbidden: foreign Host');
    const url = parseTarget(req.url, host);
    if (url === null) return rejectUpgrade(socket, 400, 'Bad request target');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not found');
    if (req.headers.origin?.toLowerCase() !== `http://${host}`) return rejectUpgrade(socket, 403, 'Forbidden: foreign Origin');
    if (!hasSession(req)) {
      // Same Host and Origin (our own page) but no valid session (never paired,
      // or the host restarted): complete the handshake only to say why (a refused
      // upgrade looks like "host down" in a browser), then close. No message
      // handler: nothing is ever invoked.
      wss.handleUpgrade(req, socket, head, (ws) => {
        refused.add(ws);
        ws.on('close', () => refused.delete(ws));
        ws.on('error', (err) => log(`websocket error: ${err.message}`));
        ws.close(WS_CLOSE_SESSION_REFUSED, 'session refused');
      });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log(`upgrade socket error: ${err.message}`));
    try {
      upgrade(req, socket, head);
    } catch (err) {
      log(`upgrade failed: ${err instanceof Error ? err.message : String(err)}`);
      if (socket.writable) rejectUpgrade(socket, 400, 'Bad request');
      else socket.destroy();
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', (err) => log(`websocket error: ${err.message}`));
    ws.on('message', (data, isBinary) => {
      void answer(ws, isBinary ? null : data.toString());
    });
  });

  /**
   * Sends unless the client stopped reading. Snapshots are skipped past
   * MAX_BUFFERED; events and replies cannot be (they are not states), so a
   * client that would have more than WS_CLIENT_BUFFER_MAX queued is closed
   * instead of growing our memory, and cut off if it does not close in time.
   * (Text length stands for bytes: JSON here is nearly all ASCII.)
   */
  function send(ws: WebSocket, text: string, skippable: boolean): void {
    if (ws.readyState !== ws.OPEN) return;
    const queued = ws.bufferedAmount;
    if (skippable && queued > MAX_BUFFERED) return;
    if (queued === 0 || queued + text.length <= WS_CLIENT_BUFFER_MAX) {
      ws.send(text);
      return;
    }
    log(`websocket client closed: ${Math.round(queued / 1024)} KiB not yet sent to it (it stopped reading)`);
    ws.close(WS_CLOSE_TOO_SLOW, 'too slow: stopped reading');
    setTimeout(() => {
      if (ws.readyState === ws.CLOSED) return;
      log('websocket client cut off: it did not close in time');
      ws.terminate();
    }, WS_SLOW_CLIENT_GRACE_MS).unref();
  }

  async function answer(ws: WebSocket, text: string | null): Promise<void> {
    let id = -1;
    let reply: WsReply;
    try {
      const msg: unknown = text === null ? undefined : JSON.parse(text);
      const m = msg as { id?: unknown; channel?: unknown; args?: unknown } | undefined;
      if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Error('expected a JSON object {id, channel, args}');
      if (typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || m.id < 0) throw new Error('id: expected a non-negative integer');
      id = m.id;
      reply = { id, result: await opts.backend.invoke(m.channel, m.args) };
    } catch (err) {
      reply = { id, result: { ok: false, error: `Bad request: ${err instanceof Error ? err.message : String(err)}` } };
    }
    send(ws, JSON.stringify(reply), false);
  }

  const unsubscribe = opts.backend.subscribe((m) => {
    const push: WsPush = { push: m.channel, payload: m.payload };
    const text = JSON.stringify(push);
    for (const ws of clients) send(ws, text, m.channel === 'bridge:snapshot');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    unsubscribe();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(bindHost, port);
  cookieName = `vxbridge_session_${port}`;
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bracket(bindHost);
  const origin = `http://${shownHost}:${port}`;
  const url = `${origin}${PAIR_PREFIX}${pairing ?? ''}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    origin,
    port,
    host: bindHost,
    cookieName,
    newPairingUrl() {
      pairing = randomBytes(32).toString('hex');
      return `${origin}${PAIR_PREFIX}${pairing}`;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const ws of [...clients, ...refused]) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
