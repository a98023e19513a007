// A provider site on a public "internet" segment and access sites behind real
// NAT routers (nftables masquerade = PAT), for the dynamic-VTEP scenarios.
//
//   [h1] 10.20.1.1 ── lan1 [s1] inet0 203.0.113.5/24 ──────────────────── p0 ┐
//                                                                            │
//   [hN] 10.20.1.N ── lanN [sN] wanN 192.168.I.2/24 ── priv [rN] pub 203.0.113.(10+I)/24 ── pN ┤ br0 [inet]
//                          default via 192.168.I.1      ip_forward=1,        │
//                                                       masquerade on pub    │
//   [x] pub 203.0.113.66/24 (a stranger on the internet) ─────────────── px ┘
//
// Site 1 is the provider P; sites 2..k+1 are access sites (I = N-1: A = site 2
// behind 192.168.1.1 / 203.0.113.11, B = site 3 behind 192.168.2.1 / 203.0.113.12).
// The provider has no route to the private networks: the only way in is
// through the routers' NAT mappings. Hosts and LAN ports are set up as in
// topology.ts (MTU 1400, offloads off, LAN port promiscuous without IP).

import { ipIn, nsExec } from './exec.js';
import { NamespaceSet } from './netns.js';
import { waitForPing } from './ping.js';
import { hostIp, setUpLan, type Site } from './topology.js';
import { waitUntil } from './wait.js';

export const INTERNET_PREFIX = 24;
export const PROVIDER_PUBLIC_IP = '203.0.113.5';
export const STRANGER_IP = '203.0.113.66';
export const NAT_TABLE = 'vxe_nat';

/** A source-port range for masquerade, e.g. [20000, 20999]. */
export type PortRange = readonly [number, number];

export interface NatRouter {
  readonly ns: string;
  /** Private side (the access site's gateway). */
  readonly privateIp: string;
  /** Public side on the internet segment: what the provider sees. */
  readonly publicIp: string;
  readonly publicIf: 'pub';
  /** The masquerade port range now in force (setMasquerade updates it). */
  portRange: PortRange;
}

export interface AccessSite extends Site {
  readonly router: NatRouter;
}

export interface NatTopology {
  readonly provider: Site;
  readonly access: readonly AccessSite[];
  readonly sites: readonly Site[];
  /** The stranger's namespace (STRANGER_IP on the internet segment). */
  readonly stranger: string;
  /** Where the whole internet segment can be captured. */
  readonly internetCapture: { readonly ns: string; readonly ifname: string };
  readonly namespaces: NamespaceSet;
  destroy(): Promise<void>;
}

export interface NatTopologyOptions {
  readonly tag: string;
  /** Number of access sites behind their own NAT (1..8). */
  readonly accessSites: number;
  /** Masquerade source-port range (PAT). Default [20000, 20999]. */
  readonly portRange?: PortRange;
}

export function routerPublicIp(i: number): string {
  return `203.0.113.${10 + i}`;
}

export async function buildNatTopology(opts: NatTopologyOptions): Promise<NatTopology> {
  if (opts.accessSites < 1 || opts.accessSites > 8) throw new Error(`accessSites must be 1..8, got ${opts.accessSites}`);
  const range = opts.portRange ?? [20000, 20999];
  const nsSet = new NamespaceSet(opts.tag);
  try {
    const inet = await nsSet.create('inet');
    await ipIn(inet, ['link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0']);
    await ipIn(inet, ['link', 'set', 'br0', 'up']);
    const plug = async (ns: string, ifname: string, port: string, addr: string): Promise<void> => {
      await ipIn(ns, ['link', 'add', ifname, 'type', 'veth', 'peer', 'name', port, 'netns', inet]);
      await ipIn(inet, ['link', 'set', port, 'master', 'br0']);
      await ipIn(inet, ['link', 'set', port, 'up']);
      await ipIn(ns, ['addr', 'add', `${addr}/${INTERNET_PREFIX}`, 'dev', ifname]);
      await ipIn(ns, ['link', 'set', ifname, 'up']);
    };

    const provider = await createSite(nsSet, 1, 'inet0', PROVIDER_PUBLIC_IP);
    await plug(provider.bridge, provider.wanIf, 'p0', PROVIDER_PUBLIC_IP);

    const access: AccessSite[] = [];
    for (let i = 1; i <= opts.accessSites; i++) {
      const n = i + 1;
      const site = await createSite(nsSet, n, `wan${n}`, `192.168.${i}.2`);
      const r = await nsSet.create(`r${n}`);
      const router: NatRouter = { ns: r, privateIp: `192.168.${i}.1`, publicIp: routerPublicIp(i), publicIf: 'pub', portRange: range };
      await ipIn(site.bridge, ['link', 'add', site.wanIf, 'type', 'veth', 'peer', 'name', 'priv', 'netns', r]);
      await ipIn(site.bridge, ['addr', 'add', `${site.wanIp}/24`, 'dev', site.wanIf]);
      await ipIn(site.bridge, ['link', 'set', site.wanIf, 'up']);
      await ipIn(site.bridge, ['route', 'add', 'default', 'via', router.privateIp]);
      await ipIn(r, ['addr', 'add', `${router.privateIp}/24`, 'dev', 'priv']);
      await ipIn(r, ['link', 'set', 'priv', 'up']);
      await plug(r, 'pub', `p${n}`, router.publicIp);
      await nsExec(r, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
      await setMasquerade(router, range);
      access.push({ ...site, router });
    }

    const stranger = await nsSet.create('x');
    await plug(stranger, 'pub', 'px', STRANGER_IP);

    // The underlay must work before anything is tested on top of it: every
    // access site reaches the provider through its NAT.
    for (const a of access) await waitForPing(a.bridge, PROVIDER_PUBLIC_IP, { timeoutMs: 10_000 });
    await waitForPing(stranger, PROVIDER_PUBLIC_IP, { timeoutMs: 10_000 });

    return {
      provider,
      access,
      sites: [provider, ...access],
      stranger,
      internetCapture: { ns: inet, ifname: 'br0' },
      namespaces: nsSet,
      destroy: () => nsSet.destroy(),
    };
  } catch (e) {
    await nsSet.destroy();
    throw e;
  }
}

/** hN + sN with the LAN side set up; the WAN interface is added by the caller. */
async function createSite(nsSet: NamespaceSet, n: number, wanIf: string, wanIp: string): Promise<Site> {
  const s: Site = {
    n,
    host: await nsSet.create(`h${n}`),
    bridge: await nsSet.create(`s${n}`),
    hostIf: 'eth0',
    hostIp: hostIp(n),
    lanIf: `lan${n}`,
    wanIf,
    wanIp,
  };
  await setUpLan(s);
  return s;
}

/**
 * (Re)writes the router's NAT table in one transaction: masquerade everything
 * leaving `pub` with source ports from `range`. Existing conntrack mappings
 * keep their ports (NAT is decided on a flow's first packet): see remapNat.
 */
export async function setMasquerade(router: NatRouter, range: PortRange): Promise<void> {
  const script = [
    `table ip ${NAT_TABLE}`,
    `delete table ip ${NAT_TABLE}`,
    `table ip ${NAT_TABLE} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    oifname "${router.publicIf}" meta l4proto { tcp, udp } masquerade to :${range[0]}-${range[1]}`,
    `    oifname "${router.publicIf}" masquerade`,
    '  }',
    '}',
    '',
  ].join('\n');
  await nsExec(router.ns, 'nft', ['-f', '-'], { input: script });
  router.portRange = range;
}

/** One line of /proc/net/nf_conntrack (UDP), original and reply tuples. */
export interface ConntrackUdp {
  readonly orig: { readonly src: string; readonly dst: string; readonly sport: number; readonly dport: number };
  readonly reply: { readonly src: string; readonly dst: string; readonly sport: number; readonly dport: number };
  readonly line: string;
}

/** The router's UDP conntrack entries (for assertions and failure messages). */
export async function conntrackUdp(router: NatRouter): Promise<ConntrackUdp[]> {
  const text = (await nsExec(router.ns, 'cat', ['/proc/net/nf_conntrack'])).stdout;
  const out: ConntrackUdp[] = [];
  for (const line of text.split('\n')) {
    if (!/\budp\b/.test(line)) continue;
    const t = [...line.matchAll(/src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)/g)];
    if (t.length < 2) continue;
    const tuple = (m: RegExpMatchArray) => ({ src: m[1]!, dst: m[2]!, sport: Number(m[3]), dport: Number(m[4]) });
    out.push({ orig: tuple(t[0]!), reply: tuple(t[1]!), line: line.trim() });
  }
  return out;
}

/** The public port the router maps `privateSrc` → `dst:dport` to, if a mapping exists. */
export async function natMapping(router: NatRouter, privateSrc: string, dst: string, dport: number): Promise<number | undefined> {
  const e = (await conntrackUdp(router)).find((c) => c.orig.src === privateSrc && c.orig.dst === dst && c.orig.dport === dport);
  return e?.reply.dport;
}

/**
 * Changes the PAT mapping of every flow through `router`, as a NAT reboot or
 * a mapping expiry does: the masquerade port range becomes `range`, and the
 * existing mappings are flushed (no `conntrack` tool here: removing the public
 * address makes the kernel drop the conntrack entries masqueraded to it, then
 * it is added back). The next outgoing packet of a flow gets a new port.
 * Resolves once the old mapping of `privateSrc → dst:dport` is gone (no
 * mapping, or already a new one).
 */
export async function remapNat(router: NatRouter, range: PortRange, flow: { privateSrc: string; dst: string; dport: number }): Promise<void> {
  const old = await natMapping(router, flow.privateSrc, flow.dst, flow.dport);
  await setMasquerade(router, range);
  await ipIn(router.ns, ['addr', 'del', `${router.publicIp}/${INTERNET_PREFIX}`, 'dev', router.publicIf]);
  await ipIn(router.ns, ['addr', 'add', `${router.publicIp}/${INTERNET_PREFIX}`, 'dev', router.publicIf]);
  // The kernel flushes masqueraded entries from a work queue: wait for it.
  await waitUntil(async () => old === undefined || (await natMapping(router, flow.privateSrc, flow.dst, flow.dport)) !== old, {
    timeoutMs: 5_000,
    intervalMs: 50,
    what: `the NAT mapping ${flow.privateSrc} → ${flow.dst}:${flow.dport} via port ${old} in ${router.ns} to be flushed`,
  });
}
