// The event log of the UI for coalesced events: counts shown, levels by meaning.

import { beforeEach, describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../../electron/model/events.js';
import { resetBridge, useBridge, type EventLevel } from './bridge-store.js';

beforeEach(() => resetBridge());

const MAC = '02:aa:00:00:00:01';

describe('bridge store: log entries of coalesced events', () => {
  // prettier-ignore
  const rows: { event: BridgeEvent; level: EventLevel; text: string }[] = [
    { event: { type: 'peer-learned', leg: 1, address: 'a:1', count: 37 }, level: 'info', text: 'Learned VTEP a:1 on leg 2 (×37 in the last second)' },
    { event: { type: 'peer-expired', leg: 1, address: 'a:1' }, level: 'info', text: 'VTEP a:1 on leg 2 expired' },
    { event: { type: 'peer-moved', leg: 1, from: 'a:1', to: 'a:2', count: 5, mixed: true }, level: 'info', text: 'VTEP on leg 2 moved from a:1 to a:2 (NAT mapping changed) (×5 in the last second, this one and others)' },
    { event: { type: 'mac-moved', leg: 1, segment: 5, mac: MAC, peer: 'b:1', fromLeg: 0 }, level: 'info', text: `MAC ${MAC} moved from leg 1 to VTEP b:1 on leg 2` },
    { event: { type: 'mac-move-refused', leg: 1, segment: 5, mac: MAC, peer: 'c:1', heldLeg: 0, reason: 'local-hold', count: 2 }, level: 'warn', text: `VTEP c:1 on leg 2 claimed MAC ${MAC} of a host on leg 1: not moved (the frame was forwarded) (×2 in the last second)` },
    { event: { type: 'mac-move-refused', leg: 1, segment: 5, mac: MAC, heldLeg: 1, heldPeer: 'c:2', reason: 'move-rate' }, level: 'warn', text: `MAC ${MAC} moves too often (a loop, or two senders with one MAC): kept on VTEP c:2 on leg 2` },
    { event: { type: 'mac-learn-refused', leg: 1, segment: 5, mac: MAC, peer: 'c:1', reason: 'peer-limit', count: 9 }, level: 'warn', text: `VTEP c:1 on leg 2 has too many MACs: new ones (such as ${MAC}) are not learned, frames to them are flooded (×9 in the last second)` },
    { event: { type: 'mac-learn-refused', leg: 1, segment: 5, mac: MAC, peer: 'c:1', reason: 'table-full' }, level: 'warn', text: `MAC table of segment 5 is full: ${MAC} from VTEP c:1 on leg 2 is not learned` },
  ];
  it.each(rows)('$text', ({ event, level, text }) => {
    useBridge.getState().onEvent(event, 7);
    expect(useBridge.getState().events.map((e) => ({ level: e.level, text: e.text, leg: e.leg, time: e.time }))).toEqual([
      { level, text, leg: 'leg' in event ? event.leg : undefined, time: 7 },
    ]);
  });
});
