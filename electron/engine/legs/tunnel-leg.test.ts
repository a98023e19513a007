import { nodeSessionCrypto } from '../crypto/node-session-crypto.js';
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../ports/memory-udp.js';
import { SegmentSwitch } from '../switch/segment-switch.js';
import { UdpLeg } from './udp-leg.js';
import type { UdpLegSpec } from '../../model/leg-spec.js';
import { DEFAULT_MAX_OUTSTANDING } from './send-pool.js';

/** A U leg that can send control payloads on demand (keepalives do this on V legs). */
class ProbeLeg extends UdpLeg {
  control(): void {
    const p = this.peerForTest();
    this.sendControl(p.address, p.port, (buf) => buf.writeUInt32BE(0xdeadbeef, 0));
  }
  private peerForTest() {
    return [...this.allPeers()][0]!;
  }
}

const spec: UdpLegSpec = { kind: 'U', segment: 1, localAddress: '10.0.0.1', localPort: 40000, remoteAddress: '10.0.0.2', remotePort: 40000 };

describe('TunnelLeg send pool', () => {
  it('takes no slot for a control send while the socket is gone, so the pool never runs dry', async () => {
    const net = new MemoryNetwork();
    const clock = { now: () => 1_000_000 };
    const ctx = { id: 0, label: 'U', switch: new SegmentSwitch(1, clock), clock, emit: () => {}, udpBufferBytes: 1 << 20, pcapBufferBytes: 1 << 20, crypto: nodeSessionCrypto };
    const leg = new ProbeLeg(spec, ctx, net.host('10.0.0.1'));
    for (let i = 0; i < DEFAULT_MAX_OUTSTANDING + 10; i++) leg.control(); // not started: no socket
    await leg.start();
    leg.sendTo(Buffer.alloc(60, 1), 0, 60, null);
    expect(leg.drops.snapshot()['send-error']).toBe(0);
    expect(net.sent).toHaveLength(1);
  });
});
