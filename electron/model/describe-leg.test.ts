import { describe, expect, it } from 'vitest';
import { describeLeg } from './describe-leg.js';
import { parseLeg } from './leg-grammar.js';
import type { LegSpec } from './leg-spec.js';

function spec(text: string): LegSpec {
  const r = parseLeg(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.spec;
}

describe('describeLeg', () => {
  it.each([
    ['5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10', 'VXLAN VNI 5000 on 10.10.1.10:4789, head-end replication to 10.10.2.10:4789 and 10.10.3.10:4789, unencrypted'],
    ['5000#V:E@10.0.0.1:10.0.0.2+10.0.0.3+10.0.0.4:8472', 'VXLAN VNI 5000 on 10.0.0.1:8472, head-end replication to 10.0.0.2:8472, 10.0.0.3:8472 and 10.0.0.4:8472, unencrypted'],
    ['5000#V:E@10.10.1.10:10.10.2.10', 'VXLAN VNI 5000 on 10.10.1.10:4789, point-to-point to 10.10.2.10:4789, unencrypted'],
    ['5000#V:E@10.1.1.1:239.1.1.1:8472', 'VXLAN VNI 5000 on 10.1.1.1:8472, multicast group 239.1.1.1:8472 (IGMP join on the interface of 10.1.1.1), unencrypted'],
    [
      '5000#V:E@203.0.113.5:0*secret:8000',
      'VXLAN VNI 5000, provider VTEP on 203.0.113.5:8000: learns remote VTEPs (IP:port, behind PAT) and relays between them, encrypted with a pre-shared key',
    ],
    [
      '5000#V:E@*:203.0.113.5*secret:8000',
      'VXLAN VNI 5000, access VTEP behind NAT: any local address, ephemeral port, keepalive every 20 s to provider 203.0.113.5:8000, encrypted with a pre-shared key',
    ],
    [
      '5000#V:E@*:203.0.113.5*env:VXB_KEY',
      'VXLAN VNI 5000, access VTEP behind NAT: any local address, ephemeral port, keepalive every 20 s to provider 203.0.113.5:4789, encrypted with a pre-shared key (from environment variable VXB_KEY)',
    ],
    ['5000#W:E@lan1', 'bridges adapter lan1 into segment 5000 (pcap capture + inject)'],
    ['5000#W:E', 'bridges an adapter into segment 5000 (pcap capture + inject); adapter not given: ubdg will ask for one'],
    ['7#U:E@127.0.0.1:40000:127.0.0.1:40001', 'Ethernet over UDP in segment 7: from 127.0.0.1:40000 to 127.0.0.1:40001 (each frame is one datagram, point-to-point)'],
    ['7#U:E@0.0.0.0:40000:192.0.2.7:40000', 'Ethernet over UDP in segment 7: from any local address, port 40000 to 192.0.2.7:40000 (each frame is one datagram, point-to-point)'],
  ])('%s', (leg, words) => {
    expect(describeLeg(spec(leg))).toBe(words);
  });

  it('uses a keepalive interval other than the default when told', () => {
    expect(describeLeg(spec('1#V:E@*:192.0.2.1'), { keepaliveSeconds: 5 })).toContain('keepalive every 5 s');
  });

  it.each(['5000#V:E@203.0.113.5:0*hunter2:8000', '5000#V:E@*:203.0.113.5*hunter2', '5000#V:E@10.0.0.1:10.0.0.2*hunter2'])('never includes the key: %s', (leg) => {
    const words = describeLeg(spec(leg));
    expect(words).toContain('encrypted with a pre-shared key');
    expect(words).not.toContain('hunter2');
  });

  it('says where an environment key comes from, even after the key was read into the spec', () => {
    const s = { ...spec('1#V:E@10.0.0.1:0*env:K'), key: 'hunter2' } as LegSpec;
    const words = describeLeg(s);
    expect(words).toContain('from environment variable K');
    expect(words).not.toContain('hunter2');
  });
});
