// How well an adapter suits bridging, and what to write in a W leg for it.

import type { NicInfo } from '../../../electron/model/nic-info.js';

export type NicFit = 'recommended' | 'ok' | 'poor' | 'unusable';

export interface NicAdvice {
  readonly fit: NicFit;
  readonly reason: string;
}

const DEDICATED = /KM-TEST|loopback adapter|\bTAP\b|tap-windows|wintun|\bveth|\bvnet|\btap\d|dummy|VirtualBox Host-Only|Hyper-V Virtual Ethernet/i;

export function nicAdvice(n: NicInfo): NicAdvice {
  if (n.flags.unsuitable) return { fit: 'unusable', reason: n.flags.unsuitable };
  if (n.flags.loopback) return { fit: 'unusable', reason: 'The system loopback carries no Ethernet frames and cannot be bridged.' };
  if (!n.flags.up) return { fit: 'poor', reason: 'The adapter is down: enable it (or plug in its cable) before starting.' };
  if (n.flags.wireless) {
    return {
      fit: 'poor',
      reason: 'Wi-Fi adapters drop frames for MAC addresses other than their own, so machines behind the bridge usually cannot talk through it.',
    };
  }
  if (DEDICATED.test(n.description) || DEDICATED.test(n.name)) {
    return { fit: 'recommended', reason: 'A dedicated adapter that nothing else uses: the best choice for a bridge (connect VMs or a lab to it).' };
  }
  const v4 = ipv4Addresses(n);
  if (v4.length > 0) {
    return {
      fit: 'ok',
      reason: `Carries an IP address (${v4.join(', ')}): bridging it puts this computer’s own traffic on the segment. Works: the adapter is opened in promiscuous mode.`,
    };
  }
  if (isUnixName(n.name)) {
    // Linux/macOS: an Ethernet-like adapter that is up, with no IPv4 address, is one this computer does not
    // use itself (a veth, a spare NIC, a bridge port): as good as a dedicated adapter.
    return {
      fit: 'recommended',
      reason: 'No IPv4 address: this computer does not use the adapter itself, so the bridge has it to itself (opened in promiscuous mode). A good choice.',
    };
  }
  return {
    fit: 'ok',
    reason: 'Works: the adapter is opened in promiscuous mode and shares the wire with this computer’s own traffic.',
  };
}

/** A Linux/macOS interface name (eth0, lan1, veth…), not a Windows pcap device path. */
function isUnixName(name: string): boolean {
  return !name.startsWith('\\') && !/^\\?Device\\/i.test(name) && !name.includes('{');
}

const FIT_ORDER: Record<NicFit, number> = { recommended: 0, ok: 1, poor: 2, unusable: 3 };

/** Best candidates first, then by name. */
export function sortNics(nics: readonly NicInfo[]): NicInfo[] {
  return [...nics].sort((a, b) => FIT_ORDER[nicAdvice(a).fit] - FIT_ORDER[nicAdvice(b).fit] || a.description.localeCompare(b.description));
}

/** The adapter a W leg's NIC text designates: name, friendly name or index, as the CLI resolves it. */
export function findNic(nics: readonly NicInfo[], value: string): NicInfo | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return (
    nics.find((n) => n.name === v) ??
    nics.find((n) => n.description === v) ??
    nics.find((n) => n.description.toLowerCase() === v.toLowerCase()) ??
    (/^[0-9]+$/.test(v) ? nics.find((n) => String(n.index) === v) : undefined)
  );
}

/** What to write in the leg: the friendly name when it is unique (readable, and what
 *  Windows users recognise), else the pcap name. */
export function nicLegValue(n: NicInfo, all: readonly NicInfo[]): string {
  const d = n.description.trim();
  const unique = d !== '' && d === n.description && all.filter((x) => x.description.toLowerCase() === d.toLowerCase()).length === 1;
  return unique && !/^[0-9]+$/.test(d) ? d : n.name;
}

export function ipv4Addresses(n: NicInfo): string[] {
  return n.addresses.filter((a) => a.family === 'IPv4').map((a) => a.address);
}

/** Every local IPv4 address, for the "local address" suggestions. */
export function localIpv4(nics: readonly NicInfo[]): { address: string; nic: string }[] {
  const out: { address: string; nic: string }[] = [];
  for (const n of nics) for (const a of ipv4Addresses(n)) out.push({ address: a, nic: n.description });
  return out;
}
