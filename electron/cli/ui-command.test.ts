import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBackend, type Backend } from '../backend/backend.js';
import { startBrowserHost, type BrowserHost } from '../backend/browser-host.js';
import { createFakeBridge, type FakeBridge } from '../backend/fake-bridge.js';
import { WS_PATH, type WsPush, type WsReply } from '../contract/ipc-contract.js';
import { createProfileStore } from '../backend/profiles/profile-store.js';
import { parseUiArgs, runUiWith } from './ui-command.js';

let tmp: string;
let renderer: string;
const INDEX =
  '<!doctype html><html><head><meta charset="utf-8"><title>vxbridge</title></head><body><div id="root"></div><script type="module" src="./assets/app.js"></script></body></html>';

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-ui-'));
  renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), INDEX);
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside');
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let bridges: FakeBridge[] = [];
function fakeBackend(dataDir: string): Backend {
  return createBackend({
    host: 'browser',
    version: '0.0.1',
    profiles: createProfileStore({ dataDir }),
    createBridge: (legs) => {
      const fb = createFakeBridge(legs);
      bridges.push(fb);
      return fb;
    },
    listNics: async () => [],
    snapshotIntervalMs: 50,
  });
}

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
function get(port: number, pathAndQuery: string, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathAndQuery, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with it, or with the HTTP status of a refused upgrade. */
function connect(port: number, query: string, headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Sends raw bytes over TCP; resolves with everything the server wrote before closing. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
    let got = '';
    sock.setEncoding('utf8');
    sock.on('data', (c: string) => {
      got += c;
      if (/\r\n\r\n/.test(got) && /Connection: close/i.test(got)) sock.end();
    });
    sock.on('close', () => resolve(got));
    sock.on('error', reject);
  });
}

/** Opens a WebSocket that the host accepts and then closes: its close code, reason and any messages. */
function refusedClose(port: number, query: string, headers: Record<string, string>): Promise<{ code: number; reason: string; messages: string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}${query}`, { headers });
    const messages: string[] = [];
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'bridge:start', args: [['5000#W:E@eth0']] })));
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with HTTP ${res.statusCode ?? 0}`)));
    ws.on('error', reject);
  });
}

class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: WsReply) => void>();
  readonly pushes: WsPush[] = [];
  readonly raw: unknown[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as WsReply | WsPush;
      this.raw.push(m);
      if ('push' in m) this.pushes.push(m);
      else this.waiting.get(m.id)?.(m);
    });
  }
  call(channel: string, args: unknown[]): Promise<WsReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, args }));
    });
  }
}

describe('browser host', () => {
  let host: BrowserHost;
  let backend: Backend;
  let port: number;
  let good: Record<string, string>;
  beforeEach(async () => {
    bridges = [];
    backend = fakeBackend(path.join(tmp, `data-${Date.now()}-${Math.random()}`));
    host = await startBrowserHost({ backend, rendererDir: renderer, port: 0 });
    port = host.port;
    good = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
  });
  afterEach(async () => {
    await backend.dispose();
    await host.close();
  });

  it('binds to loopback with a 32-byte hex token in the URL', () => {
    expect(host.host).toBe('127.0.0.1');
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    expect(host.url).toBe(`http://127.0.0.1:${port}/?token=${host.token}`);
  });

  it('serves the page only with the right token, with a strict CSP', async () => {
    expect((await get(port, '/')).status).toBe(403);
    expect((await get(port, '/?token=')).status).toBe(403);
    expect((await get(port, `/?token=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await get(port, `/?token=${host.token}x`)).status).toBe(403);
    const ok = await get(port, `/?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(INDEX);
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`ws://127.0.0.1:${port}`);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await get(port, `/index.html?token=${host.token}`)).status).toBe(200);
  });

  it('serves assets, never files outside the renderer folder', async () => {
    const js = await get(port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/nope.js']) {
      const r = await get(port, p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('outside');
    }
  });

  it('rejects a foreign Host (DNS rebinding) on pages, assets and upgrades', async () => {
    for (const h of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'localhost', `attacker.127.0.0.1.nip.io:${port}`]) {
      expect((await get(port, `/?token=${host.token}`, { host: h })).status, h).toBe(403);
      expect((await get(port, '/assets/app.js', { host: h })).status, h).toBe(403);
      expect(await connect(port, `?token=${host.token}`, { ...good, host: h, origin: `http://${h}` }), h).toBe(403);
    }
    expect((await get(port, `/?token=${host.token}`, { host: `localhost:${port}` })).status).toBe(200);
  });

  it('rejects upgrades without the token or with a foreign Origin', async () => {
    // Right Host and Origin, wrong/missing token: handshake, then close 4401 (the page can say "token"), nothing invoked.
    for (const q of ['', '?token=wrong', `?token=${'0'.repeat(64)}`]) {
      const r = await refusedClose(port, q, good);
      expect(r, q).toEqual({ code: 4401, reason: 'token refused', messages: [] });
    }
    expect(bridges).toHaveLength(0);
    expect(await connect(port, `?token=${host.token}`, { host: good.host ?? '' })).toBe(403); // no Origin
    expect(await connect(port, `?token=${host.token}`, { ...good, origin: 'http://evil.example' })).toBe(403);
    expect(await connect(port, `?token=${host.token}`, { ...good, origin: `https://127.0.0.1:${port}` })).toBe(403);
    expect(await connect(port, `?token=${host.token}`, { ...good, origin: 'null' })).toBe(403);
  });

  it('answers 400 to an absolute-form or odd request target, and keeps serving', async () => {
    const hostHdr = `Host: 127.0.0.1:${port}\r\n`;
    const upgradeHdrs = `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:${port}\r\n`;
    for (const target of ['http://a:b:c/', `http://127.0.0.1:${port}/?token=${host.token}`, '*', `//evil.example${WS_PATH}`]) {
      const page = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${hostHdr}Connection: close\r\n\r\n`);
      expect(page, target).toMatch(/^HTTP\/1\.1 (400|404) /);
      expect(page, target).not.toContain('<!doctype html>');
      const up = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${hostHdr}${upgradeHdrs}\r\n`);
      expect(up, target).toMatch(/^HTTP\/1\.1 (400|404) /);
    }
    expect(await rawRequest(port, `GET http://a:b:c/ HTTP/1.1\r\n${hostHdr}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get(port, `/?token=${host.token}`)).status).toBe(200);
    const ws = await connect(port, `?token=${host.token}`, good);
    expect(ws).toBeInstanceOf(WebSocket);
    if (ws instanceof WebSocket) ws.close();
  });

  it('answers requests and pushes snapshots over the WebSocket', async () => {
    const ws = await connect(port, `?token=${host.token}`, good);
    expect(ws).toBeInstanceOf(WebSocket);
    const c = new Client(ws as WebSocket);
    expect(await c.call('app:info', [])).toMatchObject({ result: { ok: true, value: { version: '0.0.1', host: 'browser' } } });
    expect(await c.call('bridge:start', [['junk']])).toMatchObject({ result: { ok: false, error: expect.stringContaining('legs[0]: invalid leg "junk"') } });
    const started = await c.call('bridge:start', [['1#W:E@eth0', '1#V:E@10.0.0.1:0']]);
    expect(started.result.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const snaps = c.pushes.filter((p) => p.push === 'bridge:snapshot');
    expect(snaps.length).toBeGreaterThanOrEqual(3);
    bridges[0]?.emit({ type: 'peer-learned', leg: 1, address: '192.0.2.7:4789' });
    await new Promise((r) => setTimeout(r, 50));
    expect(c.pushes.some((p) => p.push === 'bridge:event')).toBe(true);
    expect(await c.call('bridge:stop', [])).toMatchObject({ result: { ok: true, value: null } });
    (ws as WebSocket).close();
  });

  it('answers malformed messages with errors and keeps the connection', async () => {
    const ws = (await connect(port, `?token=${host.token}`, good)) as WebSocket;
    const c = new Client(ws);
    const replies = () => c.raw.filter((m): m is WsReply => typeof m === 'object' && m !== null && 'id' in m);
    ws.send('not json');
    ws.send('[1,2]');
    ws.send(JSON.stringify({ id: 'x', channel: 'app:info', args: [] }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await c.call('nope:nope', [])).toMatchObject({ result: { ok: false, error: 'Unknown channel "nope:nope"' } });
    expect(await c.call('app:info', 'x' as unknown as unknown[])).toMatchObject({ result: { ok: false } });
    expect(await c.call('profiles:load', [{ evil: true }])).toMatchObject({ result: { ok: false, error: 'name: expected a string, got an object' } });
    await new Promise((r) => setTimeout(r, 50));
    const bad = replies().filter((r) => r.id === -1);
    expect(bad).toHaveLength(4);
    for (const r of bad) expect(r.result.ok).toBe(false);
    expect(await c.call('app:info', [])).toMatchObject({ result: { ok: true } });
    ws.close();
  });

  it('says so when the renderer is not built', async () => {
    const h2 = await startBrowserHost({ backend, rendererDir: path.join(tmp, 'missing'), port: 0 });
    try {
      const r = await get(h2.port, `/?token=${h2.token}`, { host: `127.0.0.1:${h2.port}` });
      expect(r.status).toBe(503);
      expect(r.body).toContain('npm run build:renderer');
    } finally {
      await h2.close();
    }
  });
});

describe('ubdg ui command', () => {
  const args: readonly [string[], string | object][] = [
    [[], { port: 0, host: '127.0.0.1', open: true, help: false }],
    [['--port', '8080', '--no-open'], { port: 8080, open: false }],
    [['--port=9000', '--host=0.0.0.0'], { port: 9000, host: '0.0.0.0' }],
    [['--data-dir', '/tmp/x'], { dataDir: '/tmp/x' }],
    [['--port', '70000'], '--port: expected a port number'],
    [['--port'], '--port: expected a port number'],
    [['--port', '-1'], '--port: expected a port number'],
    [['--host', 'a b'], '--host: expected an address'],
    [['--bogus'], 'unknown option "--bogus"'],
  ];
  it.each(args)('parses %j', (argv, want) => {
    const r = parseUiArgs(argv);
    if (typeof want === 'string') {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(want);
    } else expect(r).toMatchObject({ ok: true, args: want });
  });

  function io() {
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    return { io: { stdout: out, stderr: err }, text: () => ({ stdout, stderr }) };
  }

  it('prints the URL, serves, and stops the bridge on a signal', async () => {
    bridges = [];
    const { io: streams, text } = io();
    let stop: (sig: string) => void = () => undefined;
    let url = '';
    const opened: string[] = [];
    const done = runUiWith(['--port', '0'], streams, {
      rendererDir: renderer,
      makeBackend: async (dir) => fakeBackend(dir),
      openBrowser: (u) => opened.push(u),
      untilStopped: () => new Promise((r) => (stop = r)),
      onListening: (u) => (url = u),
    });
    await expect.poll(() => url).not.toBe('');
    expect(text().stdout).toBe(`vxbridge UI: ${url}\n`);
    expect(text().stdout).toMatch(/^vxbridge UI: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}\n$/);
    expect(opened).toEqual([url]);
    const u = new URL(url);
    const port = Number(u.port);
    expect((await get(port, `/${u.search}`)).status).toBe(200);
    const ws = (await connect(port, u.search, { host: u.host, origin: u.origin })) as WebSocket;
    const c = new Client(ws);
    expect((await c.call('bridge:start', [['1#W:E@eth0', '1#V:E@10.0.0.1:0']])).result.ok).toBe(true);
    stop('SIGTERM');
    expect(await done).toBe(0);
    expect(bridges[0]?.calls).toEqual(['start', 'stop']);
    expect(text().stderr).toContain('SIGTERM: stopping');
    await expect(get(port, '/')).rejects.toThrow(); // server closed
  });

  it('warns when not bound to loopback, fails cleanly on a busy port', async () => {
    const { io: s1, text: t1 } = io();
    let stop: (sig: string) => void = () => undefined;
    let url = '';
    const done = runUiWith(['--host', '0.0.0.0', '--no-open'], s1, {
      rendererDir: renderer,
      makeBackend: async (dir) => fakeBackend(dir),
      openBrowser: () => {
        throw new Error('must not open');
      },
      untilStopped: () => new Promise((r) => (stop = r)),
      onListening: (u) => (url = u),
    });
    await expect.poll(() => url).not.toBe('');
    expect(t1().stderr).toContain('warning: listening on 0.0.0.0, not on loopback');
    const port = Number(new URL(url).port);
    const { io: s2, text: t2 } = io();
    const code = await runUiWith(['--port', String(port), '--host', '0.0.0.0', '--no-open'], s2, {
      rendererDir: renderer,
      makeBackend: async (dir) => fakeBackend(dir),
      openBrowser: () => undefined,
      untilStopped: () => new Promise(() => undefined),
    });
    expect(code).toBe(1);
    expect(t2().stderr).toContain('already in use');
    stop('SIGINT');
    expect(await done).toBe(0);
  });

  it('usage errors exit with 2', async () => {
    const { io: s, text } = io();
    const code = await runUiWith(['--nope'], s, {
      rendererDir: renderer,
      makeBackend: async (dir) => fakeBackend(dir),
      openBrowser: () => undefined,
      untilStopped: () => new Promise(() => undefined),
    });
    expect(code).toBe(2);
    expect(text().stderr).toContain('Usage: ubdg ui');
  });
});
