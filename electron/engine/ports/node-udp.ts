// UdpPort over Node's dgram. Errors at bind time become UdpError with a fix.

import dgram from 'node:dgram';
import { UdpError, type DatagramHandler, type UdpBindOptions, type UdpPort, type UdpSocketHandle } from './udp-port.js';

/**
 * dgram resolves every destination with dns.lookup() before each send (a
 * libuv round trip, then two nextTicks). Legs hold IPv4 literals only (the
 * grammar allows nothing else), so the address is its own answer, at once.
 */
function literalLookup(address: string, _options: unknown, callback: (err: Error | null, address: string, family: number) => void): void {
  callback(null, address, 4);
}

export function createNodeUdpPort(): UdpPort {
  return { bind };
}

function bind(options: UdpBindOptions, onMessage: DatagramHandler, onError: (err: Error) => void): Promise<UdpSocketHandle> {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket({
      type: 'udp4',
      lookup: literalLookup,
      reuseAddr: options.reuseAddr ?? false,
      ...(options.recvBufferBytes !== undefined ? { recvBufferSize: options.recvBufferBytes } : {}),
      ...(options.sendBufferBytes !== undefined ? { sendBufferSize: options.sendBufferBytes } : {}),
    });
    let bound = false;
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (!bound) {
        sock.close();
        reject(bindError(err, options));
      } else onError(err);
    });
    sock.on('message', (msg, rinfo) => onMessage(msg, 0, msg.length, rinfo.address, rinfo.port));
    sock.bind(options.port, options.address, () => {
      bound = true;
      resolve(wrap(sock));
    });
  });
}

function wrap(sock: dgram.Socket): UdpSocketHandle {
  let closed = false;
  return {
    send(buf, offset, length, port, address, done) {
      if (closed) return done();
      // Errors (ICMP unreachable…) are transient; the slot must come back either way.
      // dgram throws at once for what it cannot send at all (port 0, a bad address):
      // that must never take the process down, as a forged source could make it.
      try {
        sock.send(buf, offset, length, port, address, done);
      } catch {
        done();
      }
    },
    bufferSizes() {
      return { recv: sock.getRecvBufferSize(), send: sock.getSendBufferSize() };
    },
    local() {
      const a = sock.address();
      return { address: a.address, port: a.port };
    },
    joinMulticast(group, iface) {
      sock.addMembership(group, iface);
    },
    setMulticastInterface(iface) {
      sock.setMulticastInterface(iface);
    },
    setMulticastTtl(ttl) {
      sock.setMulticastTTL(ttl);
    },
    setMulticastLoopback(on) {
      sock.setMulticastLoopback(on);
    },
    close() {
      if (closed) return;
      closed = true;
      sock.close();
    },
  };
}

export function bindError(err: NodeJS.ErrnoException, o: UdpBindOptions): UdpError {
  const where = `${o.address}:${o.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new UdpError(
        'address-in-use',
        `UDP ${where} is already in use by another program (or another leg)`,
        `stop the other program (find it with: ss -ulpn 'sport = :${o.port}'), or give this leg another port`,
      );
    case 'EADDRNOTAVAIL':
      return new UdpError(
        'address-not-available',
        `${o.address} is not an address of this machine, so UDP ${where} cannot be bound`,
        'use one of the addresses shown by `ubdg --list-nics`, or `*` as local address for access mode behind NAT',
      );
    case 'EACCES':
    case 'EPERM':
      return new UdpError('permission', `not allowed to bind UDP ${where}`, 'ports below 1024 need root/Administrator; use a higher port');
    default:
      return new UdpError('bind-failed', `cannot bind UDP ${where}: ${err.message}`, 'check the address and port of the leg');
  }
}
