// The renderer's Content-Security-Policy: no inline script, no eval, nothing
// from outside the app. Used by the Electron app:// handler and session (response header), the
// `ubdg ui` host (response header) and, as a <meta> tag, by renderer/index.html.
// Inline style *attributes* set by React go through CSSOM and are not affected.

/** For the Electron window and the renderer's <meta> tag (renderer/index.html holds a copy).
 *  The window is served from app://vxbridge/, a standard secure scheme with a tuple
 *  origin, so 'self' means exactly that origin: no file: URL (a file:// page has no
 *  such origin to confine 'self' to), no other scheme, and still no inline script or eval. */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** For the browser host: also allows the WebSocket to the same host:port
 *  (older browsers do not count ws: as 'self') and forbids framing. */
export function browserHostCsp(hostPort: string): string {
  return RENDERER_CSP.replace("connect-src 'self'", `connect-src 'self' ws://${hostPort}`) + "; frame-ancestors 'none'";
}
