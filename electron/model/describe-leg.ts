// What a leg will do, in plain words (`ubdg --dry-run`, UI hints). Never shows a key.
// Pure, no Node imports: the renderer uses it too.

import { ACCESS_KEEPALIVE_S } from './defaults.js';
import { vxlanPort, type LegSpec, type NicLegSpec, type UdpLegSpec, type VxlanLegSpec } from './leg-spec.js';
import { assertNever } from './assert-never.js';

export interface DescribeOptions {
  /** Keepalive interval of access legs, if not the default. */
  readonly keepaliveSeconds?: number;
}

export function describeLeg(spec: LegSpec, options: DescribeOptions = {}): string {
  switch (spec.kind) {
    case 'W':
      return describeNic(spec);
    case 'U':
      return describeUdp(spec);
    case 'V':
      return describeVxlan(spec, options.keepaliveSeconds ?? ACCESS_KEEPALIVE_S);
    default:
      return assertNever(spec, 'leg kind');
  }
}

function describeNic(spec: NicLegSpec): string {
  const what = `into segment ${spec.segment} (pcap capture + inject)`;
  if (spec.nic === undefined) return `bridges an adapter ${what}; adapter not given: ubdg will ask for one`;
  return `bridges adapter ${spec.nic} ${what}`;
}

function describeUdp(spec: UdpLegSpec): string {
  const local = spec.localAddress === '0.0.0.0' ? `any local address, port ${spec.localPort}` : `${spec.localAddress}:${spec.localPort}`;
  return `Ethernet over UDP in segment ${spec.segment}: from ${local} to ${spec.remoteAddress}:${spec.remotePort}` + ' (each frame is one datagram, point-to-point)';
}

function describeVxlan(spec: VxlanLegSpec, keepaliveSeconds: number): string {
  const port = vxlanPort(spec);
  const at = (ip: string) => `${ip}:${port}`;
  const vni = `VXLAN VNI ${spec.segment}`;
  const r = spec.remote;
  let how: string;
  switch (r.mode) {
    case 'unicast':
      how =
        r.peers.length === 1
          ? `${vni} on ${at(spec.local)}, point-to-point to ${at(r.peers[0]!)}`
          : `${vni} on ${at(spec.local)}, head-end replication to ${list(r.peers.map(at))}`;
      break;
    case 'multicast':
      how = `${vni} on ${at(spec.local)}, multicast group ${at(r.group)} (IGMP join on the interface of ${spec.local})`;
      break;
    case 'provider':
      how = `${vni}, provider VTEP on ${at(spec.local)}: learns remote VTEPs (IP:port, behind PAT) and relays between them`;
      break;
    case 'access':
      how = `${vni}, access VTEP behind NAT: any local address, ephemeral port, ` + `keepalive every ${keepaliveSeconds} s to provider ${at(r.provider)}`;
      break;
    default:
      return assertNever(r, 'VXLAN mode');
  }
  return `${how}, ${encryption(spec)}`;
}

function encryption(spec: VxlanLegSpec): string {
  if (spec.keyEnv !== undefined) return `encrypted with a pre-shared key (from environment variable ${spec.keyEnv})`;
  if (spec.keyFile !== undefined) return `encrypted with a pre-shared key (from file ${spec.keyFile})`;
  if (spec.key !== undefined) return 'encrypted with a pre-shared key';
  return 'unencrypted';
}

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}
