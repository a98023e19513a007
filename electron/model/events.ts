// What the engine reports as it happens (besides the periodic snapshots):
// leg state changes, learned/expired/moved VTEPs, warnings.

import type { LegState } from './snapshot.js';

export type BridgeEvent =
  | { readonly type: 'leg-state'; readonly leg: number; readonly state: LegState; readonly error?: string }
  | { readonly type: 'peer-learned'; readonly leg: number; readonly address: string }
  | { readonly type: 'peer-expired'; readonly leg: number; readonly address: string }
  /** A learned VTEP's NAT mapping changed: same VTEP (by its keepalive id), new IP:port. */
  | { readonly type: 'peer-moved'; readonly leg: number; readonly from: string; readonly to: string }
  | { readonly type: 'warning'; readonly leg: number; readonly message: string };
