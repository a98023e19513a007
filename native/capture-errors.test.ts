import { describe, expect, it } from 'vitest';
import { driverMissingError, linkTypeError, openError } from './capture-errors.js';

type Row = [platform: NodeJS.Platform, pcapText: string, code: string, fixHas: RegExp];

// Real libpcap / Npcap texts (cap throws pcap_geterr() or the errbuf verbatim).
const rows: Row[] = [
  // Linux, libpcap 1.10.3 (seen here)
  ['linux', 'No such device exists', 'no-such-nic', /ubdg --list-nics/],
  ['linux', 'socket: Operation not permitted', 'permission', /setcap cap_net_raw,cap_net_admin=eip "\$\(readlink -f "\$\(which node\)"\)"/],
  ['linux', 'That device is not up', 'open-failed', /ip link set NIC up/],
  ['linux', 'Failed to get system bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory', 'open-failed', /libpcap/],
  ['linux', "can't mmap rx ring: Cannot allocate memory", 'open-failed', /libpcap/],
  // Linux, older libpcap and pcap_statustostr()
  ['linux', "eth0: You don't have permission to capture on that device (socket: Operation not permitted)", 'permission', /Run as root/],
  ['linux', "You don't have permission to perform this capture on that device", 'permission', /Run as root/],
  ['linux', 'bind: Network is down', 'open-failed', /ip link set NIC up/],
  // macOS BPF
  ['darwin', '(cannot open BPF device) /dev/bpf0: Permission denied', 'permission', /\/dev\/bpf/],
  ['darwin', 'BIOCSETIF: en9: Device not configured', 'no-such-nic', /ubdg --list-nics/],
  // Windows, Npcap
  ['win32', 'Error opening adapter: The system cannot find the device specified.  (20)', 'no-such-nic', /ubdg --list-nics/],
  ['win32', 'The helper program for "Admin-only Mode" must be allowed to make changes to your device', 'permission', /Administrator/],
  ['win32', 'Error opening adapter: Access is denied.  (5)', 'permission', /Restrict Npcap driver's access to Administrators only/],
  ['win32', 'Error opening adapter: The system cannot find the path specified.  (3)', 'open-failed', /sc start npcap/],
  ['win32', '', 'open-failed', /libpcap/],
];

describe('openError', () => {
  it.each(rows)('%s: "%s" -> %s', (platform, text, code, fixHas) => {
    const err = openError('eth9', text, { platform, present: ['eth0', 'lo'] });
    expect(err.code).toBe(code);
    expect(err.fix).toMatch(fixHas);
    expect(err.message).toContain('eth9');
    expect(err.name).toBe('CaptureError');
  });

  it('lists the adapters that exist when one is missing', () => {
    const err = openError('eth9', 'No such device exists', { platform: 'linux', present: ['eth0', 'lo'] });
    expect(err.message).toBe('Network adapter "eth9" does not exist. Adapters present: eth0, lo.');
  });

  it("keeps libpcap's text in the message", () => {
    expect(openError('eth0', 'socket: Operation not permitted', { platform: 'linux' }).message).toContain('socket: Operation not permitted');
    expect(openError('eth0', '', { platform: 'linux' }).message).toContain('libpcap gave no reason');
  });

  it('reads Npcap\'s "No such device" for a listed adapter as refused elevation (nmap/npcap#587)', () => {
    const nic = '\\Device\\NPF_{9080DB6C-2C39-480B-895F-49715A318BA0}';
    expect(openError(nic, 'No such device exists', { platform: 'win32', present: [nic] }).code).toBe('permission');
    expect(openError(nic, 'No such device exists', { platform: 'win32', present: [] }).code).toBe('no-such-nic');
    expect(openError('eth0', 'No such device exists', { platform: 'linux', present: ['eth0'] }).code).toBe('no-such-nic');
  });
});

describe('driverMissingError', () => {
  it.each([
    [
      'win32',
      'The specified module could not be found.\r\n\\\\?\\C:\\app\\node_modules\\cap\\build\\Release\\cap.node',
      /https:\/\/npcap\.com\/#download.*"Install Npcap in WinPcap API-compatible Mode" ticked/,
    ],
    ['linux', "Cannot find module '../build/Release/cap.node'", /apt-get install libpcap-dev && npm rebuild cap/],
    ['linux', 'libpcap.so.0.8: cannot open shared object file: No such file or directory', /apt-get install libpcap-dev/],
    [
      'linux',
      "The module 'cap.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 140.",
      /electron-builder install-app-deps/,
    ],
    ['darwin', "Cannot find module '../build/Release/cap.node'", /npm rebuild cap/],
  ] as const)('%s: %s', (platform, detail, fix) => {
    const err = driverMissingError(platform, detail);
    expect(err.code).toBe('driver-missing');
    expect(err.fix).toMatch(fix);
    expect(err.message).toContain(detail);
  });
});

describe('linkTypeError', () => {
  it('names the adapter and its link type', () => {
    const err = linkTypeError('tun1', 'RAW');
    expect(err.code).toBe('open-failed');
    expect(err.message).toContain('"tun1"');
    expect(err.message).toContain('link type RAW');
  });
});
