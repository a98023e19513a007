// Moving snapshots for the dev preview: a provider leg learning hundreds of
// VTEPs, a HER leg, an adapter; traffic that breathes; peers that come and go.

import { parseLeg } from '../../electron/model/leg-grammar.js';
import type { BridgeSnapshot, LegSnapshot, MacSnapshot, PeerSnapshot } from '../../electron/model/snapshot.js';
import type { Result, VxbridgeApi } from '../../electron/contract/ipc-contract.js';
import { legSnapshots, type FakeApi } from '../src/testing/fake-api.js';

export interface SimOptions {
  /** Learned peers to reach on provider legs. */
  readonly peers: number;
  readonly intervalMs: number;
  /** Seconds of history generated at once on start, so the charts are full. */
  readonly warmupS: number;
  readonly warnings?: boolean;
}

interface SimPeer {
  leg: number;
  address: string;
  origin: 'configured' | 'learned';
  firstSeen: number;
  lastSeen: number;
  weight: number;
  quietUntil: number;
  c: { rxPackets: number; rxBytes: number; txPackets: number; txBytes: number };
  macs: string[];
}

let seed = 12345;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

function mac(): string {
  const b = [0x02, ...Array.from({ length: 5 }, () => Math.floor(rand() * 256))];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function publicAddress(i: number): string {
  const nets = ['198.51.100', '203.0.113', '192.0.2', '100.64.12', '100.64.13', '100.64.14', '100.64.15'];
  const net = nets[i % nets.length]!;
  return `${net}.${1 + (Math.floor(i / nets.length) % 250)}:${40000 + ((i * 7919) % 25000)}`;
}

export function simulate(fake: FakeApi, options: SimOptions): VxbridgeApi {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let legs: LegSnapshot[] = [];
  let peers: SimPeer[] = [];
  let localMacs: string[] = [];
  let simTime = 0;
  let nextPeer = 0;
  let startWall = 0;
  const base = fake.api;

  const tick = (dt: number) => {
    simTime += dt;
    const t = simTime / 1000;
    const wave = 1 + 0.45 * Math.sin(t / 6) + 0.25 * Math.sin(t / 2.3) + 0.15 * (rand() - 0.5);
    // Learn new peers on provider legs.
    for (const l of legs) {
      const spec = parseLeg(l.leg);
      if (!spec.ok || spec.spec.kind !== 'V' || spec.spec.remote.mode !== 'provider') continue;
      const have = peers.filter((p) => p.leg === l.id && p.origin === 'learned').length;
      // The last ones trickle in (about one every 2–3 s), so some rows are always new.
      if (have < options.peers && rand() < 0.1) {
        const address = publicAddress(nextPeer++);
        addPeer(l.id, 'learned', address);
        fake.emitEvent({ type: 'peer-learned', leg: l.id, address });
      }
    }
    // Occasionally a peer goes quiet (it will expire) or leaves.
    if (rand() < 0.01 && peers.length > 10) {
      const p = peers[Math.floor(rand() * peers.length)]!;
      if (p.origin === 'learned') p.quietUntil = simTime + 400_000;
    }
    // Learned peers age out after 300 s of silence, like the engine's default.
    peers = peers.filter((p) => {
      const keep = p.origin !== 'learned' || simTime - p.lastSeen < 300_000;
      if (!keep) fake.emitEvent({ type: 'peer-expired', leg: p.leg, address: p.address });
      return keep;
    });
    let rxBytes = 0;
    let rxPkts = 0;
    let txBytes = 0;
    let txPkts = 0;
    for (const p of peers) {
      if (p.quietUntil > simTime) continue;
      const pps = p.weight * wave * (0.6 + rand() * 0.8);
      const pk = (pps * dt) / 1000;
      const bytes = pk * (420 + rand() * 700);
      const tpk = pk * (0.55 + 0.25 * Math.sin(t / 4 + p.weight));
      const tbytes = tpk * (300 + rand() * 400);
      p.c.rxPackets += pk;
      p.c.rxBytes += bytes;
      p.c.txPackets += tpk;
      p.c.txBytes += tbytes;
      rxBytes += bytes;
      rxPkts += pk;
      txBytes += tbytes;
      txPkts += tpk;
      if (pk > 0.01) p.lastSeen = simTime;
      const l = legs[p.leg]!;
      legs[p.leg] = { ...l, rxPackets: l.rxPackets + pk, rxBytes: l.rxBytes + bytes, txPackets: l.txPackets + tpk, txBytes: l.txBytes + tbytes };
    }
    legs = legs.map((l) => {
      if (l.kind !== 'W') {
        const d = { ...l.drops };
        if (rand() < 0.3) d['split-horizon'] += Math.floor(rand() * 4);
        if (rand() < 0.02) d['unknown-peer'] += 1;
        return { ...l, drops: d };
      }
      const d = { ...l.drops };
      if (rand() < 0.25) d.echo += Math.floor(rand() * 3);
      return {
        ...l,
        drops: d,
        // The adapter sends what the tunnels received (less what the provider relayed between
        // its peers) and receives what the tunnels sent (less the hub's relayed share).
        rxPackets: l.rxPackets + txPkts * 0.85,
        rxBytes: l.rxBytes + txBytes * 0.85,
        txPackets: l.txPackets + rxPkts * 0.7,
        txBytes: l.txBytes + rxBytes * 0.7,
      };
    });
  };

  const addPeer = (leg: number, origin: SimPeer['origin'], address: string, ageMs = 0) => {
    const weight = origin === 'configured' ? 60 + rand() * 120 : Math.pow(rand(), 3) * 90 + 0.5;
    peers.push({
      leg,
      address,
      origin,
      firstSeen: simTime - ageMs,
      lastSeen: simTime - ageMs * rand() * 0.1,
      weight,
      quietUntil: 0,
      c: { rxPackets: 0, rxBytes: 0, txPackets: 0, txBytes: 0 },
      macs: Array.from({ length: 1 + Math.floor(rand() * 3) }, mac),
    });
  };

  const snapshot = (): BridgeSnapshot => {
    const ps: PeerSnapshot[] = peers.map((p) => ({
      leg: p.leg,
      address: p.address,
      origin: p.origin,
      // The simulator's learned VTEPs stand for verified ones (keepalives with cookies).
      verified: true,
      firstSeen: Math.round(p.firstSeen),
      lastSeen: Math.round(p.lastSeen),
      rxPackets: Math.round(p.c.rxPackets),
      rxBytes: Math.round(p.c.rxBytes),
      txPackets: Math.round(p.c.txPackets),
      txBytes: Math.round(p.c.txBytes),
    }));
    const macs: MacSnapshot[] = [];
    for (const p of peers)
      for (const m of p.macs) macs.push({ segment: legs[p.leg]!.segment, mac: m, leg: p.leg, peer: p.address, ageSeconds: Math.max(0, Math.round((simTime - p.lastSeen) / 1000)) });
    const w = legs.find((l) => l.kind === 'W');
    if (w) for (const m of localMacs) macs.push({ segment: w.segment, mac: m, leg: w.id, ageSeconds: Math.floor(rand() * 4) });
    return {
      time: Math.round(simTime),
      running: true,
      legs: legs.map((l) => ({ ...l, rxPackets: Math.round(l.rxPackets), rxBytes: Math.round(l.rxBytes), txPackets: Math.round(l.txPackets), txBytes: Math.round(l.txBytes) })),
      peers: ps,
      macs,
      peerCount: ps.length,
      macCount: macs.length,
    };
  };

  const loop = () => {
    const target = Date.now();
    // Catch up quickly during warm-up, then follow the wall clock.
    let steps = 0;
    while (simTime + options.intervalMs <= target && steps < 40) {
      tick(options.intervalMs);
      fake.emitSnapshot(snapshot());
      steps++;
    }
    timer = setTimeout(loop, simTime + options.intervalMs <= target ? 0 : options.intervalMs);
  };

  return {
    ...base,
    async startBridge(legStrings) {
      const r = await base.startBridge(legStrings);
      if (!r.ok) return r;
      seed = 12345;
      startWall = Date.now();
      simTime = startWall - options.warmupS * 1000;
      legs = legSnapshots(legStrings).map((l) => ({
        ...l,
        warnings: options.warnings && l.kind === 'W' ? ['Generic receive offload (GRO) is on: large frames may be dropped. Turn it off in the adapter’s advanced settings.'] : [],
      }));
      peers = [];
      nextPeer = 0;
      localMacs = Array.from({ length: 6 }, mac);
      for (const l of legs) {
        const spec = parseLeg(legStrings[l.id]!);
        if (!spec.ok || spec.spec.kind !== 'V') continue;
        const port = spec.spec.port ?? 4789;
        const rm = spec.spec.remote;
        if (rm.mode === 'unicast') for (const a of rm.peers) addPeer(l.id, 'configured', `${a}:${port}`, options.warmupS * 1000);
        if (rm.mode === 'access') addPeer(l.id, 'configured', `${rm.provider}:${port}`, options.warmupS * 1000);
        if (rm.mode === 'provider') {
          const initial = Math.max(0, options.peers - 45);
          for (let k = 0; k < initial; k++) {
            addPeer(l.id, 'learned', publicAddress(nextPeer++), (options.warmupS + 30 + rand() * 900) * 1000);
            // A few went silent a while ago: they age out during the preview.
            if (k % 37 === 5) {
              const p = peers[peers.length - 1]!;
              p.quietUntil = Number.MAX_SAFE_INTEGER;
              p.lastSeen = simTime + options.warmupS * 1000 - (120_000 + rand() * 175_000);
            }
          }
        }
      }
      const first = snapshot();
      fake.running = first;
      timer = setTimeout(loop, 0);
      return { ok: true, value: first } as Result<BridgeSnapshot>;
    },
    async stopBridge() {
      if (timer) clearTimeout(timer);
      timer = null;
      return base.stopBridge();
    },
  };
}
