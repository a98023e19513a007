// Stateless proof that a source receives at its address (plain provider legs),
// like WireGuard's cookie reply or DTLS's HelloVerifyRequest: the cookie for
// (IP, port, VNI) is a MAC under a secret that only this leg knows and that
// changes every COOKIE_ROTATE_MS; the current and the previous secret are
// accepted. Nothing is stored per source.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { COOKIE_LEN } from '../codec/control.js';

/** How often the secret changes, ms: a cookie is good for one to two periods. */
export const COOKIE_ROTATE_MS = 120_000;

export class CookieJar {
  private current = randomBytes(32);
  private previous = randomBytes(32);
  private rotatedAt: number;
  private readonly scratch = Buffer.alloc(6);

  constructor(
    private readonly vni: number,
    now: number,
  ) {
    this.rotatedAt = now;
  }

  private mac(secret: Buffer, address: string, port: number): Buffer {
    const s = this.scratch;
    const parts = address.split('.');
    for (let i = 0; i < 4; i++) s[i] = Number(parts[i]);
    s.writeUInt16BE(port, 4);
    return createHmac('sha256', secret).update(s).update(String(this.vni)).digest().subarray(0, COOKIE_LEN);
  }

  private rotate(now: number): void {
    const periods = Math.floor((now - this.rotatedAt) / COOKIE_ROTATE_MS);
    if (periods < 1) return;
    // Idle for two periods or more: the previous secret is too old as well.
    this.previous = periods === 1 ? this.current : randomBytes(32);
    this.current = randomBytes(32);
    this.rotatedAt += periods * COOKIE_ROTATE_MS;
  }

  /** The cookie to give (address, port). */
  make(address: string, port: number, now: number): Buffer {
    this.rotate(now);
    return this.mac(this.current, address, port);
  }

  /** Whether buf[at..at+16) is a cookie this leg gave (address, port) lately. */
  verify(buf: Buffer, at: number, address: string, port: number, now: number): boolean {
    this.rotate(now);
    const given = buf.subarray(at, at + COOKIE_LEN);
    return timingSafeEqual(given, this.mac(this.current, address, port)) || timingSafeEqual(given, this.mac(this.previous, address, port));
  }
}
