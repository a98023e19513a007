import { describe, expect, it } from 'vitest';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import { SAMPLE_NICS } from '../testing/fake-api.js';
import { nicAdvice, sortNics } from './nic.js';

const up = { up: true, running: true, loopback: false, wireless: false };
const linux = (name: string, addresses: NicInfo['addresses'] = [], flags: Partial<NicInfo['flags']> = {}): NicInfo => ({
  name,
  description: name,
  index: 1,
  addresses,
  mac: '02:00:00:00:00:01',
  flags: { ...up, ...flags },
});

describe('nicAdvice', () => {
  it('recommends a veth, like other dedicated adapters', () => {
    expect(nicAdvice(linux('veth1a2b')).fit).toBe('recommended');
    expect(nicAdvice(SAMPLE_NICS[0]!).fit).toBe('recommended'); // KM-TEST loopback adapter
  });
  it('on Linux, recommends an up Ethernet adapter without an IP address (a veth named lan1), promiscuous mode explained', () => {
    const a = nicAdvice(linux('lan1'));
    expect(a.fit).toBe('recommended');
    expect(a.reason).toMatch(/promiscuous/);
  });
  it('tells that an adapter with an IP address carries this computer’s own traffic', () => {
    const wan = nicAdvice(linux('wan1', [{ family: 'IPv4', address: '10.99.0.1', netmask: '255.255.255.0' }]));
    expect(wan.fit).toBe('ok');
    expect(wan.reason).toContain('Carries an IP address (10.99.0.1)');
    expect(wan.reason).toContain('this computer’s own traffic');
    expect(nicAdvice(linux('lan1')).reason).not.toBe(wan.reason);
  });
  it('keeps loopback, down and Wi-Fi adapters out', () => {
    expect(nicAdvice(linux('lo', [{ family: 'IPv4', address: '127.0.0.1' }], { loopback: true })).fit).toBe('unusable');
    expect(nicAdvice(linux('eth9', [], { up: false })).fit).toBe('poor');
    expect(nicAdvice(linux('wlan0', [], { wireless: true })).fit).toBe('poor');
  });
  it('does not recommend every address-less Windows adapter', () => {
    const win: NicInfo = { ...linux('\\Device\\NPF_{11111111-2222-3333-4444-555555555555}'), description: 'WAN Miniport (IP)' };
    expect(nicAdvice(win).fit).toBe('ok');
  });
  it('sorts the recommended Linux adapter before the one with the IP address', () => {
    const nics = [linux('wan1', [{ family: 'IPv4', address: '10.99.0.1' }]), linux('lo', [{ family: 'IPv4', address: '127.0.0.1' }], { loopback: true }), linux('lan1')];
    expect(sortNics(nics).map((n) => n.name)).toEqual(['lan1', 'wan1', 'lo']);
  });
});
