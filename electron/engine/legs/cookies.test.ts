// Cookies of plain provider legs (legs/cookies.ts): a cookie is good for the
// (IP, port, VNI) it was made for only, for one to two rotation periods.

import type * as Crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTROL_LEN, COOKIE_LEN } from '../codec/control.js';
import { COOKIE_ROTATE_MS, CookieJar } from './cookies.js';

/** When set, the jar's secrets are this (so two jars can share one); else random as in production. */
let fixedSecret: Buffer | null = null;
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  return { ...real, randomBytes: (n: number) => (fixedSecret !== null ? Buffer.from(fixedSecret.subarray(0, n)) : real.randomBytes(n)) };
});

const T0 = 1_000_000;
const A = '198.51.100.1';
const B = '198.51.100.2';

/** Where a keepalive carries its cookie (codec/control.ts). */
const AT = 24;
/** A cookie at offset AT of a control packet, as the leg hands it to verify(). */
function inPacket(cookie: Buffer): Buffer {
  const buf = Buffer.alloc(CONTROL_LEN, 0xee);
  cookie.copy(buf, AT);
  return buf;
}

describe('CookieJar', () => {
  afterEach(() => {
    fixedSecret = null;
  });

  it(`makes ${COOKIE_LEN}-byte cookies, the same for the same source while the secret holds`, () => {
    const jar = new CookieJar(5000, T0);
    const c = jar.make(A, 41000, T0);
    expect(c).toHaveLength(COOKIE_LEN);
    expect(jar.make(A, 41000, T0 + COOKIE_ROTATE_MS - 1)).toEqual(c);
  });

  const rows: ReadonlyArray<{ name: string; address: string; port: number; valid: boolean }> = [
    { name: 'its own address and port', address: A, port: 41000, valid: true },
    { name: 'another port of the same address', address: A, port: 41001, valid: false },
    { name: 'port 0', address: A, port: 0, valid: false },
    { name: 'the same port at another address', address: B, port: 41000, valid: false },
    { name: 'an address with the octets shifted', address: '51.100.1.198', port: 41000, valid: false },
  ];
  it.each(rows)('a cookie for 198.51.100.1:41000 presented from $name: valid $valid', ({ address, port, valid }) => {
    const jar = new CookieJar(5000, T0);
    const cookie = jar.make(A, 41000, T0);
    expect(jar.verify(inPacket(cookie), AT, address, port, T0 + 1)).toBe(valid);
  });

  it('a cookie is not valid on another VNI, even under the same secret', () => {
    fixedSecret = Buffer.alloc(32, 0x42); // both jars draw the same secrets: only the VNI differs
    const a = new CookieJar(5000, T0);
    const b = new CookieJar(5001, T0);
    const same = new CookieJar(5000, T0);
    const cookie = a.make(A, 41000, T0);
    expect(same.verify(inPacket(cookie), AT, A, 41000, T0)).toBe(true); // the premise: same secret, same VNI
    expect(b.verify(inPacket(cookie), AT, A, 41000, T0)).toBe(false);
    expect(b.make(A, 41000, T0)).not.toEqual(cookie);
  });

  it("another leg's cookie (another secret) is not valid", () => {
    const cookie = new CookieJar(5000, T0).make(A, 41000, T0);
    expect(new CookieJar(5000, T0).verify(inPacket(cookie), AT, A, 41000, T0)).toBe(false);
  });

  it.each([
    { name: 'all zeros (an access leg that has no cookie yet)', cookie: Buffer.alloc(COOKIE_LEN) },
    { name: 'all ones', cookie: Buffer.alloc(COOKIE_LEN, 0xff) },
  ])('refuses $name', ({ cookie }) => {
    const jar = new CookieJar(5000, T0);
    jar.make(A, 41000, T0);
    expect(jar.verify(inPacket(cookie), AT, A, 41000, T0)).toBe(false);
  });

  it('a cookie with any one bit flipped is refused', () => {
    const jar = new CookieJar(5000, T0);
    const cookie = jar.make(A, 41000, T0);
    for (let bit = 0; bit < COOKIE_LEN * 8; bit++) {
      const bad = Buffer.from(cookie);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(jar.verify(inPacket(bad), AT, A, 41000, T0), `bit ${bit}`).toBe(false);
    }
  });

  it('reads the cookie at the offset it is given, not elsewhere in the packet', () => {
    const jar = new CookieJar(5000, T0);
    const cookie = jar.make(A, 41000, T0);
    const buf = inPacket(cookie);
    expect(jar.verify(buf, AT, A, 41000, T0)).toBe(true);
    expect(jar.verify(buf, AT - 1, A, 41000, T0)).toBe(false);
    const shifted = Buffer.concat([Buffer.alloc(5), buf]);
    expect(jar.verify(shifted, AT + 5, A, 41000, T0)).toBe(true);
  });

  describe('rotation (every COOKIE_ROTATE_MS; the current and the previous secret are accepted)', () => {
    // Each row twice: the jar used (a keepalive or a cookie made) at every period
    // boundary, as on a provider with any access VTEP; and idle in between (a
    // provider nobody spoke to): the cookie's life must not depend on that.
    const rows: ReadonlyArray<{ name: string; madeAt: number; checkedAt: number; valid: boolean }> = [
      { name: 'at once', madeAt: 0, checkedAt: 0, valid: true },
      { name: 'just before the first rotation', madeAt: 0, checkedAt: COOKIE_ROTATE_MS - 1, valid: true },
      { name: 'after one rotation', madeAt: 0, checkedAt: COOKIE_ROTATE_MS, valid: true },
      { name: 'just before the second rotation', madeAt: 0, checkedAt: 2 * COOKIE_ROTATE_MS - 1, valid: true },
      { name: 'after two rotations', madeAt: 0, checkedAt: 2 * COOKIE_ROTATE_MS, valid: false },
      { name: 'after three rotations', madeAt: 0, checkedAt: 3 * COOKIE_ROTATE_MS, valid: false },
      { name: 'made just before a rotation: still good after it', madeAt: COOKIE_ROTATE_MS - 1, checkedAt: COOKIE_ROTATE_MS, valid: true },
      { name: 'made just before a rotation: gone at the next one', madeAt: COOKIE_ROTATE_MS - 1, checkedAt: 2 * COOKIE_ROTATE_MS, valid: false },
    ];
    const both = rows.flatMap((r) => [
      { ...r, jar: 'used every period', used: true },
      { ...r, jar: 'idle', used: false },
    ]);
    it.each(both)('a cookie checked $name, the jar $jar: valid $valid', ({ madeAt, checkedAt, valid, used }) => {
      const jar = new CookieJar(5000, T0);
      const cookie = jar.make(A, 41000, T0 + madeAt);
      // Another source uses the jar at every period boundary in between (fake clock).
      if (used) for (let t = COOKIE_ROTATE_MS; t < checkedAt; t += COOKIE_ROTATE_MS) if (t > madeAt) jar.make(B, 1, T0 + t);
      expect(jar.verify(inPacket(cookie), AT, A, 41000, T0 + checkedAt)).toBe(valid);
    });

    it('after a rotation the cookie made for a source changes, and both are accepted', () => {
      const jar = new CookieJar(5000, T0);
      const old = jar.make(A, 41000, T0);
      const fresh = jar.make(A, 41000, T0 + COOKIE_ROTATE_MS);
      expect(fresh).not.toEqual(old);
      expect(jar.verify(inPacket(old), AT, A, 41000, T0 + COOKIE_ROTATE_MS)).toBe(true);
      expect(jar.verify(inPacket(fresh), AT, A, 41000, T0 + COOKIE_ROTATE_MS)).toBe(true);
    });

    it('a cookie expires after two periods even when nobody used the jar in between', () => {
      const jar = new CookieJar(5000, T0);
      const cookie = jar.make(A, 41000, T0);
      expect(jar.verify(inPacket(cookie), AT, A, 41000, T0 + 10 * COOKIE_ROTATE_MS)).toBe(false);
    });

    it('after a long silence the jar gives good cookies again, and they age as usual', () => {
      const jar = new CookieJar(5000, T0);
      const t = T0 + 10 * COOKIE_ROTATE_MS + 5;
      const cookie = jar.make(A, 41000, t);
      expect(jar.verify(inPacket(cookie), AT, A, 41000, t)).toBe(true);
      expect(jar.verify(inPacket(cookie), AT, A, 41000, t + COOKIE_ROTATE_MS)).toBe(true);
      expect(jar.verify(inPacket(cookie), AT, A, 41000, t + 2 * COOKIE_ROTATE_MS)).toBe(false);
    });
  });
});
