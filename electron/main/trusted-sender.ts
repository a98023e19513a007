// The one place that decides whether an IPC message comes from our own
// renderer: the main frame of our window, showing our own page on the app's own
// origin, app://vxbridge/index.html (security.ts APP_INDEX_URL). A frame that
// navigated elsewhere (file:// included), an iframe, or another window is refused.

import { APP_INDEX_URL } from './security.js';

export interface SenderInfo {
  /** URL of the sending frame; undefined if the frame is gone. */
  readonly frameUrl: string | undefined;
  /** True when the sender is the top frame of its page. */
  readonly isMainFrame: boolean;
  /** True when the sender is the app window's webContents. */
  readonly isAppWindow: boolean;
}

function decodedPath(u: URL): string | null {
  try {
    return decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
}

/** Same scheme, host (no port, no credentials) and percent-decoded path as `trustedUrl`;
 *  query and hash are ignored. The path is compared exactly: the URL does not depend on
 *  where the app is installed, so no case folding is needed on any platform. */
export function isTrustedSender(s: SenderInfo, trustedUrl: string = APP_INDEX_URL): boolean {
  if (!s.isAppWindow || !s.isMainFrame || s.frameUrl === undefined) return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(s.frameUrl);
    want = new URL(trustedUrl);
  } catch {
    return false;
  }
  if (got.protocol !== want.protocol || got.host.toLowerCase() !== want.host.toLowerCase()) return false;
  if (got.username !== '' || got.password !== '') return false;
  const path = decodedPath(got);
  return path !== null && path === decodedPath(want);
}
