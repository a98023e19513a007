// VxbridgeApi over one WebSocket, for the browser UI served by `ubdg ui`.
// Wire format from the contract: WsRequest → WsReply (paired by id), WsPush for
// snapshots and events. Reconnects with backoff; while the link is down every
// call resolves to a clear error instead of hanging.

import {
  API_METHODS,
  WS_PATH,
  type ApiMethod,
  type InvokeChannel,
  type PushChannels,
  type Result,
  type VxbridgeApi,
  type WsPush,
  type WsReply,
  type WsRequest,
} from '../../../electron/contract/ipc-contract.js';
import type { ApiHost, LinkStatus } from './host.js';

/** The subset of the browser WebSocket we use; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsClientOptions {
  readonly url: string;
  readonly createSocket?: (url: string) => SocketLike;
  /** A request unanswered for this long fails (ms). */
  readonly requestTimeoutMs?: number;
  /** Backoff steps between reconnect attempts (ms). */
  readonly backoffMs?: readonly number[];
  readonly now?: () => number;
}

const OPEN = 1;
const DEFAULT_BACKOFF = [500, 1000, 2000, 4000, 8000] as const;

export const NOT_CONNECTED = 'Not connected to the vxbridge host. It may have stopped; reconnecting…';

/** Shown when the host refuses the socket: this browser has no session (never paired, or the host restarted). */
export const SESSION_REFUSED =
  'The vxbridge host does not know this browser (no session, or `ubdg ui` was restarted). Open the one-time address that `ubdg ui` printed again ' +
  '(it works once: restart `ubdg ui`, or send it SIGUSR1, for a new one).';

/** ws(s)://host/ipc for the page's own host: the session cookie goes along by itself. */
export function wsUrlFromLocation(loc: { protocol: string; host: string }): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${WS_PATH}`;
}

interface Pending {
  readonly resolve: (r: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export function createWsHost(options: WsClientOptions): ApiHost & { close(): void } {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF;
  const now = options.now ?? (() => Date.now());

  let socket: SocketLike | null = null;
  let status: LinkStatus = { state: 'connecting' };
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const statusListeners = new Set<(s: LinkStatus) => void>();
  const snapshotListeners = new Set<(s: PushChannels['bridge:snapshot']) => void>();
  const eventListeners = new Set<(e: PushChannels['bridge:event']) => void>();

  function setStatus(s: LinkStatus): void {
    status = s;
    for (const l of statusListeners) l(s);
  }

  function failAll(error: string): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.resolve({ ok: false, error });
    }
  }

  function connect(): void {
    if (closed) return;
    retryTimer = null;
    setStatus({ state: 'connecting', detail: status.detail });
    let s: SocketLike;
    try {
      s = createSocket(options.url);
    } catch (e) {
      scheduleRetry(`Cannot open the connection: ${(e as Error).message}`);
      return;
    }
    socket = s;
    let opened = false;
    s.onopen = () => {
      opened = true;
      attempt = 0;
      setStatus({ state: 'connected' });
    };
    s.onmessage = (ev) => onMessage(ev.data);
    s.onerror = () => {
      /* onclose follows with the code */
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      socket = null;
      const why =
        ev.code === 1008 || ev.code === 4401 || ev.code === 4403
          ? SESSION_REFUSED
          : opened
            ? 'The connection to the vxbridge host was lost.'
            : 'Cannot reach the vxbridge host: it may have stopped (run `ubdg ui` again and open the address it prints).';
      failAll(why);
      scheduleRetry(why);
    };
  }

  function scheduleRetry(detail: string): void {
    if (closed) return;
    const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt++;
    setStatus({ state: 'disconnected', detail, retryAt: now() + delay });
    retryTimer = setTimeout(connect, delay);
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    if ('push' in msg) {
      const push = msg as WsPush;
      if (push.push === 'bridge:snapshot') {
        for (const l of snapshotListeners) l(push.payload as PushChannels['bridge:snapshot']);
      } else if (push.push === 'bridge:event') {
        for (const l of eventListeners) l(push.payload as PushChannels['bridge:event']);
      }
      return;
    }
    if ('id' in msg) {
      const reply = msg as WsReply;
      const p = pending.get(reply.id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.delete(reply.id);
      const r = reply.result;
      p.resolve(r && typeof r === 'object' && typeof r.ok === 'boolean' ? r : { ok: false, error: 'Malformed reply from the host.' });
    }
  }

  function invoke(channel: InvokeChannel, args: readonly unknown[]): Promise<Result<unknown>> {
    const s = socket;
    if (!s || s.readyState !== OPEN) return Promise.resolve({ ok: false, error: NOT_CONNECTED });
    const id = nextId++;
    const req: WsRequest = { id, channel, args };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ ok: false, error: `The host did not answer ${channel} in ${Math.round(timeoutMs / 1000)} s.` });
      }, timeoutMs);
      pending.set(id, { resolve, timer });
      try {
        s.send(JSON.stringify(req));
      } catch (e) {
        clearTimeout(timer);
        pending.delete(id);
        resolve({ ok: false, error: `Could not send to the host: ${(e as Error).message}` });
      }
    });
  }

  const methods = {} as Record<ApiMethod, (...args: unknown[]) => Promise<Result<unknown>>>;
  for (const m of Object.keys(API_METHODS) as ApiMethod[]) {
    const channel = API_METHODS[m];
    methods[m] = (...args: unknown[]) => invoke(channel, args);
  }

  const api = {
    ...methods,
    onSnapshot(listener: (s: PushChannels['bridge:snapshot']) => void) {
      snapshotListeners.add(listener);
      return () => void snapshotListeners.delete(listener);
    },
    onEvent(listener: (e: PushChannels['bridge:event']) => void) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
  } as unknown as VxbridgeApi;

  connect();

  return {
    api,
    kind: 'browser',
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
    reconnectNow() {
      if (closed || status.state !== 'disconnected') return;
      if (retryTimer) clearTimeout(retryTimer);
      attempt = 0;
      connect();
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      failAll('Closed.');
      socket?.close();
      socket = null;
    },
  };
}
