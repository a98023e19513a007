// In-memory twin of UdpPort: a whole fake IPv4 network in one process, so tests
// can run several engines against each other with no OS. Delivery is async
// (like a real socket) and can be made lossy or inspected.

import { UdpError, type DatagramHandler, type UdpBindOptions, type UdpPort, type UdpSocketHandle } from './udp-port.js';

interface MemSocket {
  host: string;
  /** Every address of the host that owns the socket. */
  owned: readonly string[];
  address: string;
  port: number;
  groups: Set<string>;
  /** What a kernel would grant: the request, capped like net.core.rmem_max. */
  recvBufferBytes: number;
  onMessage: DatagramHandler;
  closed: boolean;
}

export interface Datagram {
  readonly from: string;
  readonly to: string;
  readonly data: Buffer;
}

export class MemoryNetwork {
  private readonly sockets: MemSocket[] = [];
  private nextEphemeral = 40000;
  /** Like net.core.rmem_max: larger buffer requests are capped to this. */
  maxBufferBytes = 4 * 1024 * 1024;
  /** Every datagram sent, for assertions. */
  readonly sent: Datagram[] = [];
  /** NAT: source address rewriting per host (access-mode tests). */
  readonly nat = new Map<string, { publicAddress: string; portOffset: number }>();

  /** A UdpPort for one host that owns `addresses`. */
  host(...addresses: string[]): UdpPort {
    const host = addresses[0] ?? '0.0.0.0';
    return {
      bind: async (o: UdpBindOptions, onMessage: DatagramHandler): Promise<UdpSocketHandle> => {
        if (o.address !== '0.0.0.0' && !addresses.includes(o.address)) {
          throw new UdpError('address-not-available', `${o.address} is not an address of this host`, 'use a local address');
        }
        const port = o.port === 0 ? this.nextEphemeral++ : o.port;
        const clash = this.sockets.find((s) => !s.closed && s.host === host && s.port === port && (s.address === o.address || s.address === '0.0.0.0' || o.address === '0.0.0.0'));
        if (clash && !o.reuseAddr) throw new UdpError('address-in-use', `UDP ${o.address}:${port} is in use`, 'use another port');
        const s: MemSocket = {
          host,
          owned: addresses,
          address: o.address,
          port,
          groups: new Set(),
          onMessage,
          closed: false,
          recvBufferBytes: Math.min(o.recvBufferBytes ?? this.maxBufferBytes, this.maxBufferBytes),
        };
        this.sockets.push(s);
        return this.handle(s, addresses);
      },
    };
  }

  private handle(s: MemSocket, addresses: string[]): UdpSocketHandle {
    let mcastIf = addresses[0] ?? s.address;
    return {
      send: (buf, offset, length, port, address, done) => {
        const srcAddr = s.address === '0.0.0.0' ? mcastIf : s.address;
        const nat = this.nat.get(s.host);
        const from = nat ? { address: nat.publicAddress, port: s.port + nat.portOffset } : { address: srcAddr, port: s.port };
        const data = Buffer.from(buf.subarray(offset, offset + length));
        this.sent.push({ from: `${from.address}:${from.port}`, to: `${address}:${port}`, data });
        setImmediate(() => {
          done();
          this.deliver(data, from.address, from.port, address, port, s);
        });
      },
      local: () => ({ address: s.address, port: s.port }),
      bufferSizes: () => ({ recv: s.recvBufferBytes, send: s.recvBufferBytes }),
      joinMulticast: (group, iface) => {
        if (!addresses.includes(iface)) throw new Error(`addMembership EADDRNOTAVAIL`);
        s.groups.add(group);
      },
      setMulticastInterface: (iface) => void (mcastIf = iface),
      setMulticastTtl: () => {},
      setMulticastLoopback: () => {},
      close: () => void (s.closed = true),
    };
  }

  private deliver(data: Buffer, fromAddr: string, fromPort: number, to: string, port: number, sender: MemSocket): void {
    const multicast = Number(to.split('.')[0]) >= 224 && Number(to.split('.')[0]) <= 239;
    for (const s of this.sockets) {
      if (s.closed || s === sender) continue;
      if (this.reaches(s, to, port, multicast)) s.onMessage(Buffer.from(data), 0, data.length, fromAddr, fromPort);
    }
  }

  private reaches(s: MemSocket, to: string, port: number, multicast: boolean): boolean {
    const nat = this.nat.get(s.host);
    // Behind NAT: reachable at the mapping the NAT made for it (public address, shifted port).
    if (nat !== undefined && !multicast) return nat.publicAddress === to && s.port + nat.portOffset === port;
    if (s.port !== port) return false;
    if (multicast) return s.groups.has(to);
    return s.address === to || (s.address === '0.0.0.0' && s.owned.includes(to));
  }

  /** Injects a datagram as if sent by someone else (hostile input tests). */
  inject(data: Buffer, fromAddr: string, fromPort: number, to: string, port: number): void {
    for (const s of this.sockets) {
      if (!s.closed && s.port === port && (s.address === to || s.address === '0.0.0.0')) s.onMessage(Buffer.from(data), 0, data.length, fromAddr, fromPort);
    }
  }
}
