// What the engine reports as it happens (besides the periodic snapshots):
// leg state changes, learned/expired/moved VTEPs, MAC moves and refusals, warnings.

import type { LegState } from './snapshot.js';

export type BridgeEvent =
  | { readonly type: 'leg-state'; readonly leg: number; readonly state: LegState; readonly error?: string }
  | ({ readonly type: 'peer-learned'; readonly leg: number; readonly address: string } & Repeats)
  | ({ readonly type: 'peer-expired'; readonly leg: number; readonly address: string } & Repeats)
  /** A learned VTEP's NAT mapping changed: same VTEP (by its keepalive id), new IP:port. */
  | ({ readonly type: 'peer-moved'; readonly leg: number; readonly from: string; readonly to: string } & Repeats)
  /** A MAC address now sits behind another leg or VTEP (`leg`, `peer`) than before (`fromLeg`, `fromPeer`). */
  | ({
      readonly type: 'mac-moved';
      readonly leg: number;
      readonly segment: number;
      readonly mac: string;
      readonly peer?: string;
      readonly fromLeg: number;
      readonly fromPeer?: string;
    } & Repeats)
  /** A frame from `leg` (`peer`) claimed a MAC that stays where it is (`heldLeg`, `heldPeer`); the frame
   *  was forwarded. 'local-hold': a local adapter's host, seen recently (MAC_LOCAL_HOLD_MS);
   *  'move-rate': the MAC already moved MAC_MOVES_PER_S times this second. */
  | ({
      readonly type: 'mac-move-refused';
      readonly leg: number;
      readonly segment: number;
      readonly mac: string;
      readonly peer?: string;
      readonly heldLeg: number;
      readonly heldPeer?: string;
      readonly reason: MacMoveRefusal;
    } & Repeats)
  /** A new source MAC from `leg` (`peer`) was not learned; the frame was forwarded and replies to
   *  it are flooded. 'peer-limit': the VTEP has MACS_PER_PEER_MAX MACs; 'table-full': the table is
   *  full of MACs of local adapters and verified peers, which an unverified peer cannot evict. */
  | ({
      readonly type: 'mac-learn-refused';
      readonly leg: number;
      readonly segment: number;
      readonly mac: string;
      readonly peer?: string;
      readonly reason: MacLearnRefusal;
    } & Repeats)
  | { readonly type: 'warning'; readonly leg: number; readonly message: string }
  /** The process that runs the data plane died ('crashed'), the bridge was started again with the
   *  same legs ('restarted'), or it died too often in a row and stays stopped ('gave-up').
   *  `message` says what happened in plain words. Not about one leg. */
  | { readonly type: 'data-plane'; readonly state: DataPlaneState; readonly message: string };

export type DataPlaneState = 'crashed' | 'restarted' | 'gave-up';

export type MacMoveRefusal = 'local-hold' | 'move-rate';
export type MacLearnRefusal = 'peer-limit' | 'table-full';

/** On events the engine coalesces (engine/stats/event-coalescer.ts): the first of a
 *  (type, leg, peer or MAC) goes out at once, later ones as one summary a second. */
export interface Repeats {
  /** Set on a summary: how many happened in the last second since the last report
   *  for this key; the other fields are those of the first. */
  readonly count?: number;
  /** Too many distinct peers or MACs to report each: the count covers others too. */
  readonly mixed?: boolean;
}

/** " (×37 in the last second)" on a summary, '' on a single event: the wording the CLI and the UI share. */
export function repeatsText(e: Repeats): string {
  if (e.count === undefined) return '';
  return ` (×${e.count} in the last second${e.mixed === true ? ', this one and others' : ''})`;
}
