// Loads npm `cap` on first use only, so that importing native/ costs nothing
// (and cannot fail) where pcap is never used.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { CaptureError } from '../electron/engine/ports/capture-port.js';
import type { CapLoader, CapModule } from './cap-types.js';
import { driverMissingError } from './capture-errors.js';

let loaded: CapModule | undefined;

/** Throws CaptureError('driver-missing') if the binding or libpcap/Npcap is missing. */
export const loadCap: CapLoader = () => {
  if (loaded) return loaded;
  if (!isMainThread) {
    // cap is not context-aware and uses the default loop: it fails or crashes in workers.
    throw new CaptureError('open-failed', 'pcap capture cannot run in a worker thread.', 'Open captures from the main thread of the process.');
  }
  if (process.platform === 'win32') {
    const path = withNpcapOnPath(process.env.PATH, process.env.SystemRoot, existsSync);
    if (path !== undefined) process.env.PATH = path;
  }
  try {
    loaded = createRequire(import.meta.url)('cap') as CapModule;
  } catch (err) {
    throw driverMissingError(process.platform, err instanceof Error ? err.message : String(err));
  }
  return loaded;
};

/** Npcap installed without "WinPcap API-compatible Mode" keeps wpcap.dll in
 *  %SystemRoot%\System32\Npcap, which Windows does not search; Wireshark adds
 *  that folder itself. Returns the new PATH, or undefined if nothing changes. */
export function withNpcapOnPath(path: string | undefined, systemRoot: string | undefined, exists: (p: string) => boolean): string | undefined {
  const dir = `${systemRoot ?? 'C:\\Windows'}\\System32\\Npcap`;
  const parts = (path ?? '').split(';').filter((p) => p !== '');
  if (!exists(dir) || parts.some((p) => p.toLowerCase() === dir.toLowerCase())) return undefined;
  return [dir, ...parts].join(';');
}
