// The OS-reading half of the adapter list: pcap's device list, Node's
// interfaces and, on Linux, /sys/class/net. Merging is in nic-merge.ts.
import { access, readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import type { NicInfo } from '../electron/model/nic-info.js';
import { loadCap } from './cap-loader.js';
import type { CapLoader } from './cap-types.js';
import { mergeNics, type SysfsNic } from './nic-merge.js';

/** Throws CaptureError('driver-missing') when pcap/Npcap cannot be loaded. */
export function listNics(): Promise<NicInfo[]> {
  return listNicsWith(loadCap);
}

export async function listNicsWith(load: CapLoader): Promise<NicInfo[]> {
  const pcap = load().Cap.deviceList();
  const platform = process.platform;
  const sysfs = platform === 'linux' ? await readSysfs(pcap.map((d) => d.name)) : new Map<string, SysfsNic>();
  return mergeNics({ platform, pcap, os: networkInterfaces(), sysfs });
}

const SYS = '/sys/class/net';

async function readSysfs(names: readonly string[]): Promise<Map<string, SysfsNic>> {
  const out = new Map<string, SysfsNic>();
  const entries = await Promise.all(names.filter((n) => /^[^/\0]+$/.test(n) && n !== '.' && n !== '..').map(async (n) => [n, await readOne(n)] as const));
  for (const [name, info] of entries) if (info) out.set(name, info);
  return out;
}

async function readOne(name: string): Promise<SysfsNic | undefined> {
  const dir = `${SYS}/${name}`;
  if (!(await exists(dir))) return undefined;
  const [operstate, flags, mtu, address, type, ifindex, wireless, phy] = await Promise.all([
    text(`${dir}/operstate`),
    text(`${dir}/flags`),
    text(`${dir}/mtu`),
    text(`${dir}/address`),
    text(`${dir}/type`),
    text(`${dir}/ifindex`),
    exists(`${dir}/wireless`),
    exists(`${dir}/phy80211`),
  ]);
  return {
    ...(operstate === undefined ? {} : { operstate }),
    ...optNumber('flags', flags),
    ...optNumber('mtu', mtu),
    ...(address === undefined || address === '' ? {} : { address }),
    ...optNumber('type', type),
    ...optNumber('ifindex', ifindex),
    wireless: wireless || phy,
  };
}

/** sysfs `flags` is hex ("0x1003"), the others decimal: Number() reads both. */
function optNumber<K extends string>(key: K, s: string | undefined): { [P in K]?: number } {
  const n = s === undefined || s === '' ? NaN : Number(s);
  return (Number.isFinite(n) ? { [key]: n } : {}) as { [P in K]?: number };
}

async function text(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
