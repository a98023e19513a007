// The one place that decides whether an IPC message comes from our own
// renderer: the main frame of our window, showing our own index.html (file://).
// A frame that navigated elsewhere (or an iframe, or another window) is refused.

export interface SenderInfo {
  /** URL of the sending frame; undefined if the frame is gone. */
  readonly frameUrl: string | undefined;
  /** True when the sender is the top frame of its page. */
  readonly isMainFrame: boolean;
  /** True when the sender is the app window's webContents. */
  readonly isAppWindow: boolean;
}

function samePath(a: URL, b: URL, caseInsensitive: boolean): boolean {
  const pa = decodeURIComponent(a.pathname);
  const pb = decodeURIComponent(b.pathname);
  return caseInsensitive ? pa.toLowerCase() === pb.toLowerCase() : pa === pb;
}

/** `rendererIndexUrl` is pathToFileURL(<renderer>/index.html).href. Query and hash are ignored. */
export function isTrustedSender(s: SenderInfo, rendererIndexUrl: string, platform: string = process.platform): boolean {
  if (!s.isAppWindow || !s.isMainFrame || s.frameUrl === undefined) return false;
  let got: URL;
  let want: URL;
  try {
    got = new URL(s.frameUrl);
    want = new URL(rendererIndexUrl);
  } catch {
    return false;
  }
  return got.protocol === 'file:' && want.protocol === 'file:' && got.host === want.host && samePath(got, want, platform === 'win32' || platform === 'darwin');
}
