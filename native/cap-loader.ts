// Loads npm `cap` on first use only, so that importing native/ costs nothing
// (and cannot fail) where pcap is never used.
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
  try {
    loaded = createRequire(import.meta.url)('cap') as CapModule;
  } catch (err) {
    throw driverMissingError(process.platform, err instanceof Error ? err.message : String(err));
  }
  return loaded;
};
