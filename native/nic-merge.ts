// Pure merging of what pcap, Node and (on Linux) sysfs say about each adapter
// into NicInfo records. No OS access here: nic-list.ts gathers the inputs.
import type { NetworkInterfaceInfo } from 'node:os';
import type { NicInfo } from '../electron/model/nic-info.js';
import type { CapDevice } from './cap-types.js';

/** What /sys/class/net/IF says (Linux); every field is optional. */
export interface SysfsNic {
  readonly operstate?: string;
  readonly flags?: number;
  readonly mtu?: number;
  readonly address?: string;
  /** ARPHRD_*: 1 Ethernet, 772 loopback, 65534 none (tun), 768+ tunnels. */
  readonly type?: number;
  readonly ifindex?: number;
  /** `wireless` or `phy80211` exists. */
  readonly wireless: boolean;
}

export interface NicSources {
  readonly platform: NodeJS.Platform;
  readonly pcap: readonly CapDevice[];
  readonly os: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;
  readonly sysfs: ReadonlyMap<string, SysfsNic>;
}

type Address = NicInfo['addresses'][number];

const IFF_UP = 0x1;
const IFF_LOOPBACK = 0x8;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

/** pcap pseudo devices on Linux that are not network adapters at all. */
const LINUX_PSEUDO = /^(any|nflog|nfqueue|dbus-.*|bluetooth-monitor|bluetooth\d+|usbmon\d*)$/;
const WIRELESS_WORDS = /wi-?fi|wireless|802\.11|wlan/i;
const NPCAP_LOOPBACK = /^(npcap loopback adapter|adapter for loopback traffic capture)$/i;

export const NPCAP_LOOPBACK_UNSUITABLE =
  "Npcap's loopback adapter only carries this computer's own loopback traffic: frames injected there never reach another host, so it cannot be a bridge port; use the Microsoft KM-TEST Loopback Adapter instead.";
export const LINUX_LOOPBACK_UNSUITABLE =
  "The loopback device only carries this computer's own 127.0.0.0/8 and ::1 traffic: bridging it would leak local traffic and reach no other host; use a veth, tap or Ethernet adapter instead.";

function notEthernet(type: number): string {
  return `This is not an Ethernet device (ARPHRD type ${type}, e.g. a tun or IP tunnel): it carries IP packets, not Ethernet frames, so it cannot be a bridge port; use a tap or Ethernet adapter instead.`;
}

export function mergeNics(src: NicSources): NicInfo[] {
  const linux = src.platform === 'linux';
  const keep = src.pcap
    .map((dev, pos) => ({ dev, pos, sys: src.sysfs.get(dev.name) }))
    // On Linux every real adapter has a sysfs entry; pcap's extra pseudo
    // devices (any, nflog, dbus-*, ...) have none and are left out.
    .filter(({ dev, sys }) => !(linux && (LINUX_PSEUDO.test(dev.name) || (src.sysfs.size > 0 && sys === undefined))));
  // Stable order: by kernel ifindex where known (pcap itself puts "up" adapters
  // first, so its order changes with link state), else pcap's order.
  keep.sort((a, b) => (a.sys?.ifindex ?? Infinity) - (b.sys?.ifindex ?? Infinity) || a.pos - b.pos);
  return keep.map(({ dev, sys }, i) => mergeOne(src, dev, sys, i + 1));
}

function mergeOne(src: NicSources, dev: CapDevice, sys: SysfsNic | undefined, index: number): NicInfo {
  const linux = src.platform === 'linux';
  const addresses = pcapAddresses(dev);
  // Linux: Node's interface names are pcap's names. Windows: Node keys by the
  // connection name ("Ethernet 2"), so the entry is found by a shared address.
  const osName = linux || src.platform !== 'win32' ? (src.os[dev.name] ? dev.name : undefined) : findOsByAddress(src.os, addresses);
  const osAddrs = osName === undefined ? [] : (src.os[osName] ?? []);
  for (const a of osAddrs) {
    if (!addresses.some((x) => x.address === a.address)) addresses.push({ family: a.family, address: a.address, netmask: a.netmask });
  }
  const description = dev.description ?? dev.name;
  const loopback =
    dev.flags === 'PCAP_IF_LOOPBACK' ||
    (sys?.flags !== undefined && (sys.flags & IFF_LOOPBACK) !== 0) ||
    sys?.type === ARPHRD_LOOPBACK ||
    osAddrs.some((a) => a.internal) ||
    (src.platform === 'win32' && /loopback/i.test(description));
  // sysfs knows (wireless/ or phy80211/); elsewhere the adapter's words tell.
  const wireless = sys ? sys.wireless : WIRELESS_WORDS.test(description) || (osName !== undefined && WIRELESS_WORDS.test(osName));
  const up = sys?.flags !== undefined ? (sys.flags & IFF_UP) !== 0 : osName !== undefined || addresses.length > 0;
  const running = sys?.operstate === undefined ? undefined : sys.operstate === 'up' || (sys.operstate === 'unknown' && up);
  const mac = validMac(sys?.address) ?? validMac(osAddrs[0]?.mac);

  let unsuitable: string | undefined;
  if (src.platform === 'win32' && (/\\NPF_Loopback$/i.test(dev.name) || NPCAP_LOOPBACK.test(description))) unsuitable = NPCAP_LOOPBACK_UNSUITABLE;
  else if (linux && loopback) unsuitable = LINUX_LOOPBACK_UNSUITABLE;
  else if (linux && sys?.type !== undefined && sys.type !== ARPHRD_ETHER) unsuitable = notEthernet(sys.type);

  return {
    name: dev.name,
    description,
    index,
    addresses,
    ...(mac === undefined ? {} : { mac }),
    ...(sys?.mtu === undefined ? {} : { mtu: sys.mtu }),
    flags: {
      up,
      ...(running === undefined ? {} : { running }),
      loopback,
      wireless,
      ...(unsuitable === undefined ? {} : { unsuitable }),
    },
  };
}

function pcapAddresses(dev: CapDevice): Address[] {
  const out: Address[] = [];
  for (const a of dev.addresses) {
    if (!a.addr) continue;
    const family = a.addr.includes(':') ? 'IPv6' : 'IPv4';
    out.push(a.netmask ? { family, address: a.addr, netmask: a.netmask } : { family, address: a.addr });
  }
  return out;
}

function findOsByAddress(os: NicSources['os'], addresses: readonly Address[]): string | undefined {
  if (addresses.length === 0) return undefined;
  for (const [name, list] of Object.entries(os)) {
    if (list?.some((a) => addresses.some((x) => x.address === stripZone(a.address)))) return name;
  }
  return undefined;
}

function stripZone(address: string): string {
  const pct = address.indexOf('%');
  return pct < 0 ? address : address.slice(0, pct);
}

function validMac(mac: string | undefined): string | undefined {
  const m = mac?.trim().toLowerCase();
  return m && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(m) && m !== '00:00:00:00:00:00' ? m : undefined;
}
