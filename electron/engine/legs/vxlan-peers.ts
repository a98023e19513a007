// Who a VXLAN leg talks to, by mode:
//  unicast (HER): a fixed list; datagrams from other addresses are refused.
//  multicast:     the group for BUM, plus VTEPs learned by source address
//                 (replies go to IP:vxlan-port, like the kernel's fdb).
//  provider:      VTEPs learned by (IP, source port): they sit behind PAT.
//  access:        the one provider.

import type { VxlanLegSpec } from '../../model/leg-spec.js';
import { vxlanPort } from '../../model/leg-spec.js';
import { KEEPALIVE_PERIODS_TO_EXPIRE, LEARNED_PEERS_MAX, MIN_EXPIRY_PERIOD_MS, PEER_AGEING_MS, PEERS_PER_ADDRESS_MAX } from '../../model/defaults.js';
import { Peer } from './peer.js';
import { assertNever } from '../../model/assert-never.js';

export type Admit = Peer | 'unknown' | 'full';

/** What a keepalive changed. */
export interface KeepaliveOutcome {
  /** The peer that carries the VTEP from now on. */
  readonly peer: Peer;
  /** Set when the VTEP was known at another address: it moved from there. */
  readonly movedFrom?: string;
  /** A peer learned at the new address before the keepalive came, now merged away. */
  readonly merged?: Peer;
}

export class VxlanPeers {
  /** Where BUM goes: HER list, [group], [provider] or the learned list (provider). */
  floodList: Peer[] = [];
  private readonly configured = new Map<string, Peer>();
  /** Learned peers by source address; several per address in provider mode (PAT). */
  private readonly learned = new Map<string, Peer[]>();
  private learnedCount = 0;
  /** Learned peers by the VTEP id of their keepalives (provider mode). */
  private readonly byVtepId = new Map<number, Peer>();

  constructor(
    private readonly spec: VxlanLegSpec,
    private readonly ageingMs = PEER_AGEING_MS,
  ) {
    const port = vxlanPort(spec);
    const r = spec.remote;
    switch (r.mode) {
      case 'unicast':
        for (const a of r.peers) this.configured.set(a, new Peer(a, port, 'configured'));
        this.floodList = [...this.configured.values()];
        break;
      case 'multicast':
        this.floodList = [new Peer(r.group, port, 'configured')];
        break;
      case 'access':
        this.configured.set(r.provider, new Peer(r.provider, port, 'configured'));
        this.floodList = [...this.configured.values()];
        break;
      case 'provider':
        break;
      default:
        assertNever(r, 'VXLAN mode');
    }
  }

  get mode(): VxlanLegSpec['remote']['mode'] {
    return this.spec.remote.mode;
  }

  /** The peer a datagram from (address, port) belongs to, learning it where the mode allows. */
  admit(address: string, port: number, now: number, onLearned: (p: Peer) => void): Admit {
    const mode = this.spec.remote.mode;
    if (mode === 'unicast' || mode === 'access') {
      return this.configured.get(address) ?? 'unknown';
    }
    const list = this.learned.get(address);
    if (mode === 'multicast') {
      if (list !== undefined) return list[0]!;
      return this.learn(address, vxlanPort(this.spec), now, onLearned);
    }
    // provider: identity is (IP, port)
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) if (list[i]!.port === port) return list[i]!;
    }
    return this.learn(address, port, now, onLearned);
  }

  private learn(address: string, port: number, now: number, onLearned: (p: Peer) => void): Admit {
    if (this.learnedCount >= LEARNED_PEERS_MAX) return 'full';
    if ((this.learned.get(address)?.length ?? 0) >= PEERS_PER_ADDRESS_MAX) return 'full';
    const p = new Peer(address, port, 'learned');
    p.seen(now);
    this.list(p);
    this.learnedCount++;
    if (this.mode === 'provider') this.floodList = [...this.floodList, p];
    onLearned(p);
    return p;
  }

  /**
   * Before admitting a keepalive from (address, port): if no peer sits there yet
   * but its VTEP id is known at another address, the VTEP roamed (its NAT mapping
   * changed): move it, so it is not learned anew. Returns the old label, or null.
   */
  roam(address: string, port: number, vtepId: number): string | null {
    if (this.mode !== 'provider') return null;
    const here = this.learned.get(address)?.some((p) => p.port === port) ?? false;
    const known = this.byVtepId.get(vtepId);
    if (here || known === undefined) return null;
    const from = known.label;
    this.unlist(known);
    known.moveTo(address, port);
    this.list(known);
    return from;
  }

  /**
   * A keepalive from `peer` (already admitted). In provider mode the VTEP id
   * recognises an access VTEP whose NAT mapping changed: the known peer moves to
   * the new address (its MACs follow it) and a duplicate learned meanwhile from
   * the new address is merged away. Like a roaming endpoint in WireGuard.
   */
  keepalive(peer: Peer, vtepId: number, periodMs: number): KeepaliveOutcome {
    if (this.mode !== 'provider' || peer.origin !== 'learned') return { peer };
    const known = this.byVtepId.get(vtepId);
    if (known === undefined || known === peer) {
      if (peer.vtepId !== undefined && peer.vtepId !== vtepId) this.byVtepId.delete(peer.vtepId);
      peer.vtepId = vtepId;
      peer.keepaliveMs = periodMs;
      this.byVtepId.set(vtepId, peer);
      return { peer };
    }
    // Same VTEP, new address: keep the old record (counters, first seen, MAC entries).
    const from = known.label;
    this.remove(peer);
    this.unlist(known);
    known.moveTo(peer.address, peer.port);
    known.lastSeen = Math.max(known.lastSeen, peer.lastSeen);
    known.keepaliveMs = periodMs;
    this.list(known);
    return { peer: known, movedFrom: from, merged: peer };
  }

  private remove(p: Peer): void {
    this.unlist(p);
    this.learnedCount--;
    if (p.vtepId !== undefined && this.byVtepId.get(p.vtepId) === p) this.byVtepId.delete(p.vtepId);
    this.floodList = this.floodList.filter((x) => x !== p);
  }

  private unlist(p: Peer): void {
    const list = this.learned.get(p.address);
    if (list === undefined) return;
    const rest = list.filter((x) => x !== p);
    if (rest.length === 0) this.learned.delete(p.address);
    else this.learned.set(p.address, rest);
  }

  private list(p: Peer): void {
    const list = this.learned.get(p.address);
    if (list === undefined) this.learned.set(p.address, [p]);
    else list.push(p);
  }

  /** Removes learned peers silent for too long; returns them. A peer that announced
   *  its keepalive period is dead after a few silent periods, others after the ageing time. */
  expire(now: number): Peer[] {
    const gone: Peer[] = [];
    const limit = (p: Peer) => (p.keepaliveMs === undefined ? this.ageingMs : Math.min(this.ageingMs, KEEPALIVE_PERIODS_TO_EXPIRE * Math.max(MIN_EXPIRY_PERIOD_MS, p.keepaliveMs)));
    const alive = (p: Peer) => now - p.lastSeen < limit(p);
    for (const [addr, list] of this.learned) {
      const keep = list.filter(alive);
      if (keep.length === list.length) continue;
      for (const p of list) if (!keep.includes(p)) gone.push(p);
      if (keep.length === 0) this.learned.delete(addr);
      else this.learned.set(addr, keep);
    }
    if (gone.length > 0) {
      this.learnedCount -= gone.length;
      for (const p of gone) if (p.vtepId !== undefined && this.byVtepId.get(p.vtepId) === p) this.byVtepId.delete(p.vtepId);
      if (this.mode === 'provider') this.floodList = this.floodList.filter((p) => !gone.includes(p));
    }
    return gone;
  }

  *all(): Iterable<Peer> {
    if (this.mode === 'multicast') yield* this.floodList;
    yield* this.configured.values();
    for (const list of this.learned.values()) yield* list;
  }
}
