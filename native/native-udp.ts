// UdpPort over the native module's UdpChannel (Linux): datagrams arrive in
// batches (recvmmsg, UDP GRO) and what the engine sends while it handles a
// batch leaves in one sendmmsg (UDP GSO for runs to one peer). The engine sees
// the same port as over Node's dgram (engine/ports/node-udp.ts).
import { bindError } from '../electron/engine/ports/node-udp.js';
import { UdpError, type DatagramHandler, type UdpBindOptions, type UdpPort, type UdpSocketHandle } from '../electron/engine/ports/udp-port.js';
import type { DataPlaneModule, NativeLoop, NativeUdpChannel } from './dataplane-module.js';
import { Ipv4Cache } from './ipv4-cache.js';

/** Receive batch: 16 buffers of up to 64 KiB (one UDP GRO buffer each), 64 datagrams each. */
const RX_ARENA_BYTES = 16 * 65536;
const RX_ITEMS = 16 * 64;
/** How often send failures (counted natively) are reported to the leg. */
const FAILURE_CHECK_MS = 1000;

/** The native socket behind a handle of this port (the fast path drives it). */
const channels = new WeakMap<UdpSocketHandle, NativeUdpChannel>();

export function nativeUdpChannelOf(handle: UdpSocketHandle): NativeUdpChannel | undefined {
  return channels.get(handle);
}

export function createNativeUdpPort(native: DataPlaneModule, loop: NativeLoop): UdpPort {
  const ips = new Ipv4Cache();
  return {
    bind(options, onMessage, onError) {
      try {
        return Promise.resolve(open(native, loop, ips, options, onMessage, onError));
      } catch (err) {
        return Promise.reject(err instanceof UdpError ? err : bindError(err as NodeJS.ErrnoException, options));
      }
    },
  };
}

function open(native: DataPlaneModule, loop: NativeLoop, ips: Ipv4Cache, o: UdpBindOptions, onMessage: DatagramHandler, onError: (err: Error) => void): UdpSocketHandle {
  const ch: NativeUdpChannel = new native.UdpChannel(ips.number(o.address), o.port, o.reuseAddr ?? false, o.recvBufferBytes ?? 0, o.sendBufferBytes ?? 0);
  const arena = Buffer.alloc(RX_ARENA_BYTES);
  const desc = new Int32Array(RX_ITEMS * 4);
  let closed = false;
  ch.start(loop, arena, desc, (count) => {
    // A handler may close the socket: nothing of the batch reaches it after that.
    for (let i = 0; i < count && !closed; i++) {
      const at = i * 4;
      const off = desc[at]!;
      // In place: the engine reads the datagram during the call only (no copy, no view made).
      onMessage(arena, off, desc[at + 1]!, ips.text(desc[at + 2]! >>> 0), desc[at + 3]!);
    }
  });
  let reported = 0;
  const watch = setInterval(() => {
    const [n, why] = ch.failures();
    if (n > reported) onError(new Error(`${n - reported} datagram(s) could not be sent${why !== '' ? ` (${why})` : ''}`));
    reported = n;
  }, FAILURE_CHECK_MS);
  watch.unref();
  const handle: UdpSocketHandle = {
    send(buf, offset, length, port, address, done) {
      // Copied into the native queue at once: the engine's slot is free again.
      if (!closed) ch.send(buf, offset, length, ips.number(address), port);
      done();
    },
    local() {
      const [a, p] = ch.local();
      return { address: ips.text(a), port: p };
    },
    queueDrops() {
      return ch.failures()[2];
    },
    bufferSizes() {
      const [recv, send] = ch.bufferSizes();
      return { recv, send };
    },
    joinMulticast(group, iface) {
      ch.multicast(0, ips.number(group), ips.number(iface));
    },
    setMulticastInterface(iface) {
      ch.multicast(1, ips.number(iface));
    },
    setMulticastTtl(ttl) {
      ch.multicast(2, ttl);
    },
    setMulticastLoopback(on) {
      ch.multicast(3, on ? 1 : 0);
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(watch);
      ch.close();
    },
  };
  channels.set(handle, ch);
  return handle;
}
