import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createBackend, type Backend } from '../backend/backend.js';
import { resolvedPath, startBrowserHost, type BrowserHost } from '../backend/browser-host.js';
import { fakeBridgeFactory, type FakeBridge } from '../backend/fake-bridge.js';
import { WS_PATH, type WsPush, type WsReply } from '../contract/ipc-contract.js';
import { createProfileStore } from '../backend/profiles/profile-store.js';
import { openBrowser, parseUiArgs, runUiWith, type OpenEnv } from './ui-command.js';

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
    createBridge: fakeBridgeFactory((fb) => bridges.push(fb)),
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

/** Spends the pairing URL; returns the Cookie header value for the session. */
async function pair(port: number, url: string, headers: Record<string, string> = {}): Promise<{ cookie: string; res: Res }> {
  const res = await get(port, new URL(url).pathname, headers);
  const set = String(res.headers['set-cookie']?.[0] ?? '');
  return { cookie: set.split(';')[0] ?? '', res };
}

describe('browser host', () => {
  let host: BrowserHost;
  let backend: Backend;
  let port: number;
  let good: Record<string, string>;
  let cookie: string;
  let withCookie: Record<string, string>;
  beforeEach(async () => {
    bridges = [];
    backend = fakeBackend(path.join(tmp, `data-${Date.now()}-${Math.random()}`));
    host = await startBrowserHost({ backend, rendererDir: renderer, port: 0 });
    port = host.port;
    good = { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` };
    cookie = '';
  });
  afterEach(async () => {
    await backend.dispose();
    await host.close();
  });
  const paired = async () => {
    cookie = (await pair(port, host.url)).cookie;
    withCookie = { cookie };
    expect(cookie).toMatch(new RegExp(`^vxbridge_session_${port}=[0-9a-f]{64}$`));
  };

  it('binds to loopback with a one-time pairing URL (32 random bytes, hex)', () => {
    expect(host.host).toBe('127.0.0.1');
    expect(host.origin).toBe(`http://127.0.0.1:${port}`);
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/pair/[0-9a-f]{64}$`));
    expect(host.cookieName).toBe(`vxbridge_session_${port}`);
  });

  it('pairing sets an HttpOnly, SameSite=Strict session cookie and redirects (303) to /', async () => {
    const { res, cookie: c } = await pair(port, host.url);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const set = res.headers['set-cookie'] ?? [];
    expect(set).toHaveLength(1);
    const attrs = (set[0] ?? '').split(';').map((x) => x.trim());
    expect(attrs).toContain('HttpOnly');
    expect(attrs).toContain('SameSite=Strict');
    expect(attrs).toContain('Path=/');
    expect(attrs.some((a) => /^(Max-Age|Expires|Domain)=/i.test(a))).toBe(false); // a session cookie, this host only
    expect((await get(port, '/', { cookie: c })).body).toBe(INDEX);
  });

  it('the pairing token works once; a new one can be issued and the old unused one dies', async () => {
    await paired();
    const again = await get(port, new URL(host.url).pathname);
    expect(again.status).toBe(403);
    expect(again.body).toContain('restart `ubdg ui`'.replace('restart', 'Restart'));
    expect(again.body).toContain('SIGUSR1');
    expect(again.headers['set-cookie']).toBeUndefined();
    // The browser that paired may reload the pairing URL: it is just sent on.
    expect((await get(port, new URL(host.url).pathname, withCookie)).status).toBe(303);
    const second = host.newPairingUrl();
    const third = host.newPairingUrl();
    expect(second).not.toBe(host.url);
    expect((await get(port, new URL(second).pathname)).status).toBe(403); // superseded by `third`
    const p3 = await pair(port, third);
    expect(p3.res.status).toBe(303);
    expect(p3.cookie).not.toBe(cookie);
    expect((await get(port, '/', { cookie: p3.cookie })).status).toBe(200);
    expect((await get(port, '/', withCookie)).status).toBe(200); // the first session lives on
    for (const bad of ['/pair/', `/pair/${'0'.repeat(64)}`, '/pair/x', `/?pair=${new URL(third).pathname.slice(6)}`, '/?token=x']) {
      const r = await get(port, bad);
      expect(r.status, bad).toBe(403);
      expect(r.headers['set-cookie'], bad).toBeUndefined();
    }
  });

  it('serves the page only with the session cookie, with a strict CSP', async () => {
    expect((await get(port, '/')).status).toBe(403);
    expect((await get(port, '/', { cookie: `vxbridge_session_${port}=${'0'.repeat(64)}` })).status).toBe(403);
    await paired();
    expect((await get(port, '/', { cookie: `${cookie}x` })).status).toBe(403);
    expect((await get(port, '/', { cookie: cookie.replace(`_${port}=`, `_${port + 1}=`) })).status).toBe(403);
    const ok = await get(port, '/', { cookie: `other=1; ${cookie}; more=2` });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(INDEX);
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`ws://127.0.0.1:${port}`);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect((await get(port, '/index.html', withCookie)).status).toBe(200);
  });

  it('decides on the resolved path: encoded, doubled, trailing-slash and dot-segment pages need the cookie', async () => {
    const variants = [
      '/%69ndex.html',
      '//index.html',
      '/index.html/',
      '/./index.html',
      '/assets/../index.html',
      '/%2e/index.html',
      '///',
      '/.',
      '/assets/..',
      '/%2Findex.html',
      '/assets//app.js',
      '/assets/app.js/',
      '/%61ssets/app.js',
    ];
    for (const p of variants) {
      const r = await get(port, p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).not.toContain('<!doctype html>');
      expect(r.body, p).not.toContain('console.log');
    }
    await paired();
    for (const p of variants) {
      const r = await get(port, p, withCookie);
      expect(r.status, p).toBe(200);
    }
    expect(resolvedPath('/%69ndex.html')).toBe('/index.html');
    expect(resolvedPath('//index.html')).toBe('/index.html');
    expect(resolvedPath('/index.html/')).toBe('/index.html');
    expect(resolvedPath('/a/../../b')).toBe('/b');
    for (const odd of ['/%zz', '/%00', '/a%5cb', '/a\\b']) expect(resolvedPath(odd), odd).toBeNull();
    for (const odd of ['/%zz', '/%00/index.html', '/..%5cindex.html']) {
      expect((await get(port, odd, withCookie)).status, odd).toBe(400);
      expect((await get(port, odd)).status, odd).toBe(400);
    }
  });

  it('bounces a cookieless cross-site page navigation once through a same-origin refresh', async () => {
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    const r = await get(port, '/', nav);
    expect(r.status).toBe(200);
    expect(r.body).toContain('http-equiv="refresh" content="0;url=/"');
    expect(r.body).not.toContain('root');
    expect((await get(port, '/', { ...nav, 'sec-fetch-site': 'same-origin' })).status).toBe(403);
    expect((await get(port, '/assets/app.js', nav)).status).toBe(403);
  });

  it('serves assets, never files outside the renderer folder', async () => {
    expect((await get(port, '/assets/app.js')).status).toBe(403);
    await paired();
    const js = await get(port, '/assets/app.js', withCookie);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/nope.js']) {
      const r = await get(port, p, withCookie);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('outside');
    }
    const bs = await get(port, '/..%5csecret.txt', withCookie);
    expect(bs.status).toBe(400);
    expect(bs.body).not.toContain('outside');
  });

  it('rejects a foreign Host (DNS rebinding) on pages, pairing, assets and upgrades', async () => {
    for (const h of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'localhost', `attacker.127.0.0.1.nip.io:${port}`]) {
      expect((await get(port, new URL(host.url).pathname, { host: h })).status, h).toBe(403);
    }
    await paired(); // the token was not spent by the foreign-Host requests
    for (const h of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'localhost', `attacker.127.0.0.1.nip.io:${port}`]) {
      expect((await get(port, '/', { host: h, cookie })).status, h).toBe(403);
      expect((await get(port, '/assets/app.js', { host: h, cookie })).status, h).toBe(403);
      expect(await connect(port, '', { ...good, cookie, host: h, origin: `http://${h}` }), h).toBe(403);
    }
    expect((await get(port, '/', { host: `localhost:${port}`, cookie })).status).toBe(200);
  });

  it('refuses the WebSocket without the session cookie, or with a foreign Origin', async () => {
    // Right Host and Origin, no/wrong session: handshake, then close 4401 (the page can say why), nothing invoked.
    for (const c of ['', `vxbridge_session_${port}=wrong`, `vxbridge_session_${port}=${'0'.repeat(64)}`]) {
      const r = await refusedClose(port, `?token=x`, c ? { ...good, cookie: c } : good);
      expect(r, c).toEqual({ code: 4401, reason: 'session refused', messages: [] });
    }
    await paired();
    // The pairing token itself is no WebSocket credential.
    expect(await refusedClose(port, `?pair=${new URL(host.url).pathname.slice(6)}`, good)).toMatchObject({ code: 4401 });
    expect(bridges).toHaveLength(0);
    expect(await connect(port, '', { host: good.host ?? '', cookie })).toBe(403); // no Origin
    expect(await connect(port, '', { ...good, cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await connect(port, '', { ...good, cookie, origin: `https://127.0.0.1:${port}` })).toBe(403);
    expect(await connect(port, '', { ...good, cookie, origin: 'null' })).toBe(403);
    const ws = await connect(port, '', { ...good, cookie });
    expect(ws).toBeInstanceOf(WebSocket);
    if (ws instanceof WebSocket) ws.close();
  });

  it('answers 400 to an absolute-form or odd request target, and keeps serving', async () => {
    await paired();
    const hostHdr = `Host: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\n`;
    const upgradeHdrs = `Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://127.0.0.1:${port}\r\n`;
    for (const target of ['http://a:b:c/', `http://127.0.0.1:${port}/`, '*', `//evil.example${WS_PATH}`]) {
      const page = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${hostHdr}Connection: close\r\n\r\n`);
      expect(page, target).toMatch(/^HTTP\/1\.1 (400|404) /);
      expect(page, target).not.toContain('<!doctype html>');
      const up = await rawRequest(port, `GET ${target} HTTP/1.1\r\n${hostHdr}${upgradeHdrs}\r\n`);
      expect(up, target).toMatch(/^HTTP\/1\.1 (400|404) /);
    }
    expect(await rawRequest(port, `GET http://a:b:c/ HTTP/1.1\r\n${hostHdr}Connection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get(port, '/', withCookie)).status).toBe(200);
    const ws = await connect(port, '', { ...good, cookie });
    expect(ws).toBeInstanceOf(WebSocket);
    if (ws instanceof WebSocket) ws.close();
  });

  it('answers requests and pushes snapshots over the WebSocket', async () => {
    await paired();
    const ws = await connect(port, '', { ...good, cookie });
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
    await paired();
    const ws = (await connect(port, '', { ...good, cookie })) as WebSocket;
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
      const { cookie: c } = await pair(h2.port, h2.url, { host: `127.0.0.1:${h2.port}` });
      const r = await get(h2.port, '/', { host: `127.0.0.1:${h2.port}`, cookie: c });
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

  it('prints the one-time URL once, serves, prints a new one on request, and stops the bridge on a signal', async () => {
    bridges = [];
    const { io: streams, text } = io();
    let stop: (sig: string) => void = () => undefined;
    let askPair: () => void = () => undefined;
    let url = '';
    const opened: string[] = [];
    const done = runUiWith(['--port', '0'], streams, {
      rendererDir: renderer,
      makeBackend: async (dir) => fakeBackend(dir),
      openBrowser: (u) => {
        opened.push(u);
        return { opened: false, reason: 'test: no browser' };
      },
      untilStopped: () => new Promise((r) => (stop = r)),
      onListening: (u) => (url ||= u),
      onPairRequest: (l) => {
        askPair = l;
        return () => (askPair = () => undefined);
      },
    });
    await expect.poll(() => url).not.toBe('');
    expect(text().stdout).toBe(`vxbridge UI: ${url}\n`);
    expect(text().stdout).toMatch(/^vxbridge UI: http:\/\/127\.0\.0\.1:\d+\/pair\/[0-9a-f]{64}\n$/);
    expect(text().stderr).toContain('works ONCE');
    expect(text().stderr).toContain('no browser opened: test: no browser');
    expect(opened).toEqual([url]);
    const u = new URL(url);
    const port = Number(u.port);
    const { cookie } = await pair(port, url);
    expect((await get(port, u.pathname)).status).toBe(403); // spent
    expect((await get(port, '/', { cookie })).status).toBe(200);
    askPair();
    const lines = text().stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const fresh = lines[1]?.replace('vxbridge UI: ', '') ?? '';
    expect(fresh).toMatch(/\/pair\/[0-9a-f]{64}$/);
    expect((await pair(port, fresh)).res.status).toBe(303);
    const ws = (await connect(port, '', { host: u.host, origin: u.origin, cookie })) as WebSocket;
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

describe('opening the browser', () => {
  const URL1 = `http://127.0.0.1:4242/pair/${'ab'.repeat(32)}`;
  let dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    dirs = [];
  });
  function env(uid: number | undefined, vars: NodeJS.ProcessEnv = {}) {
    const spawned: { cmd: string; args: readonly string[]; options: { uid?: number; gid?: number } }[] = [];
    const chowned: [string, number, number][] = [];
    const t = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-open-'));
    dirs.push(t);
    const e: OpenEnv = {
      platform: 'linux',
      uid,
      env: vars,
      tmpdir: t,
      spawn: (cmd, args, options) => spawned.push({ cmd, args, options }),
      chown: (f, u, g) => chowned.push([f, u, g]),
    };
    return { e, spawned, chowned, tmp: t };
  }

  it('opens a 0600 redirect file in a 0700 folder: the token is on no command line', () => {
    const { e, spawned } = env(1000);
    const r = openBrowser(URL1, e);
    expect(r.opened).toBe(true);
    const file = r.file ?? '';
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${URL1}">`);
    expect(spawned).toEqual([{ cmd: 'xdg-open', args: [file], options: {} }]);
    for (const s of spawned) expect(JSON.stringify(s)).not.toContain('ab'.repeat(32));
    r.cleanup?.();
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('as root without SUDO_USER: no browser, and says why', () => {
    const { e, spawned, tmp: t } = env(0, {});
    const r = openBrowser(URL1, e);
    expect(r.opened).toBe(false);
    expect(r.reason).toContain('root');
    expect(spawned).toEqual([]);
    expect(fs.readdirSync(t)).toEqual([]); // nothing written either
    expect(openBrowser(URL1, env(0, { SUDO_USER: 'root', SUDO_UID: '0' }).e).opened).toBe(false);
  });

  it('as root under sudo: opens as the invoking user, with the file handed to that user', () => {
    const { e, spawned, chowned } = env(0, { SUDO_USER: 'alice', SUDO_UID: '1000', SUDO_GID: '1001' });
    const r = openBrowser(URL1, e);
    expect(r.opened).toBe(true);
    const file = r.file ?? '';
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(chowned).toEqual([
      [path.dirname(file), 1000, 1001],
      [file, 1000, 1001],
    ]);
    expect(spawned).toEqual([{ cmd: 'runuser', args: ['-u', 'alice', '--', 'xdg-open', file], options: {} }]);
    for (const s of spawned) expect(JSON.stringify(s)).not.toContain('ab'.repeat(32));
    r.cleanup?.();
  });

  it('runUiWith says why no browser was opened', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let stderr = '';
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    let stop: (sig: string) => void = () => undefined;
    let url = '';
    const done = runUiWith(
      ['--port', '0'],
      { stdout: out, stderr: err },
      {
        rendererDir: renderer,
        makeBackend: async (dir) => fakeBackend(dir),
        openBrowser: (u) => openBrowser(u, env(0, {}).e),
        untilStopped: () => new Promise((r) => (stop = r)),
        onListening: (u) => (url = u),
      },
    );
    await expect.poll(() => url).not.toBe('');
    expect(stderr).toContain('no browser opened: running as root without SUDO_USER');
    stop('SIGINT');
    expect(await done).toBe(0);
  });
});
