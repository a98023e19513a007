import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../contract/ipc-contract.js';
import { forwardPushes, registerIpcHandlers, UNTRUSTED_SENDER } from './ipc-main.js';
import { hardenSession, hardenWebContents, isAllowedExternalLink, isAllowedRequest, secureWebPreferences } from './security.js';
import { isTrustedSender } from './trusted-sender.js';
import type { PushListener } from '../backend/backend.js';

const INDEX = 'file:///opt/vxbridge/resources/app.asar/dist/renderer/index.html';

describe('isTrustedSender', () => {
  const base = { frameUrl: INDEX, isMainFrame: true, isAppWindow: true };
  const cases: readonly [string, Partial<typeof base> & { frameUrl?: string | undefined }, boolean, string?][] = [
    ['our page', {}, true],
    ['our page with query and hash', { frameUrl: `${INDEX}?x=1#/profiles` }, true],
    ['another file', { frameUrl: 'file:///tmp/evil.html' }, false],
    ['another index.html', { frameUrl: 'file:///home/u/Downloads/index.html' }, false],
    ['http page', { frameUrl: 'http://127.0.0.1:8080/index.html' }, false],
    ['https page', { frameUrl: 'https://evil.example/' }, false],
    ['frame gone', { frameUrl: undefined }, false],
    ['iframe', { isMainFrame: false }, false],
    ['other window', { isAppWindow: false }, false],
    ['garbage URL', { frameUrl: 'not a url' }, false],
    ['UNC host', { frameUrl: 'file://evilhost/opt/vxbridge/resources/app.asar/dist/renderer/index.html' }, false],
    ['encoded same path', { frameUrl: INDEX.replace('renderer', 'rend%65rer') }, true],
  ];
  it.each(cases)('%s', (_l, over, want) => {
    expect(isTrustedSender({ ...base, ...over }, INDEX, 'linux')).toBe(want);
  });
  it('is case-insensitive on Windows only', () => {
    const win = 'file:///C:/Program%20Files/vxbridge/resources/app.asar/dist/renderer/index.html';
    expect(isTrustedSender({ ...base, frameUrl: win.replace('C:', 'c:') }, win, 'win32')).toBe(true);
    expect(isTrustedSender({ ...base, frameUrl: INDEX.toUpperCase().replace('FILE:', 'file:') }, INDEX, 'linux')).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  function setup(trusted: boolean) {
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
    const calls: [unknown, unknown][] = [];
    const logs: string[] = [];
    const ipc = {
      handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => void handlers.set(ch, fn),
      removeHandler: (ch: string) => void handlers.delete(ch),
    };
    const off = registerIpcHandlers(
      ipc as never,
      {
        invoke: async (c, a) => {
          calls.push([c, a]);
          return { ok: true, value: 'done' };
        },
      },
      () => trusted,
      (l) => logs.push(l),
    );
    return { handlers, calls, logs, off };
  }

  it('registers every contract channel and passes arguments through', async () => {
    const s = setup(true);
    expect([...s.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(await s.handlers.get('bridge:start')?.({ senderFrame: null }, ['1#W:E@eth0'])).toEqual({ ok: true, value: 'done' });
    expect(s.calls).toEqual([['bridge:start', [['1#W:E@eth0']]]]);
    s.off();
    expect(s.handlers.size).toBe(0);
  });

  it('refuses untrusted senders before the backend sees anything', async () => {
    const s = setup(false);
    for (const ch of INVOKE_CHANNELS) expect(await s.handlers.get(ch)?.({ senderFrame: { url: 'https://evil.example/' } })).toEqual(UNTRUSTED_SENDER);
    expect(s.calls).toEqual([]);
    expect(s.logs[0]).toContain('https://evil.example/');
  });
});

describe('forwardPushes', () => {
  it('sends contract pushes to a live window only', () => {
    let listener: PushListener = () => undefined;
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const target = { isDestroyed: () => destroyed, send: (c: string, p: unknown) => void sent.push([c, p]) };
    let present = true;
    forwardPushes({ subscribe: (l) => ((listener = l), () => undefined) }, () => (present ? target : null));
    listener({ channel: 'bridge:event', payload: { type: 'warning', leg: 0, message: 'm' } });
    destroyed = true;
    listener({ channel: 'bridge:event', payload: { type: 'warning', leg: 0, message: 'x' } });
    present = false;
    listener({ channel: 'bridge:event', payload: { type: 'warning', leg: 0, message: 'y' } });
    expect(sent).toEqual([['bridge:event', { type: 'warning', leg: 0, message: 'm' }]]);
  });
});

describe('security settings', () => {
  it('writes out the webPreferences', () => {
    expect(secureWebPreferences('/app/preload.cjs', false)).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      devTools: false,
    });
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const on = new Map<string, (e: Record<string, unknown>) => void>();
    let openHandler: (d: { url: string }) => { action: string } = () => ({ action: 'allow' });
    const opened: string[] = [];
    hardenWebContents(
      {
        on: (ev: string, fn: (e: Record<string, unknown>) => void) => (on.set(ev, fn), undefined),
        setWindowOpenHandler: (fn: typeof openHandler) => void (openHandler = fn),
      } as never,
      (u) => opened.push(u),
      () => undefined,
    );
    for (const ev of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      on.get(ev)?.({ url: 'https://evil.example/', isMainFrame: false, isSameDocument: false, preventDefault: () => (prevented = true) });
      expect(prevented, ev).toBe(true);
    }
    expect(openHandler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'https://npcap.com/#download' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://npcap.com/#download']);
  });

  it('denies permissions, adds the CSP, cancels foreign requests', () => {
    const got: Record<string, unknown> = {};
    const ses = {
      setPermissionRequestHandler: (fn: (wc: unknown, p: string, cb: (v: boolean) => void) => void) => fn(null, 'media', (v) => (got.request = v)),
      setPermissionCheckHandler: (fn: () => boolean) => (got.check = fn()),
      setDevicePermissionHandler: (fn: () => boolean) => (got.device = fn()),
      webRequest: {
        onBeforeRequest: (fn: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) => {
          fn({ url: 'https://evil.example/x.js' }, (r) => (got.remote = r.cancel));
          fn({ url: 'file:///app/dist/renderer/assets/a.js' }, (r) => (got.own = r.cancel));
        },
        onHeadersReceived: (fn: (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) =>
          fn({ responseHeaders: {} }, (r) => (got.csp = r.responseHeaders['Content-Security-Policy'])),
      },
    };
    hardenSession(ses as never, 'file:///app/dist/renderer/', false, () => undefined);
    expect(got).toMatchObject({ request: false, check: false, device: false, remote: true, own: false });
    expect(String(got.csp)).toContain("script-src 'self'");
    expect(String(got.csp)).not.toContain('unsafe');
  });

  it('allows only listed external links and own files', () => {
    expect(isAllowedExternalLink('https://npcap.com/#download')).toBe(true);
    expect(isAllowedExternalLink('https://npcap.com.evil.example/')).toBe(false);
    expect(isAllowedExternalLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedRequest('file:///app/dist/renderer/index.html', 'file:///app/dist/renderer/', false)).toBe(true);
    expect(isAllowedRequest('file:///app/dist/renderer-evil/x.js', 'file:///app/dist/renderer/', false)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/x', 'file:///app/dist/renderer/', false)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/x', 'file:///app/dist/renderer/', true)).toBe(true);
    expect(isAllowedRequest('file:///app/dist/renderer/%2e%2e/secret', 'file:///app/dist/renderer/', false, 'linux')).toBe(false);
    const win = 'file:///C:/Program%20Files/vxbridge/resources/app.asar/dist/renderer/';
    expect(isAllowedRequest('file:///c:/Program Files/vxbridge/resources/app.asar/dist/renderer/assets/a.js', win, false, 'win32')).toBe(true);
    expect(isAllowedRequest('file:///c:/program files/vxbridge/resources/app.asar/dist/renderer/index.html', win, false, 'linux')).toBe(false);
  });
});
