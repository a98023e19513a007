// Drops a data plane's own layer counts (the native one: CoDel's queue-delay
// drops, offload super-frames it could not cut) reach the leg's snapshot
// under their reasons, and stay there after the adapter's handle closes.
import { describe, expect, it } from 'vitest';
import { createBridge } from '../bridge.js';
import type { CaptureHandle, CapturePort } from '../ports/capture-port.js';
import { MemoryCapturePort, MemoryNic } from '../ports/memory-capture.js';
import { MemoryNetwork } from '../ports/memory-udp.js';
import { spec } from '../test-support/legs.js';

describe('drops counted below the engine', () => {
  it.each([
    { name: 'both reasons', layer: { queue: 7, oversize: 3 } },
    { name: 'none', layer: { queue: 0, oversize: 0 } },
  ])('an adapter leg shows its layer’s queue-delay and oversize drops: $name', async ({ layer }) => {
    const memory = new MemoryCapturePort();
    memory.add(new MemoryNic('lan'));
    const counts = { ...layer };
    const capture: CapturePort = {
      listNics: () => memory.listNics(),
      open(nic, onFrame): CaptureHandle {
        const h = memory.open(nic, onFrame);
        return { ...h, wireFrames: true, queueDrops: () => counts.queue, oversizeDrops: () => counts.oversize };
      },
    };
    const net = new MemoryNetwork();
    const bridge = createBridge([spec('5000#V:E@10.0.0.1:10.0.0.2'), spec('5000#W:E@lan')], { capture, udp: net.host('10.0.0.1') });
    await bridge.start();
    const drops = () => bridge.snapshot().legs[1]!.drops;
    expect(drops()).toMatchObject({ 'queue-delay': layer.queue, oversize: layer.oversize, malformed: 0 });
    expect(bridge.snapshot().legs[0]!.drops).toMatchObject({ 'queue-delay': 0, oversize: 0 });
    await bridge.stop();
    counts.queue = 0; // a closed handle's counters are gone; the leg keeps what it showed
    counts.oversize = 0;
    expect(drops()).toMatchObject({ 'queue-delay': layer.queue, oversize: layer.oversize });
  });
});
