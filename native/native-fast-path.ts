// FastPath over the native module's Segment: frames between an adapter and a
// tunnel peer that the switch already knows never reach JavaScript (see
// native/dataplane/src/fast_path.h for what stays with the engine).
import type { FastPath, FastPathFactory } from '../electron/engine/ports/fast-path-port.js';
import { nativePacketChannelOf } from './af-packet-capture.js';
import type { DataPlaneModule } from './dataplane-module.js';
import { ipv4ToNumber } from './ipv4-cache.js';
import { nativeOpenerOf, nativeSealerOf } from './native-session-crypto.js';
import { nativeUdpChannelOf } from './native-udp.js';

const PEER_FIELDS = 4;

export function nativeFastPath(m: DataPlaneModule): FastPathFactory {
  return () => createNativeFastPath(m);
}

function createNativeFastPath(m: DataPlaneModule): FastPath {
  const seg = new m.Segment();
  return {
    attachAdapter(leg, handle) {
      const ch = nativePacketChannelOf(handle);
      if (ch === undefined) return false;
      seg.attachAdapter(leg, ch);
      return true;
    },
    attachTunnel(leg, socket, encap) {
      const ch = nativeUdpChannelOf(socket);
      const sealer = encap.sealer === undefined ? undefined : nativeSealerOf(m, encap.sealer);
      if (ch === undefined || (encap.sealer !== undefined && sealer === undefined)) return false;
      seg.attachTunnel(leg, ch, encap.raw, encap.vni, sealer);
      return true;
    },
    detach: (leg) => seg.detach(leg),
    setPeers(leg, peers) {
      const a = new Float64Array(peers.length * PEER_FIELDS);
      const openers = peers.map((p, i) => {
        a.set([p.key, ipv4ToNumber(p.address), p.port, p.matchPort], i * PEER_FIELDS);
        return p.opener === undefined ? undefined : nativeOpenerOf(m, p.opener);
      });
      seg.setPeers(leg, a, openers);
    },
    setMac: (mac, leg, peer) => seg.setMac(mac, leg, peer),
    deleteMac: (mac) => seg.deleteMac(mac),
    take(sink) {
      const t = seg.take();
      for (let i = 0; i + 5 <= t.legs.length; i += 5) sink.legTraffic(t.legs[i]!, t.legs[i + 1]!, t.legs[i + 2]!, t.legs[i + 3]!, t.legs[i + 4]!);
      for (let i = 0; i + 7 <= t.peers.length; i += 7) {
        const p = t.peers;
        sink.peerTraffic(p[i + 1]!, p[i]!, p[i + 2]!, p[i + 3]!, p[i + 4]!, p[i + 5]!, p[i + 6] === 1);
      }
      for (let i = 0; i < t.macs.length; i++) sink.macSeen(t.macs[i]!);
    },
  };
}
