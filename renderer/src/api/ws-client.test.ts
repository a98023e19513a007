import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WsRequest } from '../../../electron/contract/ipc-contract.js';
import type { LinkStatus } from './host.js';
import { createWsHost, NOT_CONNECTED, SESSION_REFUSED, wsUrlFromLocation, type SocketLike } from './ws-client.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  sent: WsRequest[] = [];
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as WsRequest);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

let sockets: FakeSocket[];
const last = () => sockets[sockets.length - 1]!;

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
});
afterEach(() => vi.useRealTimers());

function host() {
  return createWsHost({
    url: 'ws://127.0.0.1:8080/ipc',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    backoffMs: [100, 200],
    requestTimeoutMs: 1000,
  });
}

describe('WebSocket API client', () => {
  it('builds the socket address from the page address, with no token in it (the session cookie goes along)', () => {
    expect(wsUrlFromLocation({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ipc');
    expect(wsUrlFromLocation({ protocol: 'https:', host: 'h' })).toBe('wss://h/ipc');
  });

  it('pairs replies with requests by id', async () => {
    const h = host();
    last().open();
    const a = h.api.listNics();
    const b = h.api.loadProfile('lab');
    const [ra, rb] = last().sent;
    expect(ra).toEqual({ id: ra!.id, channel: 'nics:list', args: [] });
    expect(rb).toEqual({ id: rb!.id, channel: 'profiles:load', args: ['lab'] });
    last().receive({ id: rb!.id, result: { ok: false, error: 'No profile named “lab”.' } });
    last().receive({ id: ra!.id, result: { ok: true, value: [] } });
    expect(await a).toEqual({ ok: true, value: [] });
    expect(await b).toEqual({ ok: false, error: 'No profile named “lab”.' });
  });

  it('delivers pushes to subscribers', () => {
    const h = host();
    last().open();
    const snaps: unknown[] = [];
    const off = h.api.onSnapshot((s) => snaps.push(s));
    const events: unknown[] = [];
    h.api.onEvent((e) => events.push(e));
    last().receive({ push: 'bridge:snapshot', payload: { time: 1 } });
    last().receive({ push: 'bridge:event', payload: { type: 'warning', leg: 0, message: 'x' } });
    off();
    last().receive({ push: 'bridge:snapshot', payload: { time: 2 } });
    expect(snaps).toEqual([{ time: 1 }]);
    expect(events).toHaveLength(1);
  });

  it('fails calls clearly while disconnected, and when the link drops mid-call', async () => {
    const h = host();
    expect(await h.api.bridgeStatus()).toEqual({ ok: false, error: NOT_CONNECTED });
    last().open();
    const pending = h.api.stopBridge();
    last().drop();
    const r = await pending;
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/lost/);
  });

  it('reports link state and reconnects with backoff', () => {
    const h = host();
    const states: LinkStatus['state'][] = [];
    h.onStatus((s) => states.push(s.state));
    last().open();
    last().drop();
    expect(h.status().state).toBe('disconnected');
    expect(h.status().detail).toMatch(/lost/);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(sockets).toHaveLength(2);
    last().drop();
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(h.status().state).toBe('connected');
    expect(states).toEqual(['connected', 'disconnected', 'connecting', 'disconnected', 'connecting', 'connected']);
  });

  it('says so when the session is refused (policy close)', () => {
    const h = host();
    last().drop(1008);
    expect(h.status().detail).toBe(SESSION_REFUSED);
  });

  it('says so when the host closes with 4401 (what `ubdg ui` sends without a valid session cookie)', () => {
    const h = host();
    last().drop(4401);
    expect(h.status().detail).toBe(SESSION_REFUSED);
    expect(h.status().detail).toContain('Open the one-time address that `ubdg ui` printed again');
  });

  it('times out a request the host never answers', async () => {
    const h = host();
    last().open();
    const p = h.api.appInfo();
    vi.advanceTimersByTime(1000);
    const r = await p;
    expect(!r.ok && r.error).toMatch(/did not answer app:info/);
  });

  it('tells a host that cannot be reached from a lost connection', () => {
    const h = host();
    last().drop();
    expect(h.status().detail).toMatch(/Cannot reach/);
  });

  it('can reconnect at once on request', () => {
    const h = host();
    last().drop();
    h.reconnectNow();
    expect(sockets).toHaveLength(2);
  });
});
