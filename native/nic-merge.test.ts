import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CapDevice } from './cap-types.js';
import { LINUX_LOOPBACK_UNSUITABLE, mergeNics, NPCAP_LOOPBACK_UNSUITABLE, type NicSources, type SysfsNic } from './nic-merge.js';

function osAddr(address: string, extra: Partial<NetworkInterfaceInfo> = {}): NetworkInterfaceInfo {
  const v6 = address.includes(':');
  return {
    address,
    netmask: v6 ? 'ffff:ffff:ffff:ffff::' : '255.255.255.0',
    family: v6 ? 'IPv6' : 'IPv4',
    mac: '00:00:00:00:00:00',
    internal: false,
    cidr: null,
    ...(v6 ? { scopeid: 0 } : {}),
    ...extra,
  } as NetworkInterfaceInfo;
}

// cap.deviceList() as seen inside a test namespace (plus wlan0), with sysfs values read there.
const linuxPcap: CapDevice[] = [
  { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [] },
  { name: 'vxa', addresses: [] },
  { name: 'wlan0', addresses: [{ addr: '192.168.7.20', netmask: '255.255.255.0', broadaddr: '192.168.7.255' }] },
  { name: 'bluetooth-monitor', description: 'Bluetooth Linux Monitor', addresses: [] },
  { name: 'nflog', description: 'Linux netfilter log (NFLOG) interface', addresses: [] },
  { name: 'nfqueue', description: 'Linux netfilter queue (NFQUEUE) interface', addresses: [] },
  { name: 'dbus-system', description: 'D-Bus system bus', addresses: [] },
  { name: 'usbmon1', description: 'Raw USB traffic, bus number 1', addresses: [] },
  { name: 'lo', addresses: [{ addr: '127.0.0.1', netmask: '255.0.0.0' }], flags: 'PCAP_IF_LOOPBACK' },
  { name: 'vxb', addresses: [] },
  { name: 'tap0', addresses: [] },
  { name: 'tun1', addresses: [] },
];
const linuxSysfs = new Map<string, SysfsNic>([
  ['lo', { operstate: 'unknown', flags: 0x9, mtu: 65536, address: '00:00:00:00:00:00', type: 772, ifindex: 1, wireless: false }],
  ['vxb', { operstate: 'down', flags: 0x1002, mtu: 1500, address: 'a6:76:28:72:d4:84', type: 1, ifindex: 2, wireless: false }],
  ['vxa', { operstate: 'lowerlayerdown', flags: 0x1003, mtu: 1500, address: '4e:c6:27:60:95:7b', type: 1, ifindex: 3, wireless: false }],
  ['tap0', { operstate: 'down', flags: 0x1002, mtu: 1500, address: '26:a9:2a:32:83:a8', type: 1, ifindex: 4, wireless: false }],
  ['tun1', { operstate: 'down', flags: 0x1091, mtu: 1500, type: 65534, ifindex: 5, wireless: false }],
  ['wlan0', { operstate: 'up', flags: 0x1003, mtu: 1500, address: '3C:A9:F4:01:02:03', type: 1, ifindex: 6, wireless: true }],
]);
const linuxOs = {
  lo: [osAddr('127.0.0.1', { netmask: '255.0.0.0', internal: true })],
  wlan0: [osAddr('192.168.7.20', { mac: '3c:a9:f4:01:02:03' }), osAddr('fe80::3ea9:f4ff:fe01:203', { mac: '3c:a9:f4:01:02:03' })],
};
const linux: NicSources = { platform: 'linux', pcap: linuxPcap, os: linuxOs, sysfs: linuxSysfs };

describe('mergeNics on Linux', () => {
  const nics = mergeNics(linux);
  const by = (name: string) => nics.find((n) => n.name === name);

  it('leaves out pcap pseudo devices and orders by ifindex, numbering from 1', () => {
    expect(nics.map((n) => [n.index, n.name])).toEqual([
      [1, 'lo'],
      [2, 'vxb'],
      [3, 'vxa'],
      [4, 'tap0'],
      [5, 'tun1'],
      [6, 'wlan0'],
    ]);
  });

  it('keeps the same order whatever order pcap lists in', () => {
    expect(mergeNics({ ...linux, pcap: [...linuxPcap].reverse() })).toEqual(nics);
  });

  it.each([
    ['lo', { up: true, running: true, loopback: true, wireless: false, unsuitable: LINUX_LOOPBACK_UNSUITABLE }],
    ['vxb', { up: false, running: false, loopback: false, wireless: false }],
    ['vxa', { up: true, running: false, loopback: false, wireless: false }],
    ['wlan0', { up: true, running: true, loopback: false, wireless: true }],
  ])('flags of %s', (name, flags) => {
    expect(by(name)?.flags).toEqual(flags);
  });

  it('marks non-Ethernet devices unsuitable, naming the type', () => {
    expect(by('tun1')?.flags.unsuitable).toMatch(/not an Ethernet device \(ARPHRD type 65534/);
    expect(by('tap0')?.flags.unsuitable).toBeUndefined();
  });

  it('takes MAC and MTU from sysfs and merges addresses from pcap and Node', () => {
    expect(by('vxa')).toMatchObject({ description: 'vxa', mac: '4e:c6:27:60:95:7b', mtu: 1500, addresses: [] });
    expect(by('lo')?.mac).toBeUndefined();
    expect(by('wlan0')).toMatchObject({ mac: '3c:a9:f4:01:02:03' });
    expect(by('wlan0')?.addresses).toEqual([
      { family: 'IPv4', address: '192.168.7.20', netmask: '255.255.255.0' },
      { family: 'IPv6', address: 'fe80::3ea9:f4ff:fe01:203', netmask: 'ffff:ffff:ffff:ffff::' },
    ]);
  });

  it('drops what pcap lists but sysfs does not know, unless sysfs could not be read at all', () => {
    const raced = { ...linux, pcap: [...linuxPcap, { name: 'gone0', addresses: [] }] };
    expect(mergeNics(raced).map((n) => n.name)).not.toContain('gone0');
    const noSysfs = mergeNics({ ...raced, sysfs: new Map() });
    expect(noSysfs.map((n) => n.name)).toEqual(['vxa', 'wlan0', 'lo', 'vxb', 'tap0', 'tun1', 'gone0']);
    expect(noSysfs.find((n) => n.name === 'wlan0')?.flags).toEqual({ up: true, loopback: false, wireless: true });
  });
});

// Npcap on Windows 11: names are \Device\NPF_{GUID}, descriptions are the
// adapters' friendly names; Node keys its list by connection name.
const GUID = (n: number) => `\\Device\\NPF_{6B3E8A2F-0000-4C1D-9E0A-00000000000${n}}`;
const winPcap: CapDevice[] = [
  {
    name: GUID(1),
    description: 'Intel(R) Wi-Fi 6 AX201 160MHz',
    addresses: [{ addr: 'fe80::1c2d:3e4f:5a6b:7c8d' }, { addr: '192.168.1.23', netmask: '255.255.255.0', broadaddr: '192.168.1.255' }],
  },
  { name: GUID(2), description: 'Microsoft KM-TEST Loopback Adapter', addresses: [{ addr: '169.254.12.34', netmask: '255.255.0.0' }] },
  { name: GUID(3), description: 'Realtek PCIe GbE Family Controller', addresses: [] },
  { name: GUID(4), description: 'Killer E2600 Gigabit Ethernet', addresses: [{ addr: '10.0.0.5', netmask: '255.255.255.0' }] },
  { name: GUID(5), description: 'Npcap Loopback Adapter', addresses: [] },
  { name: '\\Device\\NPF_Loopback', description: 'Adapter for loopback traffic capture', addresses: [], flags: 'PCAP_IF_LOOPBACK' },
];
const winOs = {
  'Wi-Fi': [osAddr('fe80::1c2d:3e4f:5a6b:7c8d', { mac: 'a4:c3:f0:11:22:33' }), osAddr('192.168.1.23', { mac: 'a4:c3:f0:11:22:33' })],
  'Ethernet 2': [osAddr('169.254.12.34', { netmask: '255.255.0.0', mac: '02:00:4c:4f:4f:50' })],
  WLAN: [osAddr('10.0.0.5', { mac: '9c:b6:d0:00:00:01' })],
  'Loopback Pseudo-Interface 1': [osAddr('127.0.0.1', { netmask: '255.0.0.0', internal: true })],
};

describe('mergeNics on Windows', () => {
  const nics = mergeNics({ platform: 'win32', pcap: winPcap, os: winOs, sysfs: new Map() });

  it('keeps pcap order and descriptions', () => {
    expect(nics.map((n) => [n.index, n.description])).toEqual([
      [1, 'Intel(R) Wi-Fi 6 AX201 160MHz'],
      [2, 'Microsoft KM-TEST Loopback Adapter'],
      [3, 'Realtek PCIe GbE Family Controller'],
      [4, 'Killer E2600 Gigabit Ethernet'],
      [5, 'Npcap Loopback Adapter'],
      [6, 'Adapter for loopback traffic capture'],
    ]);
  });

  it.each([
    [0, { up: true, loopback: false, wireless: true }, 'a4:c3:f0:11:22:33'],
    [1, { up: true, loopback: true, wireless: false }, '02:00:4c:4f:4f:50'],
    [2, { up: false, loopback: false, wireless: false }, undefined],
    // Wi-Fi known only from the connection name Node reports
    [3, { up: true, loopback: false, wireless: true }, '9c:b6:d0:00:00:01'],
  ])('adapter #%i flags and MAC', (i, flags, mac) => {
    expect(nics[i]?.flags).toEqual(flags);
    expect(nics[i]?.mac).toBe(mac);
  });

  it("marks Npcap's loopback adapter (old and new) unsuitable and the KM-TEST adapter suitable", () => {
    expect(nics[4]?.flags.unsuitable).toBe(NPCAP_LOOPBACK_UNSUITABLE);
    expect(nics[5]?.flags.unsuitable).toBe(NPCAP_LOOPBACK_UNSUITABLE);
    expect(NPCAP_LOOPBACK_UNSUITABLE).toMatch(/KM-TEST Loopback Adapter/);
    expect(nics[1]?.flags.unsuitable).toBeUndefined();
  });

  it('does not add Node addresses twice', () => {
    expect(nics[0]?.addresses.map((a) => a.address)).toEqual(['fe80::1c2d:3e4f:5a6b:7c8d', '192.168.1.23']);
  });
});
