import { describe, expect, it } from 'vitest';
import type { NicInfo } from '../electron/model/nic-info.js';
import { formatNicTable, resolveNic } from './resolve-nic.js';

const nic = (index: number, name: string, description: string, extra: Partial<NicInfo> = {}): NicInfo => ({
  name,
  description,
  index,
  addresses: [],
  flags: { up: true, loopback: false, wireless: false },
  ...extra,
});
const NICS: NicInfo[] = [
  nic(1, '\\Device\\NPF_{AAA}', 'Intel(R) Wi-Fi 6 AX201 160MHz', {
    addresses: [
      { family: 'IPv4', address: '192.168.1.23', netmask: '255.255.255.0' },
      { family: 'IPv6', address: 'fe80::1' },
    ],
    flags: { up: true, loopback: false, wireless: true },
  }),
  nic(2, '\\Device\\NPF_{BBB}', 'Microsoft KM-TEST Loopback Adapter', {
    addresses: [{ family: 'IPv4', address: '169.254.12.34' }],
    flags: { up: true, loopback: true, wireless: false },
  }),
  nic(3, '\\Device\\NPF_{CCC}', 'Realtek PCIe GbE Family Controller', { flags: { up: false, loopback: false, wireless: false } }),
  nic(4, '\\Device\\NPF_{DDD}', 'Realtek PCIe GbE Family Controller #2'),
  nic(5, '\\Device\\NPF_Loopback', 'Adapter for loopback traffic capture', {
    flags: { up: true, loopback: true, wireless: false, unsuitable: 'It only carries loopback traffic.' },
  }),
  nic(6, '12', '12'), // a (Linux) adapter whose name looks like an index
];

describe('resolveNic', () => {
  it.each([
    ['exact name', '\\Device\\NPF_{BBB}', 2],
    ['description, any case', 'microsoft km-test loopback adapter', 2],
    ['full description beats substring', 'Realtek PCIe GbE Family Controller', 3],
    ['index', '4', 4],
    ['index, spaces trimmed', ' 1 ', 1],
    ['unique substring', 'km-test', 2],
    ['unique substring, any case', 'WI-FI', 1],
    ['name before index', '12', 6],
    ['unmatched number falls back to a unique substring', '160', 1],
  ])('%s: %s -> #%i', (_what, query, index) => {
    const r = resolveNic(query, NICS);
    expect(r.ok ? r.nic.index : r.error).toBe(index);
  });

  it.each([
    ['ambiguous substring', 'realtek', /^"realtek" matches 2 adapters:\n  3  \\Device\\NPF_\{CCC\} "Realtek PCIe GbE Family Controller"\n  4  /],
    ['nothing', 'eth0', /^No network adapter matches "eth0"\.\n  1  \\Device\\NPF_\{AAA\} "Intel\(R\) Wi-Fi 6 AX201 160MHz"  192\.168\.1\.23, fe80::1\n/],
    ['index out of range', '99', /^No network adapter matches "99"/],
    ['empty', '  ', /^No network adapter given\./],
    ['name match is case-sensitive', '\\device\\npf_{aaa}', /^No network adapter matches/],
  ])('%s: "%s" fails and lists candidates', (_what, query, error) => {
    const r = resolveNic(query, NICS);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(error);
      expect(r.error).toMatch(/ubdg --list-nics/);
    }
  });

  it('reports duplicate descriptions as ambiguous', () => {
    const twins = [nic(1, 'a', 'Same NIC'), nic(2, 'b', 'same nic')];
    const r = resolveNic('Same NIC', twins);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.split('\n').slice(0, 3)).toEqual(['"Same NIC" is the description of 2 adapters:', '  1  a "Same NIC"', '  2  b "same nic"']);
  });

  it('says so when there are no adapters at all', () => {
    const r = resolveNic('eth0', []);
    expect(r.ok ? '' : r.error).toContain('(no adapters found)');
  });
});

describe('formatNicTable', () => {
  it('aligns index, name, description, IPv4 and flags, and explains unsuitable adapters', () => {
    const linux = [
      nic(1, 'lo', 'lo', { addresses: [{ family: 'IPv4', address: '127.0.0.1' }], flags: { up: true, loopback: true, wireless: false, unsuitable: 'Loopback only.' } }),
      nic(2, 'eth0', 'eth0', {
        addresses: [
          { family: 'IPv4', address: '192.0.2.2' },
          { family: 'IPv6', address: 'fd00::2' },
          { family: 'IPv4', address: '192.0.2.3' },
        ],
      }),
      nic(10, 'wlan0', 'wlan0', { flags: { up: true, running: false, loopback: false, wireless: true } }),
      nic(11, 'br-lab', 'Lab bridge', { flags: { up: false, loopback: false, wireless: false } }),
    ];
    expect(formatNicTable(linux)).toBe(
      [
        ' #  NAME    DESCRIPTION  IPv4                  FLAGS',
        ' 1  lo                   127.0.0.1             up,loopback,unsuitable',
        ' 2  eth0                 192.0.2.2, 192.0.2.3  up',
        '10  wlan0                                      up,no-carrier,wireless',
        '11  br-lab  Lab bridge                         down',
        '',
        'Not usable as bridge ports:',
        '1: Loopback only.',
      ].join('\n'),
    );
  });

  it('says when there is nothing to list', () => {
    expect(formatNicTable([])).toBe('No network adapters found.');
  });
});
