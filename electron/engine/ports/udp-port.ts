// The engine's only way to reach UDP. node-udp.ts implements it over `dgram`;
// memory-udp.ts is the in-memory twin (a whole fake IPv4 network).

import { FixableError } from '../../model/user-error.js';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** Called for every datagram, at buf[offset..offset+length). The port may reuse
 *  `buf` after the call (the native data plane does): copy what must outlive it. */
export type DatagramHandler = (buf: Buffer, offset: number, length: number, fromAddress: string, fromPort: number) => void;

export interface UdpBindOptions {
  /** Address to bind; '0.0.0.0' for any. */
  readonly address: string;
  /** 0 = ephemeral. */
  readonly port: number;
  readonly reuseAddr?: boolean;
  readonly recvBufferBytes?: number;
  readonly sendBufferBytes?: number;
}

export interface UdpSocketHandle {
  /** Fire-and-forget. The engine keeps `buf` untouched until `done` is called. */
  send(buf: Buffer, offset: number, length: number, port: number, address: string, done: () => void): void;
  local(): Endpoint;
  /** Kernel socket buffer sizes actually granted (Linux reports twice the usable size). */
  bufferSizes(): { readonly recv: number; readonly send: number };
  /** Datagrams dropped so far for waiting too long in the socket (native data plane only). */
  queueDrops?(): number;
  joinMulticast(group: string, interfaceAddress: string): void;
  setMulticastInterface(interfaceAddress: string): void;
  setMulticastTtl(ttl: number): void;
  setMulticastLoopback(on: boolean): void;
  close(): void;
}

export type UdpErrorCode = 'address-in-use' | 'address-not-available' | 'permission' | 'bind-failed';

export class UdpError extends FixableError {
  constructor(
    readonly code: UdpErrorCode,
    message: string,
    fix: string,
  ) {
    super(message, fix);
    this.name = 'UdpError';
  }
}

export interface UdpPort {
  /** Resolves once bound; rejects with UdpError. Errors after binding go to onError. */
  bind(options: UdpBindOptions, onMessage: DatagramHandler, onError: (err: Error) => void): Promise<UdpSocketHandle>;
}
