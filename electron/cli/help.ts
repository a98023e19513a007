import { ACCESS_KEEPALIVE_S } from '../model/defaults.js';
import { formatCliOptions } from '../model/cli-options.js';

export const HELP = `ubdg — bridge a network adapter to other sites over UDP (vxbridge)

Usage:
  ubdg [options] LEG...          run a bridge until Ctrl-C
  ubdg --list-nics               list adapters (name, description, addresses, flags)
  ubdg ui [--port N]             serve the vxbridge UI on http://127.0.0.1 (token-protected)

Legs (UBridge-compatible; all legs with the same SEG are bridged together):
  SEG#W:E@NIC                    adapter NIC (name, description or index from --list-nics);
                                 without @NIC ubdg asks on a terminal
  SEG#U:E@LOCAL:LPORT:REMOTE:RPORT
                                 Ethernet-over-UDP to one peer (GNS3/Dynamips compatible)
  SEG#V:E@LOCAL:REMOTE[*KEY][:PORT]
                                 VXLAN, SEG is the VNI; PORT defaults to 4789 (Linux kernel: 8472)
      REMOTE = IP[+IP...]        head-end replication to these VTEPs
      REMOTE = 239.x.x.x         multicast group (joined on the interface of LOCAL)
      REMOTE = 0                 provider: learns remote VTEPs (behind PAT) and relays between them
      LOCAL  = *                 access: behind NAT, sends to the provider REMOTE, keepalive every ${ACCESS_KEEPALIVE_S} s
      *KEY / *env:NAME           pre-shared key (env:NAME reads it from an environment variable)

Options:
${formatCliOptions()}

Examples:
  ubdg 5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10 5000#W:E@lan1
  ubdg 5000#V:E@10.1.1.1:239.1.1.1:8472 5000#W:E@eth1
  ubdg 7#U:E@0.0.0.0:40000:192.0.2.7:40000 7#W:E@eth1

Exit codes: 0 stopped cleanly, 1 a leg could not start, 2 bad command line.
Capturing needs root (Linux: or CAP_NET_RAW) / Npcap (Windows).`;
