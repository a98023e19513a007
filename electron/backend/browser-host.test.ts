// Back-pressure of the browser host: a WebSocket client that stops reading is
// closed before what is queued for it costs the host memory.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_PATH } from '../contract/ipc-contract.js';
import { WS_CLIENT_BUFFER_MAX } from '../model/defaults.js';
import type { Backend, PushListener } from './backend.js';
import { startBrowserHost, WS_CLOSE_TOO_SLOW, type BrowserHost } from './browser-host.js';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-host-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>vxbridge</title>');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Only what the host uses: requests are answered "ok", pushes come from the test. */
function fakeBackend() {
  const listeners = new Set<PushListener>();
  const backend = {
    invoke: async () => ({ ok: true, value: null }),
    subscribe: (l: PushListener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as unknown as Backend;
  /** An event push of about `bytes` bytes to every client. */
  const push = (bytes: number) => {
    for (const l of listeners) l({ channel: 'bridge:event', payload: { type: 'warning', leg: 0, message: 'x'.repeat(bytes) } });
  };
  return { backend, push };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const CHUNK = 64 * 1024;

let host: BrowserHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function setup() {
  const logs: string[] = [];
  const { backend, push } = fakeBackend();
  host = await startBrowserHost({ backend, rendererDir: tmp, port: 0, log: (l) => logs.push(l) });
  const h = `127.0.0.1:${host.port}`;
  const paired = await fetch(host.url, { redirect: 'manual' });
  const cookie = (paired.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  expect(logs.splice(0)).toEqual(['a browser paired (the one-time URL is now spent)']);
  const ws = new WebSocket(`ws://${h}${WS_PATH}`, { headers: { host: h, origin: `http://${h}`, cookie } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let received = 0;
  ws.on('message', (d: Buffer) => (received += d.length));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { logs, push, ws, closed, received: () => received };
}

/** Pushes CHUNK-sized events, a few per tick (so the kernel buffers fill too), until `done` or `max` bytes. */
async function flood(push: (bytes: number) => void, done: () => boolean, max: number): Promise<number> {
  let sent = 0;
  while (!done() && sent < max) {
    for (let i = 0; i < 8; i++) push(CHUNK);
    sent += 8 * CHUNK;
    await tick();
  }
  return sent;
}

describe('browser host back-pressure', () => {
  it('closes a client that stopped reading, with a code it sees once it reads again', async () => {
    const c = await setup();
    c.ws.pause(); // a tab that hangs: nothing is read from the socket any more
    const sent = await flood(c.push, () => c.logs.some((l) => l.includes('stopped reading')), 256 * 1024 * 1024);
    expect(c.logs.filter((l) => l.startsWith('websocket client closed'))).toHaveLength(1);
    for (let i = 0; i < 100; i++) c.push(CHUNK); // later pushes are not queued for it
    c.ws.resume();
    expect(await c.closed).toEqual({ code: WS_CLOSE_TOO_SLOW, reason: 'too slow: stopped reading' });
    // What reached it is what was queued when it was closed: the bound plus the kernel's socket buffers.
    expect(c.received()).toBeLessThan(sent);
    expect(c.received()).toBeGreaterThan(WS_CLIENT_BUFFER_MAX);
  });

  it('cuts off a closed client that does not finish the close handshake', async () => {
    const c = await setup();
    c.ws.pause();
    await flood(c.push, () => c.logs.some((l) => l.includes('stopped reading')), 256 * 1024 * 1024);
    await expect.poll(() => c.logs.some((l) => l.includes('cut off')), { timeout: 5_000 }).toBe(true);
    c.ws.resume();
    expect((await c.closed).code).toBe(1006); // the socket went away without a close frame
  });

  it('keeps a client that reads, through many events', async () => {
    const c = await setup();
    const sent = await flood(c.push, () => false, 32 * 1024 * 1024);
    await expect.poll(() => c.received(), { timeout: 10_000 }).toBeGreaterThanOrEqual(sent);
    expect(c.logs).toEqual([]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });
});
