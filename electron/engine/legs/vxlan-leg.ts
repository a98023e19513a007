// `V` leg: VXLAN (RFC 7348). The segment is the VNI. Modes: HER, multicast,
// provider (hub of learned VTEPs), access (behind PAT, keepalives).
//
// Plain legs send VXLAN; a plain provider learns a VTEP only from a keepalive
// that carries a cookie for its address (codec/control.ts, cookies.ts), so a
// forged source is never learned and gets at most one packet no larger than
// its own. Keyed legs (`*KEY`) send only sealed datagrams (README "Secure
// legs"): a peer is learned, refreshed or moved only by a packet that
// authenticates in a confirmed session (secure-sessions.ts).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CONTROL_LEN,
  COOKIE_LEN,
  ControlType,
  NONCE_LEN,
  emptyControlPacket,
  readControl,
  writeControlCookie,
  writeControlKeepalive,
  type ControlPacket,
} from '../codec/control.js';
import { ETH_HEADER_LEN } from '../codec/mac.js';
import { NOT_VXLAN, VXLAN_HEADER_LEN, readVxlanVni, writeVxlanHeader } from '../codec/vxlan.js';
import { SecureReceiver, SecureSender, fastPathOpener, fastPathSealer } from '../crypto/secure-codec.js';
import { SECURE_CONTROL_BODY_LEN, SECURE_HEADER_LEN, SECURE_MIN_LEN, SecureType } from '../crypto/secure-header.js';
import type { FastPathEncap } from '../ports/fast-path-port.js';
import type { Opener } from '../ports/session-crypto-port.js';
import type { UdpBindOptions, UdpPort, UdpSocketHandle } from '../ports/udp-port.js';
import { RateLimit } from '../stats/rate-limit.js';
import type { PeerRef } from '../switch/switch-port.js';
import { isEncrypted, vxlanPort, type VxlanLegSpec } from '../../model/leg-spec.js';
import { ACCESS_KEEPALIVE_S, MULTICAST_TTL } from '../../model/defaults.js';
import { assertNever } from '../../model/assert-never.js';
import { CookieJar } from './cookies.js';
import { readLegKey, WEAK_KEY_CHARS } from './leg-key.js';
import { Peer } from './peer.js';
import type { LegContext } from './running-leg.js';
import { CHALLENGE_INTERVAL_MS, SecureSessions, type RemoteSession } from './secure-sessions.js';
import { TunnelLeg } from './tunnel-leg.js';
import { VxlanPeers } from './vxlan-peers.js';

export interface VxlanLegOptions {
  readonly peerAgeingMs?: number;
  readonly keepaliveMs?: number;
}

/** Answers to unverified sources (cookies, challenges) per second, per leg (burst twice that). */
export const UNVERIFIED_REPLIES_PER_S = 1000;
/** An access leg that got a new cookie sends its keepalive at once, but not more often than this, ms. */
const COOKIE_KEEPALIVE_MIN_MS = 1_000;
/** Bytes of a challenge's nonce (keyed legs). */
const CHALLENGE_NONCE_LEN = 16;

/** Everything a keyed leg keeps: its own session, the sessions it met, scratch buffers. */
interface Secure {
  readonly sender: SecureSender;
  readonly rx: SecureReceiver;
  readonly sessions: SecureSessions;
  /** SecureReceiver's lookup, bound once (no closure per packet). */
  readonly lookup: (session: bigint) => ReturnType<SecureSessions['lookup']>;
  /** Body of the control packet being sent. */
  readonly body: Buffer;
}

export class VxlanLeg extends TunnelLeg<VxlanLegSpec> {
  readonly relays: boolean;
  override readonly encrypted: boolean;
  protected readonly overhead: number;
  private readonly peers: VxlanPeers;
  private readonly keepaliveMs: number;
  private lastKeepalive = 0;
  private secure: Secure | null = null;
  /** Plain access legs: identifies this VTEP to the provider across NAT mapping changes. */
  private readonly vtepId = randomBytes(4).readUInt32BE(0);
  /** Plain access legs: the cookie the provider gave us, and when it made us send a keepalive. */
  private providerCookie: Buffer | null = null;
  private cookieKeepaliveAt = -Infinity;
  /** Plain access legs: the nonces of the last two keepalives (a cookie must echo one). */
  private keepaliveNonce = randomBytes(NONCE_LEN);
  private previousNonce = randomBytes(NONCE_LEN);
  /** Plain provider legs: cookies for the sources' addresses. */
  private readonly cookies: CookieJar | null;
  private readonly unverifiedReplies: RateLimit;
  private readonly control: ControlPacket = emptyControlPacket();

  constructor(spec: VxlanLegSpec, ctx: LegContext, udp: UdpPort, options: VxlanLegOptions = {}) {
    super(spec, ctx, udp);
    const now = ctx.clock.now();
    this.relays = spec.remote.mode === 'provider';
    this.encrypted = isEncrypted(spec);
    this.overhead = this.encrypted ? SECURE_MIN_LEN : VXLAN_HEADER_LEN;
    this.peers = new VxlanPeers(spec, options.peerAgeingMs, (p) => this.peersGone([p]));
    this.keepaliveMs = options.keepaliveMs ?? ACCESS_KEEPALIVE_S * 1000;
    this.cookies = !this.encrypted && spec.remote.mode === 'provider' ? new CookieJar(spec.segment, now) : null;
    this.unverifiedReplies = new RateLimit(UNVERIFIED_REPLIES_PER_S, 2 * UNVERIFIED_REPLIES_PER_S, now);
  }

  protected override async open(): Promise<void> {
    const key = readLegKey(this.spec);
    if (key !== undefined) {
      if ([...key].length < WEAK_KEY_CHARS) {
        this.warnOnce(
          `the pre-shared key is short (fewer than ${WEAK_KEY_CHARS} characters): anyone who captures one packet can try keys offline. Use 20 or more random characters (e.g. openssl rand -base64 24)`,
        );
      }
      const vni = this.spec.segment;
      const sessions = new SecureSessions(key, vni, this.ctx.clock.now(), this.ctx.crypto);
      this.secure = {
        sender: new SecureSender(key, vni, { crypto: this.ctx.crypto }),
        rx: new SecureReceiver(vni),
        sessions,
        lookup: (session) => sessions.lookup(session, this.ctx.clock.now()),
        body: Buffer.alloc(SECURE_CONTROL_BODY_LEN),
      };
    }
    await super.open();
  }

  protected encode(buf: Buffer, frame: Buffer, offset: number, length: number): number {
    if (this.secure !== null) return this.secure.sender.seal(SecureType.FRAME, frame, offset, length, buf, 0);
    writeVxlanHeader(buf, 0, this.spec.segment);
    return VXLAN_HEADER_LEN + frame.copy(buf, VXLAN_HEADER_LEN, offset, offset + length);
  }

  protected bindOptions(): UdpBindOptions {
    const port = vxlanPort(this.spec);
    const base = this.bufferOptions();
    switch (this.spec.remote.mode) {
      case 'multicast':
        // Group traffic is only delivered to sockets bound to the wildcard (or group) address.
        return { address: '0.0.0.0', port, reuseAddr: true, ...base };
      case 'access':
        return { address: '0.0.0.0', port: 0, ...base };
      case 'unicast':
      case 'provider':
        return { address: this.spec.local, port, ...base };
      default:
        return assertNever(this.spec.remote, 'VXLAN mode');
    }
  }

  protected override afterBind(socket: UdpSocketHandle): void {
    const r = this.spec.remote;
    if (r.mode === 'multicast') {
      try {
        socket.setMulticastInterface(this.spec.local);
        socket.joinMulticast(r.group, this.spec.local);
      } catch (err) {
        throw new Error(
          `cannot join multicast group ${r.group} on ${this.spec.local} (${err instanceof Error ? err.message : String(err)}). Fix: use an IPv4 address of this machine as local address (ubdg --list-nics shows them)`,
          { cause: err },
        );
      }
      socket.setMulticastTtl(MULTICAST_TTL);
      socket.setMulticastLoopback(false);
    }
    if (r.mode === 'access') this.keepalive(this.ctx.clock.now());
  }

  protected onDatagram(msg: Buffer, off: number, len: number, address: string, port: number): void {
    const now = this.ctx.clock.now();
    if (this.secure !== null) {
      this.onSealed(this.secure, msg, off, len, address, port, now);
      return;
    }
    // Control offsets (cookieAt, nonceAt) come back absolute: they already count `off`.
    const control = len === CONTROL_LEN ? readControl(msg, off, len, this.control) : null;
    if (control !== null) {
      this.onControl(control, msg, address, port, now);
      return;
    }
    const vni = readVxlanVni(msg, off, len);
    if (vni === NOT_VXLAN) {
      this.drops.malformed++;
      return;
    }
    if (vni !== this.spec.segment) {
      this.drops['wrong-vni']++;
      return;
    }
    let peer = this.peers.find(address, port);
    if (peer === undefined) {
      if (this.peers.mode !== 'multicast') {
        // HER/access: not a configured peer. Provider: not verified (data never teaches it a peer).
        this.drops['unknown-peer']++;
        return;
      }
      peer = this.peers.learnByAddress(address, now, (p) => this.learned(p));
    }
    peer.seen(now);
    const frameLen = len - VXLAN_HEADER_LEN;
    if (frameLen < ETH_HEADER_LEN) {
      if (frameLen !== 0) this.drops.malformed++; // a bare header carries nothing
      return;
    }
    this.deliver(peer, msg, off + VXLAN_HEADER_LEN, frameLen);
  }

  private deliver(peer: Peer, msg: Buffer, offset: number, frameLen: number): void {
    peer.traffic.rx(frameLen);
    this.traffic.rx(frameLen);
    this.ctx.switch.forward(this, peer, msg, offset, frameLen);
  }

  // ---- Plain provider/access: keepalives and cookies

  private onControl(c: ControlPacket, msg: Buffer, address: string, port: number, now: number): void {
    if (c.vni !== this.spec.segment) {
      this.drops['wrong-vni']++;
      return;
    }
    if (c.type === ControlType.KEEPALIVE && this.cookies !== null) {
      this.onPlainKeepalive(this.cookies, c, msg, address, port, now);
    } else if (c.type === ControlType.COOKIE && this.peers.mode === 'access') {
      this.onCookie(msg, c, address, port, now);
    } else {
      this.drops.malformed++; // a keepalive to a non-provider, a cookie to a non-access leg
    }
  }

  private onPlainKeepalive(cookies: CookieJar, c: ControlPacket, msg: Buffer, address: string, port: number, now: number): void {
    if (!cookies.verify(msg, c.cookieAt, address, port, now)) {
      // Prove you receive here first: one cookie back, the same size as the keepalive.
      this.drops.unverified++;
      if (this.unverifiedReplies.take(now)) {
        const cookie = cookies.make(address, port, now);
        this.sendControl(address, port, (buf) => writeControlCookie(buf, 0, this.spec.segment, msg, c.nonceAt, cookie));
      }
      return;
    }
    const from = this.peers.roam(address, port, c.vtepId);
    if (from !== null) this.ctx.emit({ type: 'peer-moved', leg: this.id, from, to: `${address}:${port}` });
    const peer = this.peers.learnVerified(address, port, now, (p) => this.learned(p));
    peer.seen(now);
    const r = this.peers.keepalive(peer, c.vtepId, c.periodS * 1000);
    if (r.movedFrom === undefined) return;
    if (r.merged !== undefined) this.ctx.switch.macs.forget(this, r.merged);
    this.ctx.emit({ type: 'peer-moved', leg: this.id, from: r.movedFrom, to: r.peer.label });
  }

  private onCookie(msg: Buffer, c: ControlPacket, address: string, port: number, now: number): void {
    const provider = this.peers.find(address, port);
    if (provider === undefined || port !== provider.port) {
      this.drops['unknown-peer']++;
      return;
    }
    // Only the answer to one of our last two keepalives: a forged cookie cannot echo a nonce it never saw.
    const echo = msg.subarray(c.nonceAt, c.nonceAt + NONCE_LEN);
    if (!echo.equals(this.keepaliveNonce) && !echo.equals(this.previousNonce)) {
      this.drops.unverified++;
      return;
    }
    provider.seen(now);
    const cookie = msg.subarray(c.cookieAt, c.cookieAt + COOKIE_LEN);
    if (this.providerCookie !== null && this.providerCookie.equals(cookie)) return;
    this.providerCookie = Buffer.from(cookie);
    // A new cookie: our NAT mapping is new (or the provider restarted). Tell it now, not in 20 s.
    if (now - this.cookieKeepaliveAt >= COOKIE_KEEPALIVE_MIN_MS) {
      this.cookieKeepaliveAt = now;
      this.keepalive(now);
    }
  }

  // ---- Keyed legs: sealed datagrams

  private onSealed(s: Secure, msg: Buffer, off: number, len: number, address: string, port: number, now: number): void {
    const r = s.rx.open(msg, off, len, s.lookup);
    if (typeof r === 'string') {
      this.drops[r]++;
      return;
    }
    const h = s.rx.header;
    const session = s.sessions.get(h.session)!; // the lookup made it
    switch (h.type) {
      case SecureType.CHALLENGE:
        this.answerChallenge(s, session, msg, off + SECURE_HEADER_LEN, r, len, address, port, now);
        return;
      case SecureType.RESPONSE:
        this.checkResponse(s, session, msg, off + SECURE_HEADER_LEN, r, address, port, now);
        return;
      case SecureType.KEEPALIVE:
      case SecureType.FRAME:
        break;
      default:
        assertNever(h.type, 'secure packet type');
    }
    const peer = session.peer;
    if (peer === null) {
      // Authentic, but maybe a recording: prove it is live before it counts.
      this.drops.unverified++;
      this.challenge(s, session, address, port, now, len);
      return;
    }
    if (peer.origin === 'configured') {
      // A configured peer is its address: another source port counts (kernel VTEPs
      // vary theirs), another address does not (as on plain HER legs).
      if (address !== peer.address) {
        this.drops['unknown-peer']++;
        return;
      }
    } else if ((peer.address !== address || peer.port !== port) && !this.roamTo(session, peer, address, port, h.counterHi, h.counterLo)) {
      this.drops.unverified++;
      return;
    }
    peer.seen(now);
    if (h.type === SecureType.KEEPALIVE) {
      if (r >= 2) peer.keepaliveMs = msg.readUInt16BE(off + SECURE_HEADER_LEN) * 1000;
      return;
    }
    if (r < ETH_HEADER_LEN) {
      if (r !== 0) this.drops.malformed++;
      return;
    }
    this.deliver(peer, msg, off + SECURE_HEADER_LEN, r);
  }

  /**
   * A confirmed session's packet came from another address. A learned VTEP
   * (provider) moves there at once, as one entry: whatever sat at the new
   * address goes. Only the newest packet of the session may move it, so a
   * replayed or delayed one cannot drag it back.
   */
  private roamTo(session: RemoteSession, peer: Peer, address: string, port: number, hi: number, lo: number): boolean {
    if (session.crypto.window.highest !== ((BigInt(hi) << 32n) | BigInt(lo))) return false;
    const squatter = this.peers.find(address, port);
    if (squatter !== undefined && squatter !== peer) {
      this.peers.remove(squatter);
      this.peersGone([squatter]);
    }
    const from = this.peers.move(peer, address, port);
    this.ctx.emit({ type: 'peer-moved', leg: this.id, from, to: peer.label });
    return true;
  }

  /** Challenges `session` at (address, port), at most once a second and never with more bytes than it sent. */
  private challenge(s: Secure, session: RemoteSession, address: string, port: number, now: number, receivedLen: number): void {
    if (receivedLen < SECURE_MIN_LEN + SECURE_CONTROL_BODY_LEN) return;
    if (now - session.challengedAt < CHALLENGE_INTERVAL_MS || !this.unverifiedReplies.take(now)) return;
    session.challengedAt = now;
    session.nonce = randomBytes(CHALLENGE_NONCE_LEN);
    s.body.writeBigUInt64BE(session.crypto.session, 0);
    session.nonce.copy(s.body, 8);
    this.sendSealed(s, SecureType.CHALLENGE, address, port);
  }

  /** `body`: where the opened body starts in msg, `len` its length; `received`: the datagram's length. */
  private answerChallenge(s: Secure, session: RemoteSession, msg: Buffer, body: number, len: number, received: number, address: string, port: number, now: number): void {
    if (len < SECURE_CONTROL_BODY_LEN || msg.readBigUInt64BE(body) !== s.sender.session) {
      this.drops.unverified++; // a challenge to another run of ours: nothing to answer
      return;
    }
    s.body.writeBigUInt64BE(session.crypto.session, 0);
    msg.copy(s.body, 8, body + 8, body + 8 + CHALLENGE_NONCE_LEN);
    this.sendSealed(s, SecureType.RESPONSE, address, port);
    // Confirmation goes both ways: a peer we have not confirmed yet gets its own challenge.
    if (session.peer === null) this.challenge(s, session, address, port, now, received);
  }

  private checkResponse(s: Secure, session: RemoteSession, msg: Buffer, body: number, len: number, address: string, port: number, now: number): void {
    const nonce = session.nonce;
    const answers =
      nonce !== null &&
      len >= SECURE_CONTROL_BODY_LEN &&
      msg.readBigUInt64BE(body) === s.sender.session &&
      timingSafeEqual(nonce, msg.subarray(body + 8, body + 8 + CHALLENGE_NONCE_LEN));
    if (!answers || session.peer !== null) {
      if (!answers) this.drops.unverified++;
      return;
    }
    const peer = this.confirmedPeer(address, port, now);
    if (peer === null) {
      this.drops['unknown-peer']++;
      return;
    }
    if (peer.sessionId !== undefined && peer.sessionId !== session.crypto.session) {
      // The VTEP at this address restarted: its old session's MACs are stale.
      this.ctx.switch.macs.forgetPeers(this, new Set([peer]));
    }
    s.sessions.confirm(session, peer, s.rx.header.counterHi, s.rx.header.counterLo);
    peer.seen(now);
  }

  /** Where a newly confirmed session belongs, by mode; null if it may not be learned here. */
  private confirmedPeer(address: string, port: number, now: number): Peer | null {
    const onLearned = (p: Peer) => this.learned(p);
    switch (this.peers.mode) {
      case 'unicast':
      case 'access':
        return this.peers.find(address, port) ?? null;
      case 'multicast':
        return this.peers.learnByAddress(address, now, onLearned);
      case 'provider':
        return this.peers.learnVerified(address, port, now, onLearned);
      default:
        return assertNever(this.peers.mode, 'VXLAN mode');
    }
  }

  /** Sends s.body (SECURE_CONTROL_BODY_LEN bytes) sealed as `type`. */
  private sendSealed(s: Secure, type: SecureType, address: string, port: number): void {
    this.sendControl(address, port, (buf) => s.sender.seal(type, s.body, 0, SECURE_CONTROL_BODY_LEN, buf, 0));
  }

  // ---- Peers coming and going

  private learned(p: Peer): void {
    this.ctx.emit({ type: 'peer-learned', leg: this.id, address: p.label });
  }

  /** Learned peers expired, were evicted or replaced: their MACs (one pass) and sessions go with them. */
  private peersGone(gone: readonly Peer[]): void {
    if (gone.length === 0) return;
    this.ctx.switch.macs.forgetPeers(this, new Set(gone));
    for (const p of gone) {
      this.secure?.sessions.forgetPeer(p);
      this.ctx.emit({ type: 'peer-expired', leg: this.id, address: p.label });
    }
  }

  sendTo(frame: Buffer, offset: number, length: number, peer: PeerRef | null): void {
    if (peer instanceof Peer) this.sendOne(frame, offset, length, peer);
    else this.flood(frame, offset, length, null);
  }

  flood(frame: Buffer, offset: number, length: number, except: PeerRef | null): void {
    this.sendMany(frame, offset, length, this.peers.floodList, except);
  }

  override sweep(now: number): void {
    this.peersGone(this.peers.expire(now));
    this.followPeers();
    this.secure?.sessions.sweep(now);
    if (this.spec.remote.mode === 'access' && now - this.lastKeepalive >= this.keepaliveMs) this.keepalive(now);
  }

  /** Keeps the PAT mapping open and tells the provider we are alive (and, plain, who we are). */
  private keepalive(now: number): void {
    this.lastKeepalive = now;
    const periodS = Math.round(this.keepaliveMs / 1000);
    const s = this.secure;
    for (const p of this.peers.floodList) {
      if (s !== null) {
        s.body.fill(0);
        s.body.writeUInt16BE(Math.min(0xffff, Math.max(1, periodS)), 0);
        this.sendSealed(s, SecureType.KEEPALIVE, p.address, p.port);
      } else {
        this.previousNonce = this.keepaliveNonce;
        this.keepaliveNonce = randomBytes(NONCE_LEN);
        const nonce = this.keepaliveNonce;
        this.sendControl(p.address, p.port, (buf) => writeControlKeepalive(buf, 0, this.spec.segment, periodS, this.vtepId, nonce, this.providerCookie));
      }
    }
  }

  protected fastEncap(): FastPathEncap {
    const s = this.secure;
    return { raw: false, vni: this.spec.segment, ...(s !== null ? { sealer: fastPathSealer(s.sender) } : {}) };
  }

  /** Only a confirmed session's frames go below the engine; until then (and for its control packets) they come here. */
  protected override fastOpener(p: Peer): Opener | undefined {
    const id = p.sessionId;
    const session = id === undefined ? undefined : this.secure?.sessions.get(id);
    return session?.peer === p ? fastPathOpener(session.crypto) : undefined;
  }

  /** As VxlanPeers.find: a provider's learned VTEPs are (address, port); others are their address. */
  protected anySourcePort(): boolean {
    return this.spec.remote.mode !== 'provider';
  }

  protected override peersVersion(): number {
    return this.peers.version + (this.secure?.sessions.version ?? 0);
  }

  protected allPeers(): Iterable<Peer> {
    return this.peers.all();
  }
}
