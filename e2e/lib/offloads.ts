// NIC offloads on veths, switched off where a pcap bridge captures/injects.
//
// Why: a veth is not a NIC. With offloads on,
//  * TSO/GSO let the sending host hand 64 KB TCP/UDP "super-frames" to the
//    veth; a capture on the bridge-side port sees frames far larger than the
//    MTU, which cannot be tunnelled in one datagram nor injected on the far
//    side (EMSGSIZE);
//  * tx checksum offload sends packets with the checksum not yet filled in
//    (CHECKSUM_PARTIAL); a captured copy carries a wrong checksum and the far
//    host drops it once re-injected;
//  * rx checksum off makes the hosts verify every checksum in software, so a
//    bridge that corrupts frames is caught instead of trusted;
//  * GRO off keeps captured frames wire-sized (never coalesced).
// Any pcap bridge breaks on such frames, so the hosts' eth0 and the bridge-side
// LAN ports run with them off: every bridge moves real, MTU-sized, fully
// checksummed frames, as it would from a physical NIC (same as shared/bench).

import { nsExec } from './exec.js';

export async function offloadsOff(ns: string, ifname: string): Promise<void> {
  await nsExec(ns, 'ethtool', ['-K', ifname, 'tx', 'off', 'rx', 'off', 'gso', 'off', 'tso', 'off', 'gro', 'off']);
}
