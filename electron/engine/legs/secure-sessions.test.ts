// The remote sessions of a keyed VXLAN leg (legs/secure-sessions.ts): bounded
// creation, bounded memory, expiry of the unconfirmed, confirmation binds a peer.

import { describe, expect, it } from 'vitest';
import { Peer } from './peer.js';
import { NEW_SESSIONS_PER_S, SecureSessions, UNCONFIRMED_MAX, UNCONFIRMED_TTL_MS, type RemoteSession } from './secure-sessions.js';

const KEY = 'correct-horse-battery-staple';
const VNI = 5000;
const T0 = 1_000_000;
const BURST = 2 * NEW_SESSIONS_PER_S;

/** Session ids 1, 2, 3, ... from `from`. */
const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => BigInt(from + i));

function setup() {
  const s = new SecureSessions(KEY, VNI, T0);
  const get = (id: bigint): RemoteSession => {
    const r = s.get(id);
    if (r === undefined) throw new Error(`no session ${id}`);
    return r;
  };
  /** How many of `list` lookup() takes at `now`. */
  const create = (list: bigint[], now = T0) => list.filter((id) => s.lookup(id, now) !== null).length;
  const known = (list: bigint[]) => list.filter((id) => s.get(id) !== undefined);
  return { s, get, create, known };
}

describe('SecureSessions.lookup', () => {
  it('makes an unconfirmed session for an unknown id: crypto state for that id and VNI, no peer, no challenge yet', () => {
    const { s, get } = setup();
    const c = s.lookup(0x0102030405060708n, T0);
    expect(c).toMatchObject({ session: 0x0102030405060708n, vni: VNI });
    expect(get(0x0102030405060708n)).toMatchObject({ crypto: c, peer: null, nonce: null, challengedAt: -Infinity, firstSeen: T0 });
    expect(s.size).toBe(1);
  });

  it('returns the same state for a known id, and that costs no new-session allowance', () => {
    const { s, create } = setup();
    const c = s.lookup(1n, T0);
    for (let i = 0; i < 10 * BURST; i++) expect(s.lookup(1n, T0)).toBe(c);
    expect(create(ids(BURST - 1, 2))).toBe(BURST - 1);
  });

  it(`takes a burst of 2 × NEW_SESSIONS_PER_S (${BURST}) new ids at once, then none`, () => {
    const { s, create } = setup();
    expect(create(ids(BURST + 500))).toBe(BURST);
    expect(s.lookup(999_999n, T0)).toBeNull();
    expect(s.get(999_999n)).toBeUndefined(); // refused ids are not remembered
  });

  it.each([
    { after: 1000, ok: NEW_SESSIONS_PER_S },
    { after: 500, ok: NEW_SESSIONS_PER_S / 2 },
    { after: Math.floor(1000 / NEW_SESSIONS_PER_S) - 1, ok: 0 },
    { after: 60_000, ok: BURST },
  ])('refills at NEW_SESSIONS_PER_S: $ok new ids $after ms after the burst', ({ after, ok }) => {
    const { create } = setup();
    create(ids(BURST));
    expect(create(ids(BURST + 100, 100_000), T0 + after)).toBe(ok);
  });

  it('never more than the rate over a long flood of new ids', () => {
    const { s } = setup();
    let made = 0;
    let next = 1;
    const seconds = 20;
    for (let ms = 0; ms <= seconds * 1000; ms += 10) for (let i = 0; i < 20; i++) if (s.lookup(BigInt(next++), T0 + ms) !== null) made++;
    expect(made).toBeLessThanOrEqual(BURST + seconds * NEW_SESSIONS_PER_S);
    expect(made).toBeGreaterThanOrEqual(BURST + seconds * NEW_SESSIONS_PER_S - 2);
    expect(s.size).toBeLessThanOrEqual(UNCONFIRMED_MAX);
  });
});

describe('SecureSessions memory', () => {
  it(`remembers at most UNCONFIRMED_MAX (${UNCONFIRMED_MAX}) unconfirmed sessions: the oldest go first`, () => {
    const { s, create, known } = setup();
    const all = ids(UNCONFIRMED_MAX + 44);
    expect(create(all)).toBe(all.length); // within the burst
    expect(s.size).toBe(UNCONFIRMED_MAX);
    expect(known(all)).toEqual(all.slice(44));
  });

  it('a confirmed session is never dropped to make room, and does not count against UNCONFIRMED_MAX', () => {
    const { s, get, create, known } = setup();
    create([1n]);
    s.confirm(get(1n), new Peer('198.51.100.1', 41000, 'learned'), 0, 1);
    const rest = ids(UNCONFIRMED_MAX + 10, 2);
    create(rest);
    expect(known([1n])).toEqual([1n]);
    expect(s.size).toBe(UNCONFIRMED_MAX + 1);
    expect(known(rest)).toEqual(rest.slice(10));
  });

  it('confirming frees a place among the unconfirmed', () => {
    const { s, get, create, known } = setup();
    const first = ids(UNCONFIRMED_MAX);
    create(first);
    s.confirm(get(1n), new Peer('198.51.100.1', 41000, 'learned'), 0, 1);
    create([999n]);
    expect(known(first)).toEqual(first); // nobody dropped
    expect(s.size).toBe(UNCONFIRMED_MAX + 1);
    create([1000n]);
    expect(known(first)).toEqual(first.filter((id) => id !== 2n)); // now the oldest unconfirmed goes
  });
});

describe('SecureSessions.sweep', () => {
  const rows: ReadonlyArray<{ name: string; age: number; unconfirmedKept: boolean }> = [
    { name: 'keeps an unconfirmed session just younger than UNCONFIRMED_TTL_MS', age: UNCONFIRMED_TTL_MS - 1, unconfirmedKept: true },
    { name: 'drops an unconfirmed session at UNCONFIRMED_TTL_MS', age: UNCONFIRMED_TTL_MS, unconfirmedKept: false },
    { name: 'drops an unconfirmed session long after', age: 10 * UNCONFIRMED_TTL_MS, unconfirmedKept: false },
  ];
  it.each(rows)('$name; never a confirmed one', ({ age, unconfirmedKept }) => {
    const { s, get, create, known } = setup();
    create([1n, 2n]);
    s.confirm(get(1n), new Peer('198.51.100.1', 41000, 'learned'), 0, 1);
    s.sweep(T0 + age);
    expect(known([1n, 2n])).toEqual(unconfirmedKept ? [1n, 2n] : [1n]);
  });

  it('age counts from the first packet of a session, not the last (looking it up again does not keep it)', () => {
    const { s, create, known } = setup();
    create([1n]);
    s.lookup(1n, T0 + UNCONFIRMED_TTL_MS - 1);
    s.sweep(T0 + UNCONFIRMED_TTL_MS);
    expect(known([1n])).toEqual([]);
  });

  it('swept sessions free their places among the unconfirmed', () => {
    const { s, create, known } = setup();
    const old = ids(UNCONFIRMED_MAX);
    create(old);
    s.sweep(T0 + UNCONFIRMED_TTL_MS);
    expect(s.size).toBe(0);
    const fresh = ids(UNCONFIRMED_MAX, 1000);
    create(fresh, T0 + UNCONFIRMED_TTL_MS + 60_000);
    expect(known(fresh)).toEqual(fresh);
  });

  it('a dropped id can come back as a new unconfirmed session', () => {
    const { s, get, create } = setup();
    create([1n]);
    s.sweep(T0 + UNCONFIRMED_TTL_MS);
    expect(create([1n], T0 + UNCONFIRMED_TTL_MS)).toBe(1);
    expect(get(1n)).toMatchObject({ peer: null, firstSeen: T0 + UNCONFIRMED_TTL_MS });
  });
});

describe('SecureSessions.confirm', () => {
  it('binds the peer, marks it verified, sets its sessionId and clears the nonce', () => {
    const { s, get, create } = setup();
    create([7n]);
    const session = get(7n);
    session.nonce = Buffer.alloc(16, 1);
    const peer = new Peer('198.51.100.1', 41000, 'learned');
    expect(peer.verified).toBe(false);
    s.confirm(session, peer, 0, 1);
    expect(session).toMatchObject({ peer, nonce: null });
    expect(peer).toMatchObject({ verified: true, sessionId: 7n });
  });

  it("forgets the peer's previous session (the VTEP restarted: a recording of the old run must not come back)", () => {
    const { s, get, create, known } = setup();
    create([1n, 2n, 3n]);
    const peer = new Peer('198.51.100.1', 41000, 'learned');
    s.confirm(get(1n), peer, 0, 1);
    s.confirm(get(2n), peer, 0, 1);
    expect(peer.sessionId).toBe(2n);
    expect(known([1n, 2n, 3n])).toEqual([2n, 3n]);
    expect(get(2n).peer).toBe(peer);
  });

  it('confirming the same session again keeps it', () => {
    const { s, get, create, known } = setup();
    create([1n]);
    const peer = new Peer('198.51.100.1', 41000, 'learned');
    s.confirm(get(1n), peer, 0, 1);
    s.confirm(get(1n), peer, 0, 1);
    expect(known([1n])).toEqual([1n]);
    expect(peer.sessionId).toBe(1n);
  });

  it("closes the session's replay window up to the confirming response's counter: nothing the sender sent before counts", () => {
    const { s, get, create } = setup();
    create([7n]);
    const w = get(7n).crypto.window;
    // A recording (counter 10) made the leg challenge; the live sender answered with counter 40.
    // Counters 11..39 were sent before the response (a recording of them may follow); none was seen here.
    expect(w.accept(0, 10)).toBe(true);
    expect(w.accept(0, 40)).toBe(true);
    for (let c = 11; c < 40; c++) expect(w.check(0, c), `before: counter ${c}`).toBe(true);
    s.confirm(get(7n), new Peer('198.51.100.1', 41000, 'learned'), 0, 40);
    for (let c = 0; c <= 40; c++) expect(w.check(0, c), `after: counter ${c}`).toBe(false);
    expect(w.check(0, 41)).toBe(true);
    expect(w.highest).toBe(40n);
  });

  it('a response counter with a high half: everything up to it is closed', () => {
    const { s, get, create } = setup();
    create([7n]);
    const w = get(7n).crypto.window;
    expect(w.accept(1, 5)).toBe(true);
    s.confirm(get(7n), new Peer('198.51.100.1', 41000, 'learned'), 1, 5);
    expect([w.check(0, 0xffffffff), w.check(1, 0), w.check(1, 5), w.check(1, 6), w.check(2, 0)]).toEqual([false, false, false, true, true]);
    expect(w.highest).toBe((1n << 32n) + 5n);
  });

  it('confirming again with an older counter never moves the window back', () => {
    const { s, get, create } = setup();
    create([7n]);
    const w = get(7n).crypto.window;
    const peer = new Peer('198.51.100.1', 41000, 'learned');
    w.accept(0, 100);
    s.confirm(get(7n), peer, 0, 100);
    s.confirm(get(7n), peer, 0, 50);
    expect(w.highest).toBe(100n);
    expect([w.check(0, 50), w.check(0, 99), w.check(0, 100), w.check(0, 101)]).toEqual([false, false, false, true]);
  });

  it('configured peers are bound the same way', () => {
    const { s, get, create } = setup();
    create([5n]);
    const peer = new Peer('10.0.0.2', 4789, 'configured');
    s.confirm(get(5n), peer, 0, 1);
    expect(peer).toMatchObject({ verified: true, sessionId: 5n });
    expect(get(5n).peer).toBe(peer);
  });
});

describe('SecureSessions.forgetPeer', () => {
  it('forgets the session of a peer that is gone, and the peer forgets it', () => {
    const { s, get, create, known } = setup();
    create([1n, 2n]);
    const a = new Peer('198.51.100.1', 41000, 'learned');
    const b = new Peer('198.51.100.2', 41000, 'learned');
    s.confirm(get(1n), a, 0, 1);
    s.confirm(get(2n), b, 0, 1);
    s.forgetPeer(a);
    expect(known([1n, 2n])).toEqual([2n]);
    expect(a.sessionId).toBeUndefined();
    expect(b.sessionId).toBe(2n);
    // Its id is then unknown: a packet of it would need a new session, and a new confirmation.
    expect(s.lookup(1n, T0 + 60_000)).not.toBeNull();
    expect(get(1n).peer).toBeNull();
  });

  it('is harmless for a peer without a session, twice, or when the session belongs to another peer', () => {
    const { s, get, create, known } = setup();
    create([1n]);
    const owner = new Peer('198.51.100.1', 41000, 'learned');
    s.confirm(get(1n), owner, 0, 1);
    const stranger = new Peer('198.51.100.9', 1, 'learned');
    s.forgetPeer(stranger);
    stranger.sessionId = 1n; // claims it, but is not bound to it
    s.forgetPeer(stranger);
    expect(known([1n])).toEqual([1n]);
    expect(stranger.sessionId).toBeUndefined();
    s.forgetPeer(owner);
    s.forgetPeer(owner);
    expect(known([1n])).toEqual([]);
  });

  it('does not disturb the bound on unconfirmed sessions', () => {
    const { s, get, create, known } = setup();
    create([1n]);
    const peer = new Peer('198.51.100.1', 41000, 'learned');
    s.confirm(get(1n), peer, 0, 1);
    s.forgetPeer(peer);
    const rest = ids(UNCONFIRMED_MAX, 10);
    create(rest);
    expect(known(rest)).toEqual(rest);
    create([5000n]);
    expect(s.size).toBe(UNCONFIRMED_MAX);
  });
});
