// Small facts about the end hosts and interfaces of a topology: MAC addresses,
// static ARP entries, interface counters and offload settings.

import { ipIn, nsExec } from './exec.js';

export async function macOf(ns: string, ifname: string): Promise<string> {
  const out = (await ipIn(ns, ['-br', 'link', 'show', ifname])).stdout;
  const m = /([0-9a-f]{2}(?::[0-9a-f]{2}){5})/.exec(out);
  if (!m) throw new Error(`no MAC in: ${out}`);
  return m[1]!;
}

/**
 * Static (permanent) ARP entries between every pair of hosts: from then on a
 * host sends no ARP at all (no probes of stale entries), so the only frames
 * on the LANs are the ones a test makes, and the first frame of a ping is
 * unicast.
 */
export async function pinArp(sites: readonly { host: string; hostIf: string; hostIp: string }[]): Promise<void> {
  const macs = await Promise.all(sites.map((x) => macOf(x.host, x.hostIf)));
  for (const [i, x] of sites.entries()) {
    for (const [j, y] of sites.entries()) {
      if (i !== j) await ipIn(x.host, ['neigh', 'replace', y.hostIp, 'lladdr', macs[j]!, 'dev', x.hostIf, 'nud', 'permanent']);
    }
  }
}

export interface LinkStats {
  readonly rxPackets: number;
  readonly rxErrors: number;
  readonly rxDropped: number;
  readonly txPackets: number;
}

/** `ip -s link` counters of an interface. */
export async function linkStats(ns: string, ifname: string): Promise<LinkStats> {
  const j = JSON.parse((await ipIn(ns, ['-s', '-j', 'link', 'show', 'dev', ifname])).stdout) as Array<{
    stats64: { rx: { packets: number; errors: number; dropped: number }; tx: { packets: number } };
  }>;
  const s = j[0]!.stats64;
  return { rxPackets: s.rx.packets, rxErrors: s.rx.errors, rxDropped: s.rx.dropped, txPackets: s.tx.packets };
}

/** The main offload features of an interface as `ethtool -k` reports them, e.g. "tx-checksumming on, tso on, gso on, gro off". */
export async function offloadSummary(ns: string, ifname: string): Promise<string> {
  const out = (await nsExec(ns, 'ethtool', ['-k', ifname])).stdout;
  const f = (name: string, short: string): string => {
    const m = new RegExp(`^${name}: (on|off)`, 'm').exec(out);
    return `${short} ${m ? m[1] : '?'}`;
  };
  return [
    f('rx-checksumming', 'rx-cksum'),
    f('tx-checksumming', 'tx-cksum'),
    f('tcp-segmentation-offload', 'tso'),
    f('generic-segmentation-offload', 'gso'),
    f('generic-receive-offload', 'gro'),
  ].join(', ');
}

/** A counter of the namespace's /proc/net/snmp, e.g. ('Udp', 'RcvbufErrors'). */
export async function snmpCounter(ns: string, group: string, name: string): Promise<number> {
  const lines = (await nsExec(ns, 'cat', ['/proc/net/snmp'])).stdout.split('\n').filter((l) => l.startsWith(`${group}: `));
  if (lines.length < 2) throw new Error(`no ${group} lines in /proc/net/snmp`);
  const names = lines[0]!.split(/\s+/).slice(1);
  const values = lines[1]!.split(/\s+/).slice(1);
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`no ${group} ${name} in /proc/net/snmp`);
  return Number(values[i]);
}
