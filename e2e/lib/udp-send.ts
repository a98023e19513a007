// Sends one UDP datagram from inside a namespace (a stranger's packet, a
// crafted VXLAN header): node's dgram, no extra tools.

import { nsExec } from './exec.js';

const SENDER = `
const dgram = require('node:dgram');
const [bind, host, port, hex] = process.argv.slice(1);
const s = dgram.createSocket('udp4');
s.bind({ address: bind, port: 0 }, () => {
  s.send(Buffer.from(hex, 'hex'), Number(port), host, (err) => {
    if (err) { console.error(err.message); process.exit(1); }
    console.log(JSON.stringify({ sent: hex.length / 2, from: s.address() }));
    s.close();
  });
});
`;

export interface UdpSent {
  readonly sent: number;
  readonly from: { readonly address: string; readonly port: number };
}

/** Sends `payload` from `bind` (an address of `ns`, ephemeral port) to `host:port`. */
export async function sendUdp(ns: string, bind: string, host: string, port: number, payload: Buffer): Promise<UdpSent> {
  const r = await nsExec(ns, process.execPath, ['-e', SENDER, bind, host, String(port), payload.toString('hex')]);
  return JSON.parse(r.stdout.trim()) as UdpSent;
}

/** VXLAN header (RFC 7348) with `flags` (0x08 = valid) and `vni`, then `frame`. */
export function vxlanPacket(vni: number, frame: Buffer, flags = 0x08): Buffer {
  const h = Buffer.alloc(8);
  h[0] = flags;
  h.writeUIntBE(vni, 4, 3);
  return Buffer.concat([h, frame]);
}

/** A minimal broadcast Ethernet frame (60 bytes, ethertype 0x88b5 = local experimental). */
export function broadcastFrame(srcMac = '02:00:00:00:66:66'): Buffer {
  const f = Buffer.alloc(60);
  Buffer.from('ffffffffffff', 'hex').copy(f, 0);
  Buffer.from(srcMac.replace(/:/g, ''), 'hex').copy(f, 6);
  f.writeUInt16BE(0x88b5, 12);
  f.write('vxbridge-e2e stranger', 14);
  return f;
}
