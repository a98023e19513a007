// A site bridged by the Linux kernel instead of ubdg: vxlan device vx0 on wanN
// plus a Linux bridge br0 holding vx0 and lanN. The reference peer for interop.

import { exec, ipIn } from './exec.js';
import type { Site } from './topology.js';

export interface KernelVxlanOptions {
  readonly vni: number;
  /** UDP port (4789 IANA, 8472 Linux legacy). */
  readonly port: number;
  /** Multicast mode: BUM to this group, joined on wanN. */
  readonly group?: string;
  /** HER mode: BUM replicated to each of these VTEPs (all-zero FDB entries). */
  readonly peers?: readonly string[];
}

export async function addKernelVxlanSite(site: Site, opts: KernelVxlanOptions): Promise<void> {
  if ((opts.group === undefined) === (opts.peers === undefined)) throw new Error('give exactly one of group or peers');
  const ns = site.bridge;
  const args = ['link', 'add', 'vx0', 'type', 'vxlan', 'id', String(opts.vni), 'dstport', String(opts.port)];
  args.push('local', site.wanIp, 'dev', site.wanIf);
  if (opts.group !== undefined) args.push('group', opts.group);
  await ipIn(ns, args);
  // HER: no remote on the device; one all-zeros FDB entry per peer = flood list.
  for (const p of opts.peers ?? []) {
    await exec('bridge', ['-n', ns, 'fdb', 'append', '00:00:00:00:00:00', 'dev', 'vx0', 'dst', p]);
  }
  await ipIn(ns, ['link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0']);
  await ipIn(ns, ['link', 'set', 'vx0', 'master', 'br0']);
  await ipIn(ns, ['link', 'set', site.lanIf, 'master', 'br0']);
  await ipIn(ns, ['link', 'set', 'vx0', 'up']);
  await ipIn(ns, ['link', 'set', 'br0', 'up']);
}

/** Removes what addKernelVxlanSite made (by exact name), leaving lanN as it was. */
export async function removeKernelVxlanSite(site: Site): Promise<void> {
  const ns = site.bridge;
  await ipIn(ns, ['link', 'set', site.lanIf, 'nomaster'], { okCodes: [0, 1, 2] });
  await ipIn(ns, ['link', 'del', 'br0'], { okCodes: [0, 1, 2] });
  await ipIn(ns, ['link', 'del', 'vx0'], { okCodes: [0, 1, 2] });
}
