// A bridge handle that can say which data plane runs it (native or JavaScript,
// and why `auto` fell back): the process bridge learns it from its process's
// 'started' message, an in-process bridge from the ports it was built with.
// Optional on purpose: the engine's BridgeHandle (and test doubles) know nothing of it.

import type { BridgeHandle } from '../../engine/bridge-api.js';
import type { DataPlaneOutcome } from '../../model/data-plane.js';

export interface DataPlaneReport {
  /** Which data plane runs the bridge; null until it has started. */
  dataPlane(): DataPlaneOutcome | null;
}

export const reportsDataPlane = (h: BridgeHandle): h is BridgeHandle & DataPlaneReport => typeof (h as Partial<DataPlaneReport>).dataPlane === 'function';

/** `h`, also reporting `outcome` (known when its ports were made). */
export function withDataPlaneReport(h: BridgeHandle, outcome: DataPlaneOutcome): BridgeHandle & DataPlaneReport {
  return {
    legs: h.legs,
    start: () => h.start(),
    stop: () => h.stop(),
    snapshot: () => h.snapshot(),
    onEvent: (listener) => h.onEvent(listener),
    dataPlane: () => outcome,
  };
}
