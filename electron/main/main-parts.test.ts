import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../contract/csp.js';
import { INVOKE_CHANNELS } from '../contract/ipc-contract.js';
import { forwardPushes, registerIpcHandlers, UNTRUSTED_SENDER } from './ipc-main.js';
import {
  APP_INDEX_URL,
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  contentTypeFor,
  hardenSession,
  hardenWebContents,
  isAllowedExternalLink,
  isAllowedRequest,
  resolveAppRequest,
  secureWebPreferences,
} from './security.js';
import { isTrustedSender } from './trusted-sender.js';
import type { PushListener } from '../backend/backend.js';

const INDEX = 'app://vxbridge/index.html';

describe('isTrustedSender', () => {
  const base = { frameUrl: INDEX, isMainFrame: true, isAppWindow: true };
  const cases: readonly [string, Partial<typeof base> & { frameUrl?: string | undefined }, boolean][] = [
    ['our page', {}, true],
    ['our page with query and hash', { frameUrl: `${INDEX}?x=1#/profiles` }, true],
    ['encoded same path', { frameUrl: 'app://vxbridge/ind%65x.html' }, true],
    ['our renderer from file:// (the old origin)', { frameUrl: 'file:///opt/vxbridge/resources/app.asar/dist/renderer/index.html' }, false],
    ['another file', { frameUrl: 'file:///tmp/evil.html' }, false],
    ['file:// index.html at the root', { frameUrl: 'file:///index.html' }, false],
    ['another page of the app origin', { frameUrl: 'app://vxbridge/assets/other.html' }, false],
    ['another host on the scheme', { frameUrl: 'app://evil/index.html' }, false],
    ['a port', { frameUrl: 'app://vxbridge:8080/index.html' }, false],
    ['credentials', { frameUrl: 'app://u:p@vxbridge/index.html' }, false],
    ['http page', { frameUrl: 'http://127.0.0.1:8080/index.html' }, false],
    ['https page', { frameUrl: 'https://vxbridge/index.html' }, false],
    ['frame gone', { frameUrl: undefined }, false],
    ['iframe', { isMainFrame: false }, false],
    ['other window', { isAppWindow: false }, false],
    ['garbage URL', { frameUrl: 'not a url' }, false],
    ['bad percent-encoding', { frameUrl: 'app://vxbridge/index%E0.html' }, false],
  ];
  it.each(cases)('%s', (_l, over, want) => {
    expect(isTrustedSender({ ...base, ...over })).toBe(want);
  });
  it('trusts APP_INDEX_URL by default', () => {
    expect(APP_INDEX_URL).toBe(INDEX);
    expect(isTrustedSender(base, APP_INDEX_URL)).toBe(true);
  });
});

describe('app:// scheme', () => {
  it('is registered standard and secure, nothing more', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      standard: true,
      secure: true,
      bypassCSP: false,
      allowServiceWorkers: false,
      supportFetchAPI: false,
      corsEnabled: false,
      stream: false,
    });
  });

  const ROOT = '/opt/vxbridge/resources/app.asar/dist/renderer';
  const posixCases: readonly [string, string, string | null][] = [
    ['the page', 'app://vxbridge/index.html', `${ROOT}/index.html`],
    ['the root is the page', 'app://vxbridge/', `${ROOT}/index.html`],
    ['no path is the page', 'app://vxbridge', `${ROOT}/index.html`],
    ['an asset', 'app://vxbridge/assets/index-abc.js', `${ROOT}/assets/index-abc.js`],
    ['query and hash ignored', 'app://vxbridge/assets/a.css?v=1#x', `${ROOT}/assets/a.css`],
    ['percent-encoded name', 'app://vxbridge/assets/a%20b.svg', `${ROOT}/assets/a b.svg`],
    ['.. with encoded slashes', 'app://vxbridge/assets%2F..%2F..%2F..%2Fapp.asar.unpacked%2Fx', null],
    ['.. fully encoded', 'app://vxbridge/%2e%2e%2f%2e%2e%2fetc%2fpasswd', null],
    ['.. with backslashes', 'app://vxbridge/..%5c..%5cetc%5cpasswd', null],
    ['a raw backslash ..', 'app://vxbridge/..\\secret', null],
    ['. segment behind an encoded slash', 'app://vxbridge/assets%2F.%2Fa.js', null],
    // The URL parser (like Chromium's, before the handler) resolves plain and %2e dot segments:
    ['dot segments resolved by the URL parser stay inside', 'app://vxbridge/%2e%2e/%2e%2e/etc/passwd', `${ROOT}/etc/passwd`],
    ['an absolute path inside', 'app://vxbridge/%2Fetc%2Fpasswd', `${ROOT}/etc/passwd`],
    ['NUL', 'app://vxbridge/index.html%00.js', null],
    ['malformed escape', 'app://vxbridge/%E0%A4%A', null],
    ['a drive or stream', 'app://vxbridge/C:%5cWindows%5cwin.ini', null],
    ['a Windows device name', 'app://vxbridge/assets/CON', null],
    ['a Windows device name with an extension', 'app://vxbridge/nul.js', null],
    ['a trailing dot (an alias on Windows)', 'app://vxbridge/index.html.', null],
    ['a trailing space', 'app://vxbridge/index.html%20', null],
    ['a name that only starts like a device', 'app://vxbridge/assets/console.js', `${ROOT}/assets/console.js`],
    ['another host', 'app://other/index.html', null],
    ['a port', 'app://vxbridge:1/index.html', null],
    ['file://', 'file:///opt/vxbridge/resources/app.asar/dist/renderer/index.html', null],
    ['https', 'https://vxbridge/index.html', null],
    ['garbage', 'not a url', null],
  ];
  it.each(posixCases)('resolves %s (POSIX)', (_l, url, want) => {
    expect(resolveAppRequest(url, ROOT, path.posix)).toBe(want);
  });

  it('resolves inside the root on Windows too', () => {
    const root = 'C:\\Users\\u\\AppData\\Local\\Programs\\vxbridge\\resources\\app.asar\\dist\\renderer';
    expect(resolveAppRequest('app://vxbridge/assets/a.js', root, path.win32)).toBe(`${root}\\assets\\a.js`);
    for (const evil of [
      'app://vxbridge/..%5C..%5C..%5Capp.asar.unpacked%5Cnode_modules%5Ccap%5Cbuild%5CRelease%5Ccap.node',
      'app://vxbridge/C:%5CWindows%5Cwin.ini',
      'app://vxbridge/%5C%5Cevilhost%5Cshare%5Cx',
      'app://vxbridge/index.html:stream',
    ]) {
      const got = resolveAppRequest(evil, root, path.win32);
      expect(got === null || got.startsWith(`${root}\\`), `${evil} → ${got}`).toBe(true);
    }
    expect(resolveAppRequest('app://vxbridge/..%5Cx', root, path.win32)).toBeNull();
  });

  it('types module scripts as JavaScript', () => {
    expect(contentTypeFor('/r/assets/index.js')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/r/index.HTML')).toMatch(/^text\/html/);
    expect(contentTypeFor('/r/assets/a.css')).toMatch(/^text\/css/);
    expect(contentTypeFor('/r/x.bin')).toBe('application/octet-stream');
  });

  function handlerOver(files: Record<string, string>) {
    const reads: string[] = [];
    const logs: string[] = [];
    const handler = appProtocolHandler(
      '/r',
      async (f) => {
        reads.push(f);
        const body = files[f];
        if (body === undefined) throw Object.assign(new Error(`ENOENT: ${f}`), { code: 'ENOENT' });
        return new TextEncoder().encode(body);
      },
      (l) => logs.push(l),
    );
    return { handler, reads, logs };
  }

  it('serves files under the renderer folder with their type and the CSP', async () => {
    const { handler } = handlerOver({ [path.resolve('/r/index.html')]: '<!doctype html>', [path.resolve('/r/assets/a.js')]: 'export {}' });
    const page = await handler({ url: 'app://vxbridge/index.html', method: 'GET' });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<!doctype html>');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await handler({ url: 'app://vxbridge/assets/a.js', method: 'GET' });
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    const head = await handler({ url: 'app://vxbridge/assets/a.js', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses a path-traversal request with 404, without reading anything', async () => {
    const { handler, reads, logs } = handlerOver({ [path.resolve('/etc/passwd')]: 'root:x:0:0' });
    for (const url of ['app://vxbridge/..%2F..%2Fetc%2Fpasswd', 'app://vxbridge/assets%2F..%2F..%2F..%2Fetc%2Fpasswd', 'app://vxbridge/..%5C..%5Cetc%5Cpasswd']) {
      const res = await handler({ url, method: 'GET' });
      expect(res.status, url).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
    expect(reads).toEqual([]);
    expect(logs).toHaveLength(3);
  });

  it('answers 404 for a missing file and 405 for other methods', async () => {
    const { handler, reads } = handlerOver({});
    expect((await handler({ url: 'app://vxbridge/nope.js', method: 'GET' })).status).toBe(404);
    expect(reads).toEqual([path.resolve('/r/nope.js')]);
    const post = await handler({ url: 'app://vxbridge/index.html', method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('RENDERER_CSP', () => {
  const directives = new Map(
    RENDERER_CSP.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  it("allows scripts from 'self' only (app://vxbridge): no inline, no eval, no scheme-wide source", () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(RENDERER_CSP).not.toMatch(/unsafe-|\bfile:|\bapp:|\*/);
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
          fn({ url: 'app://vxbridge/assets/a.js' }, (r) => (got.own = r.cancel));
          fn({ url: 'file:///app/dist/renderer/assets/a.js' }, (r) => (got.file = r.cancel));
        },
        onHeadersReceived: (fn: (d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) =>
          fn({ responseHeaders: {} }, (r) => (got.csp = r.responseHeaders['Content-Security-Policy'])),
      },
    };
    hardenSession(ses as never, false, () => undefined);
    expect(got).toMatchObject({ request: false, check: false, device: false, remote: true, own: false, file: true });
    expect(String(got.csp)).toContain("script-src 'self'");
    expect(String(got.csp)).not.toContain('unsafe');
  });

  it('allows only listed external links and the app origin', () => {
    expect(isAllowedExternalLink('https://npcap.com/#download')).toBe(true);
    expect(isAllowedExternalLink('https://npcap.com.evil.example/')).toBe(false);
    expect(isAllowedExternalLink('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalLink('app://vxbridge/index.html')).toBe(false);
    expect(isAllowedRequest('app://vxbridge/index.html', false)).toBe(true);
    expect(isAllowedRequest('app://vxbridge/assets/a.js', false)).toBe(true);
    expect(isAllowedRequest('app://evil/x.js', false)).toBe(false);
    expect(isAllowedRequest('app://vxbridge.evil/x.js', false)).toBe(false);
    expect(isAllowedRequest('file:///app/dist/renderer/index.html', false)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:5173/', false)).toBe(false);
    expect(isAllowedRequest('data:image/png;base64,AA==', false)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/x', false)).toBe(false);
    expect(isAllowedRequest('devtools://devtools/x', true)).toBe(true);
  });
});
