// The stderr lines of `ubdg` for coalesced events: counts shown, every MAC event worded.

import { describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../model/events.js';
import type { BridgeSnapshot } from '../model/snapshot.js';
import { describeEvent } from './run-bridge.js';

const noSnapshot = (): BridgeSnapshot => {
  throw new Error('not needed');
};
const MAC = '02:aa:00:00:00:01';

describe('ubdg event lines', () => {
  // prettier-ignore
  const rows: { event: BridgeEvent; line: string }[] = [
    { event: { type: 'peer-learned', leg: 0, address: '198.51.100.7:4000' }, line: '[0] learned remote VTEP 198.51.100.7:4000' },
    { event: { type: 'peer-learned', leg: 0, address: '198.51.100.7:4000', count: 37 }, line: '[0] learned remote VTEP 198.51.100.7:4000 (×37 in the last second)' },
    { event: { type: 'peer-expired', leg: 0, address: '198.51.100.7:4000', count: 3, mixed: true }, line: '[0] remote VTEP 198.51.100.7:4000 expired (silent too long) (×3 in the last second, this one and others)' },
    { event: { type: 'peer-moved', leg: 0, from: 'a:1', to: 'a:2', count: 9_998 }, line: '[0] remote VTEP moved from a:1 to a:2 (its NAT mapping changed) (×9998 in the last second)' },
    { event: { type: 'mac-moved', leg: 0, segment: 5, mac: MAC, peer: 'b:1', fromLeg: 1 }, line: `[0] MAC ${MAC} moved from leg 1 to VTEP b:1 on leg 0` },
    { event: { type: 'mac-moved', leg: 0, segment: 5, mac: MAC, peer: 'b:2', fromLeg: 0, fromPeer: 'b:1', count: 1 }, line: `[0] MAC ${MAC} moved from VTEP b:1 on leg 0 to VTEP b:2 on leg 0 (×1 in the last second)` },
    {
      event: { type: 'mac-move-refused', leg: 0, segment: 5, mac: MAC, peer: 'c:1', heldLeg: 1, reason: 'local-hold', count: 499 },
      line: `[0] VTEP c:1 on leg 0 claimed MAC ${MAC} of a host on adapter leg 1: not moved (held until 60 s after the host's last frame; the frame was forwarded) (×499 in the last second)`,
    },
    {
      event: { type: 'mac-move-refused', leg: 0, segment: 5, mac: MAC, peer: 'c:1', heldLeg: 0, heldPeer: 'c:2', reason: 'move-rate' },
      line: `[0] MAC ${MAC} moves more than 2 times a second (a loop, or two senders with one MAC): it stays on VTEP c:2 on leg 0`,
    },
    {
      event: { type: 'mac-learn-refused', leg: 0, segment: 5, mac: MAC, peer: 'c:1', reason: 'peer-limit', count: 68_975 },
      line: `[0] VTEP c:1 on leg 0 has 1024 MACs: new ones (such as ${MAC}) are not learned, frames to them are flooded (×68975 in the last second)`,
    },
    {
      event: { type: 'mac-learn-refused', leg: 0, segment: 5, mac: MAC, peer: 'c:1', reason: 'table-full' },
      line: `[0] the MAC table of segment 5 is full of local and verified MACs: ${MAC} from VTEP c:1 on leg 0 is not learned`,
    },
  ];
  it.each(rows)('$line', ({ event, line }) => {
    expect(describeEvent(event, noSnapshot)).toBe(line);
  });
});
