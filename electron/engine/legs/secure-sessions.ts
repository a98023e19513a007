// The remote sessions a keyed VXLAN leg has met (README "Secure legs").
//
// A packet that authenticates proves that its sender holds the key, not that
// it is live: it may be a recording of a session this leg no longer remembers
// (after a restart, or once its window was dropped). So a session is first
// *unconfirmed*: its packets are authenticated but carry nothing; the leg
// challenges it (a random nonce, sealed in the leg's own session) and confirms
// it only when a response with that nonce comes back, sealed in that session.
// A recording cannot answer. Only a confirmed session teaches the leg a peer,
// a MAC address or a NAT mapping.
//
// Deriving a key (HKDF) for an unknown session id costs ~35 µs, so unknown ids
// are taken at a bounded rate and at most UNCONFIRMED_MAX are remembered.

import type { SessionCrypto } from '../ports/session-crypto-port.js';
import { nodeSessionCrypto } from '../crypto/node-session-crypto.js';
import { PeerSession } from '../crypto/secure-codec.js';
import { RateLimit } from '../stats/rate-limit.js';
import type { Peer } from './peer.js';

/** Unconfirmed sessions remembered per leg (oldest forgotten first). */
export const UNCONFIRMED_MAX = 256;
/** Keys derived for unknown session ids, per second (burst twice that). */
export const NEW_SESSIONS_PER_S = 200;
/** An unconfirmed session is forgotten after this long, ms. */
export const UNCONFIRMED_TTL_MS = 30_000;
/** A session is challenged at most once per this period, ms. */
export const CHALLENGE_INTERVAL_MS = 1_000;

export interface RemoteSession {
  readonly crypto: PeerSession;
  /** Bound once confirmed; the peer may move (roaming), the binding stays. */
  peer: Peer | null;
  /** Our outstanding challenge to it (16 random bytes), or null. */
  nonce: Buffer | null;
  challengedAt: number;
  firstSeen: number;
}

export class SecureSessions {
  private readonly sessions = new Map<bigint, RemoteSession>();
  private unconfirmed = 0;
  /** Changes when a session is confirmed or forgotten (the fast path's copy of the peers follows). */
  version = 0;
  private readonly newSessions: RateLimit;

  constructor(
    private readonly psk: string,
    private readonly vni: number,
    now: number,
    private readonly crypto: SessionCrypto = nodeSessionCrypto,
  ) {
    this.newSessions = new RateLimit(NEW_SESSIONS_PER_S, 2 * NEW_SESSIONS_PER_S, now);
  }

  get(session: bigint): RemoteSession | undefined {
    return this.sessions.get(session);
  }

  /** The crypto state for a session id (SecureReceiver's lookup), creating an
   *  unconfirmed session within the rate limit; null when over it. */
  lookup(session: bigint, now: number): PeerSession | null {
    const known = this.sessions.get(session);
    if (known !== undefined) return known.crypto;
    if (!this.newSessions.take(now)) return null;
    if (this.unconfirmed >= UNCONFIRMED_MAX) this.dropOldestUnconfirmed();
    const s: RemoteSession = { crypto: new PeerSession(this.psk, this.vni, session, this.crypto), peer: null, nonce: null, challengedAt: -Infinity, firstSeen: now };
    this.sessions.set(session, s);
    this.unconfirmed++;
    return s.crypto;
  }

  /** Binds a confirmed session to its peer; a session the peer had before is forgotten
   *  (the VTEP restarted: its old session must not come back from a recording).
   *  `counter` is that of the confirming response: nothing sent before it counts
   *  (the session may be one this leg forgot, of a peer that kept running, and
   *  its earlier packets may be replayed). */
  confirm(s: RemoteSession, peer: Peer, counterHi: number, counterLo: number): void {
    s.crypto.window.closeUpTo(counterHi, counterLo);
    if (s.peer === null) this.unconfirmed--;
    s.peer = peer;
    s.nonce = null;
    if (peer.sessionId !== undefined && peer.sessionId !== s.crypto.session) this.sessions.delete(peer.sessionId);
    peer.sessionId = s.crypto.session;
    peer.verified = true;
    this.version++;
  }

  /** Forgets the session of a peer that is gone (expired, evicted, merged). */
  forgetPeer(peer: Peer): void {
    if (peer.sessionId === undefined) return;
    const s = this.sessions.get(peer.sessionId);
    if (s?.peer === peer) this.sessions.delete(peer.sessionId);
    peer.sessionId = undefined;
    this.version++;
  }

  /** Drops unconfirmed sessions older than UNCONFIRMED_TTL_MS. */
  sweep(now: number): void {
    for (const [id, s] of this.sessions) {
      if (s.peer === null && now - s.firstSeen >= UNCONFIRMED_TTL_MS) {
        this.sessions.delete(id);
        this.unconfirmed--;
      }
    }
  }

  private dropOldestUnconfirmed(): void {
    for (const [id, s] of this.sessions) {
      if (s.peer === null) {
        this.sessions.delete(id);
        this.unconfirmed--;
        return;
      }
    }
  }

  get size(): number {
    return this.sessions.size;
  }
}
