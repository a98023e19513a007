// Who a VXLAN leg talks to, by mode:
//  unicast (HER): a fixed list; datagrams from other addresses are refused.
//  multicast:     the group for BUM, plus VTEPs learned by source address
//                 (replies go to IP:vxlan-port, like the kernel's fdb).
//  provider:      VTEPs learned by (IP, source port): they sit behind PAT.
//                 Only a verified VTEP is learned: one that authenticated
//                 (keyed legs) or proved with a cookie that it receives at its
//                 address (plain legs); see vxlan-leg.ts.
//  access:        the one provider.
// Full tables evict the least recently seen learned peer: a newcomer is never
// locked out by stale or hostile entries.

import type { VxlanLegSpec } from '../../model/leg-spec.js';
import { vxlanPort } from '../../model/leg-spec.js';
import { KEEPALIVE_PERIODS_TO_EXPIRE, LEARNED_PEERS_MAX, MIN_EXPIRY_PERIOD_MS, PEER_AGEING_MS, PEERS_PER_ADDRESS_MAX } from '../../model/defaults.js';
import { Peer } from './peer.js';
import { assertNever } from '../../model/assert-never.js';

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
  /** Changes whenever a learned peer comes, goes or moves (the fast path's copy follows). */
  version = 0;
  private readonly configured = new Map<string, Peer>();
  /** Learned peers by source address; several per address in provider mode (PAT). */
  private readonly learned = new Map<string, Peer[]>();
  private learnedCount = 0;
  /** Learned peers by the VTEP id of their keepalives (plain provider mode). */
  private readonly byVtepId = new Map<number, Peer>();

  constructor(
    private readonly spec: VxlanLegSpec,
    private readonly ageingMs = PEER_AGEING_MS,
    /** A learned peer removed to make room: the leg forgets its MACs and says so. */
    private readonly onEvicted: (p: Peer) => void = () => {},
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

  get count(): number {
    return this.learnedCount;
  }

  /** The known peer a datagram from (address, port) belongs to; never learns. */
  find(address: string, port: number): Peer | undefined {
    const mode = this.spec.remote.mode;
    if (mode === 'unicast' || mode === 'access') return this.configured.get(address);
    const list = this.learned.get(address);
    if (list === undefined) return undefined;
    if (mode === 'multicast') return list[0];
    for (let i = 0; i < list.length; i++) if (list[i]!.port === port) return list[i];
    return undefined;
  }

  /** Multicast legs learn a sender by address: the group is a closed data-centre
   *  network, and a VTEP there has nothing to prove itself with. */
  learnByAddress(address: string, now: number, onLearned: (p: Peer) => void): Peer {
    return this.find(address, 0) ?? this.learn(address, vxlanPort(this.spec), now, false, onLearned);
  }

  /** Provider legs: the VTEP at (address, port) proved itself (cookie or key). */
  learnVerified(address: string, port: number, now: number, onLearned: (p: Peer) => void): Peer {
    const known = this.find(address, port);
    if (known !== undefined) {
      known.verified = true;
      return known;
    }
    return this.learn(address, port, now, true, onLearned);
  }

  private learn(address: string, port: number, now: number, verified: boolean, onLearned: (p: Peer) => void): Peer {
    const here = this.learned.get(address);
    if (here !== undefined && here.length >= PEERS_PER_ADDRESS_MAX) this.evict(here);
    else if (this.learnedCount >= LEARNED_PEERS_MAX) this.evict(this.allLearned());
    const p = new Peer(address, port, 'learned');
    p.verified = verified;
    p.seen(now);
    this.list(p);
    this.learnedCount++;
    if (this.mode === 'provider') this.floodList = [...this.floodList, p];
    onLearned(p);
    return p;
  }

  /** Removes the least recently seen of `candidates` (unverified ones first). */
  private evict(candidates: Iterable<Peer>): void {
    let victim: Peer | undefined;
    for (const p of candidates) {
      if (victim === undefined || (victim.verified && !p.verified) || (victim.verified === p.verified && p.lastSeen < victim.lastSeen)) victim = p;
    }
    if (victim === undefined) return;
    this.remove(victim);
    this.onEvicted(victim);
  }

  private *allLearned(): Iterable<Peer> {
    for (const list of this.learned.values()) yield* list;
  }

  /**
   * Plain provider, before admitting a verified keepalive from (address, port):
   * if no peer sits there yet but its VTEP id is known at another address, the
   * VTEP roamed (its NAT mapping changed): move it, so it is not learned anew.
   * Returns the old label, or null.
   */
  roam(address: string, port: number, vtepId: number): string | null {
    if (this.mode !== 'provider') return null;
    const known = this.byVtepId.get(vtepId);
    if (known === undefined || this.find(address, port) !== undefined) return null;
    return this.move(known, address, port);
  }

  /** Moves a learned peer to a new address (its MAC entries follow); returns the old label.
   *  A full address makes room first, as for a newcomer. */
  move(p: Peer, address: string, port: number): string {
    const there = this.learned.get(address);
    if (there !== undefined && there.length >= PEERS_PER_ADDRESS_MAX && !there.includes(p)) this.evict(there);
    const from = p.label;
    this.unlist(p);
    p.moveTo(address, port);
    this.list(p);
    return from;
  }

  /**
   * A verified keepalive from `peer` (plain provider). The VTEP id recognises an
   * access VTEP whose NAT mapping changed: the known peer moves to the new
   * address (its MACs follow it) and a duplicate learned meanwhile from the new
   * address is merged away. Like a roaming endpoint in WireGuard.
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
    this.remove(peer);
    const from = this.move(known, peer.address, peer.port);
    known.lastSeen = Math.max(known.lastSeen, peer.lastSeen);
    known.keepaliveMs = periodMs;
    return { peer: known, movedFrom: from, merged: peer };
  }

  /** Forgets a learned peer (replaced, merged or evicted). */
  remove(p: Peer): void {
    if (p.origin !== 'learned') return;
    const list = this.learned.get(p.address);
    if (list === undefined || !list.includes(p)) return;
    this.unlist(p);
    this.learnedCount--;
    if (p.vtepId !== undefined && this.byVtepId.get(p.vtepId) === p) this.byVtepId.delete(p.vtepId);
    if (this.mode === 'provider') this.floodList = this.floodList.filter((x) => x !== p);
  }

  private unlist(p: Peer): void {
    this.version++;
    const list = this.learned.get(p.address);
    if (list === undefined) return;
    const rest = list.filter((x) => x !== p);
    if (rest.length === 0) this.learned.delete(p.address);
    else this.learned.set(p.address, rest);
  }

  private list(p: Peer): void {
    this.version++;
    const list = this.learned.get(p.address);
    if (list === undefined) this.learned.set(p.address, [p]);
    else list.push(p);
  }

  /** Removes learned peers silent for too long; returns them. A peer that announced
   *  its keepalive period is dead after a few silent periods, others after the ageing time. */
  expire(now: number): Peer[] {
    const gone: Peer[] = [];
    const limit = (p: Peer) => (p.keepaliveMs === undefined ? this.ageingMs : Math.min(this.ageingMs, KEEPALIVE_PERIODS_TO_EXPIRE * Math.max(MIN_EXPIRY_PERIOD_MS, p.keepaliveMs)));
    for (const p of this.allLearned()) if (now - p.lastSeen >= limit(p)) gone.push(p);
    for (const p of gone) this.remove(p);
    return gone;
  }

  *all(): Iterable<Peer> {
    if (this.mode === 'multicast') yield* this.floodList;
    yield* this.configured.values();
    yield* this.allLearned();
  }
}
