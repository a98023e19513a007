// Site topologies for the e2e scenarios.
//
//   [hN] eth0 10.20.1.N/24 mtu 1400 ──veth── lanN [sN] wanN 10.99.0.N/24 ──┐
//        offloads off                 promisc, no IP, offloads off       │
//                                                                        ├─ WAN
//   two sites: wan1 ──veth── wan2 directly;                              │
//   three or more: each wanN ──veth── pN in namespace `wan`, where br0   ┘
//   joins them (multicast snooping off, so multicast floods to all sites).
//
// hN: an end host; all hosts share one L2 subnet (10.20.1.0/24). MTU 1400
// leaves room for the tunnel header within the 1500-byte WAN.
// sN: the bridge host, where ubdg (or the kernel vxlan device) runs; it
// captures on lanN and talks UDP over wanN.

import { ipIn } from './exec.js';
import { NamespaceSet } from './netns.js';
import { offloadsOff } from './offloads.js';
import { waitForPing } from './ping.js';

export interface Site {
  /** 1-based site number. */
  readonly n: number;
  /** Host namespace (hN). */
  readonly host: string;
  /** Bridge namespace (sN). */
  readonly bridge: string;
  readonly hostIf: 'eth0';
  readonly hostIp: string;
  readonly lanIf: string;
  readonly wanIf: string;
  readonly wanIp: string;
}

export type WanKind = 'direct' | 'bridge';

export interface TopologyOptions {
  /** Short tag in the namespace names ([a-z0-9], ≤ 8). */
  readonly tag: string;
  readonly sites: number;
  /** Default: 'direct' for two sites, 'bridge' for more. */
  readonly wan?: WanKind;
}

export interface Topology {
  readonly sites: readonly Site[];
  /** Where the whole WAN can be captured: namespace and interface. */
  readonly wanCapture: { readonly ns: string; readonly ifname: string };
  readonly namespaces: NamespaceSet;
  site(n: number): Site;
  destroy(): Promise<void>;
}

export const HOST_MTU = 1400;

export function hostIp(n: number): string {
  return `10.20.1.${n}`;
}
export function wanIp(n: number): string {
  return `10.99.0.${n}`;
}

export async function buildTopology(opts: TopologyOptions): Promise<Topology> {
  if (opts.sites < 2 || opts.sites > 9) throw new Error(`sites must be 2..9, got ${opts.sites}`);
  const wan = opts.wan ?? (opts.sites === 2 ? 'direct' : 'bridge');
  const nsSet = new NamespaceSet(opts.tag);
  try {
    const sites: Site[] = [];
    for (let n = 1; n <= opts.sites; n++) {
      sites.push({
        n,
        host: await nsSet.create(`h${n}`),
        bridge: await nsSet.create(`s${n}`),
        hostIf: 'eth0',
        hostIp: hostIp(n),
        lanIf: `lan${n}`,
        wanIf: `wan${n}`,
        wanIp: wanIp(n),
      });
    }
    let wanCapture: Topology['wanCapture'];
    if (wan === 'bridge') {
      const w = await nsSet.create('wan');
      await ipIn(w, ['link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0']);
      for (const s of sites) {
        // Created directly inside the namespaces: no names ever appear in the root namespace.
        await ipIn(s.bridge, ['link', 'add', s.wanIf, 'type', 'veth', 'peer', 'name', `p${s.n}`, 'netns', w]);
        await ipIn(w, ['link', 'set', `p${s.n}`, 'master', 'br0']);
        await ipIn(w, ['link', 'set', `p${s.n}`, 'up']);
      }
      await ipIn(w, ['link', 'set', 'br0', 'up']);
      wanCapture = { ns: w, ifname: 'br0' };
    } else {
      if (sites.length !== 2) throw new Error('a direct WAN joins exactly two sites');
      const [a, b] = sites as [Site, Site];
      await ipIn(a.bridge, ['link', 'add', a.wanIf, 'type', 'veth', 'peer', 'name', b.wanIf, 'netns', b.bridge]);
      wanCapture = { ns: a.bridge, ifname: a.wanIf };
    }
    for (const s of sites) await setUpSite(s);
    // The underlay must work before anything is tested on top of it.
    for (const s of sites.slice(1)) await waitForPing(sites[0]!.bridge, s.wanIp, { timeoutMs: 10_000 });
    return {
      sites,
      wanCapture,
      namespaces: nsSet,
      site(n: number): Site {
        const s = sites[n - 1];
        if (!s) throw new Error(`no site ${n}`);
        return s;
      },
      destroy: () => nsSet.destroy(),
    };
  } catch (e) {
    await nsSet.destroy();
    throw e;
  }
}

async function setUpSite(s: Site): Promise<void> {
  await setUpLan(s);
  await ipIn(s.bridge, ['addr', 'add', `${s.wanIp}/24`, 'dev', s.wanIf]);
  await ipIn(s.bridge, ['link', 'set', s.wanIf, 'up']);
}

/** The host ↔ bridge veth of a site: host address and MTU; the bridge's LAN port. */
export async function setUpLan(s: Pick<Site, 'host' | 'bridge' | 'hostIf' | 'hostIp' | 'lanIf'>): Promise<void> {
  await ipIn(s.host, ['link', 'add', s.hostIf, 'type', 'veth', 'peer', 'name', s.lanIf, 'netns', s.bridge]);
  await ipIn(s.host, ['link', 'set', s.hostIf, 'mtu', String(HOST_MTU)]);
  await ipIn(s.host, ['addr', 'add', `${s.hostIp}/24`, 'dev', s.hostIf]);
  await offloadsOff(s.host, s.hostIf);
  await ipIn(s.host, ['link', 'set', s.hostIf, 'up']);
  // The LAN port is the bridge's NIC: promiscuous, no IP, offloads off.
  await offloadsOff(s.bridge, s.lanIf);
  await ipIn(s.bridge, ['link', 'set', s.lanIf, 'promisc', 'on']);
  await ipIn(s.bridge, ['link', 'set', s.lanIf, 'up']);
}

/** Every unordered pair of distinct items, in order. */
export function pairs<T>(xs: readonly T[]): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i < xs.length; i++) for (let j = i + 1; j < xs.length; j++) out.push([xs[i]!, xs[j]!]);
  return out;
}

/** wanIp of every site but `s`, in site order. */
export function otherWanIps(sites: readonly Site[], s: Site): string[] {
  return sites.filter((o) => o !== s).map((o) => o.wanIp);
}
