import { webcrypto } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PeerSession, SEAL_FAILED, SecureReceiver, SecureSender, type OpenFailure, type SessionLookup } from './secure-codec.js';
import { SECURE_HEADER_LEN, SECURE_MIN_LEN, SecureType, TAG_LEN, isSecureType } from './secure-header.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const PSK = 'correct horse battery staple';
const VNI = 5000;
const SESSION = 0x0102030405060708n;
const M = (1n << 64n) - 1n;

// A 60-byte Ethernet frame (no FCS): broadcast ARP request "who has 10.0.0.2,
// tell 10.0.0.1" from 02:00:00:00:00:01, padded with zeros to the minimum size.
const FRAME = hex('ffffffffffff 020000000001 0806' + '0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002' + '000000000000000000000000000000000000');

// Golden datagrams, computed once outside Node with Python 3 and the
// `cryptography` package (48.0.0): key = HKDF(SHA256, 32, salt, info).derive(psk)
// (cross-checked against an HKDF written by hand over hmac/hashlib), header
// written by hand from the README table, then
// header + AESGCM(key).encrypt(b"\0" * 4 + counter.to_bytes(8, "big"), plaintext, header).
// The key of these vectors (keys.test.ts has it as a golden value too):
const GOLDEN_KEY = '499b1e8ed840a519a482077b8b4f630b2441c649586819d685178d7e9eeb63de';
const golden: ReadonlyArray<{ name: string; type: SecureType; counter: bigint; plain: Buffer; sealed: string }> = [
  {
    name: 'the fixed vector: frame, counter 7',
    type: SecureType.FRAME,
    counter: 7n,
    plain: FRAME,
    sealed:
      '00e1010000138800 0102030405060708 0000000000000007' +
      'd365148cea51641873b46bd173886556ab25015acc41d13d6a6160795d309accc17f061c48c2a89b800822d0802d3ffa27b0b6d30e1944d92ce4dd' +
      'ad4472a40922b65641aa6d22a03b3c20db',
  },
  {
    name: 'keepalive (period 20 s), counter 8',
    type: SecureType.KEEPALIVE,
    counter: 8n,
    plain: hex('0014'),
    sealed: '00e1020000138800 0102030405060708 0000000000000008' + '434e' + 'd25db6ab8a7e87ebdadc8769391f89b7',
  },
  {
    name: 'empty payload, counter 0',
    type: SecureType.FRAME,
    counter: 0n,
    plain: hex(''),
    sealed: '00e1010000138800 0102030405060708 0000000000000000' + 'cd3446c3c9e3f7b12d35851f9d6ac4bd',
  },
];
const FIXED = hex(golden[0]!.sealed);

const sender = (firstCounter = 0n, psk = PSK) => new SecureSender(psk, VNI, { session: SESSION, firstCounter });
const peer = (psk = PSK, vni = VNI, session = SESSION) => new PeerSession(psk, vni, session);
/** A leg's lookup: the one known session, nothing else. */
const only =
  (p: PeerSession): SessionLookup =>
  (s) =>
    s === p.session ? p : null;

function seal(s: SecureSender, type: SecureType, plain: Buffer): Buffer {
  const out = Buffer.alloc(plain.length + SECURE_MIN_LEN);
  const n = s.seal(type, plain, 0, plain.length, out, 0);
  expect(n).toBe(out.length);
  return out;
}

/** Opens a copy (open decrypts in place); returns the reason or the plaintext. */
function open(datagram: Buffer, p: PeerSession | SessionLookup, rx = new SecureReceiver(VNI), len = datagram.length): OpenFailure | Buffer {
  const buf = Buffer.from(datagram);
  const r = rx.open(buf, 0, len, typeof p === 'function' ? p : only(p));
  if (typeof r === 'string') {
    expect(buf, 'a failed open leaves the buffer alone').toEqual(datagram);
    return r;
  }
  return buf.subarray(SECURE_HEADER_LEN, SECURE_HEADER_LEN + r);
}

describe('golden datagrams', () => {
  it.each(golden)('seals $name', ({ type, counter, plain, sealed }) => {
    const s = sender(counter);
    expect(seal(s, type, plain).toString('hex')).toBe(hex(sealed).toString('hex'));
    expect(s.nextCounter).toBe(counter + 1n);
  });

  it.each(golden)('opens $name', ({ type, counter, plain, sealed }) => {
    const rx = new SecureReceiver(VNI);
    expect(open(hex(sealed), peer(), rx)).toEqual(plain);
    expect(rx.header).toEqual({ type, vni: VNI, session: SESSION, counterHi: 0, counterLo: Number(counter) });
  });

  it('the fixed vector opens under WebCrypto too (another API path)', async () => {
    const key = await webcrypto.subtle.importKey('raw', hex(GOLDEN_KEY), 'AES-GCM', false, ['decrypt']);
    const iv = Buffer.concat([hex('00000000'), FIXED.subarray(16, 24)]);
    const additionalData = FIXED.subarray(0, SECURE_HEADER_LEN);
    const plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData, tagLength: 128 }, key, FIXED.subarray(SECURE_HEADER_LEN));
    expect(Buffer.from(plain)).toEqual(FRAME);
  });

  it('seals at an offset, touching nothing else, and in place', () => {
    const out = Buffer.alloc(FIXED.length + 10, 0xee);
    expect(sender(7n).seal(SecureType.FRAME, FRAME, 0, FRAME.length, out, 5)).toBe(FIXED.length);
    expect(out.subarray(5, 5 + FIXED.length)).toEqual(FIXED);
    expect([...out.subarray(0, 5), ...out.subarray(5 + FIXED.length)]).toEqual(Array(10).fill(0xee));

    // The frame already sits after 24 bytes of headroom: sealed where it is.
    const inPlace = Buffer.alloc(FIXED.length);
    FRAME.copy(inPlace, SECURE_HEADER_LEN);
    expect(sender(7n).seal(SecureType.FRAME, inPlace, SECURE_HEADER_LEN, FRAME.length, inPlace, 0)).toBe(FIXED.length);
    expect(inPlace).toEqual(FIXED);
  });

  it('opens at an offset, in place', () => {
    const buf = Buffer.concat([hex('eeeeee'), FIXED, hex('eeee')]);
    const rx = new SecureReceiver(VNI);
    expect(rx.open(buf, 3, FIXED.length, only(peer()))).toBe(FRAME.length);
    expect(buf.subarray(3 + SECURE_HEADER_LEN, 3 + SECURE_HEADER_LEN + FRAME.length)).toEqual(FRAME);
    expect(buf.subarray(0, 3 + SECURE_HEADER_LEN)).toEqual(Buffer.concat([hex('eeeeee'), FIXED.subarray(0, SECURE_HEADER_LEN)]));
    expect(buf.subarray(-2)).toEqual(hex('eeee'));
  });
});

describe('tampering', () => {
  // Expected reason when any one bit of byte i of the fixed vector is flipped.
  const reasonAt = (i: number): OpenFailure => {
    if (i === 0 || i === 1 || i === 2 || i === 3 || i === 7) return 'malformed'; // flags, marker, type (but see below), reserved
    if (i >= 4 && i <= 6) return 'wrong-vni';
    return 'auth'; // session (no such session, or a key that does not fit), counter, ciphertext, tag
  };
  const bytes = Array.from({ length: FIXED.length }, (_, i) => ({
    i,
    field: i < 4 ? ['flags', 'marker', 'type', 'reserved'][i]! : i < 7 ? 'VNI' : i === 7 ? 'reserved' : i < 16 ? 'session' : i < 24 ? 'counter' : i < 84 ? 'ciphertext' : 'tag',
    reason: reasonAt(i),
  }));

  it.each(bytes)('every bit of byte $i ($field): $reason, window untouched', ({ i, reason }) => {
    for (let bit = 0; bit < 8; bit++) {
      const forged = Buffer.from(FIXED);
      forged[i]! ^= 1 << bit;
      // Two lookups: the leg's (known sessions only), and one that derives a
      // key for any session id it is shown (as a leg meeting a new peer run does).
      const p = peer();
      const derive: SessionLookup = (s) => (s === SESSION ? p : peer(PSK, VNI, s));
      // A type byte flipped to another valid type (1 -> 3) is well-formed: the tag catches it.
      const want = i === 2 && isSecureType(forged[i]) ? 'auth' : reason;
      expect(open(forged, p), `bit ${bit}`).toBe(want);
      expect(open(forged, derive), `bit ${bit}`).toBe(want);
      expect(p.window.highest).toBe(0n);
      expect(open(FIXED, p)).toEqual(FRAME);
    }
  });

  it('type changed to the other valid type: auth', () => {
    const forged = Buffer.from(FIXED);
    forged[2] = SecureType.KEEPALIVE;
    expect(open(forged, peer())).toBe('auth');
  });

  it("VNI changed to the receiver's own: auth (its key is another)", () => {
    const forged = Buffer.from(FIXED);
    forged.writeUIntBE(5001, 4, 3);
    expect(open(forged, peer(PSK, 5001), new SecureReceiver(5001))).toBe('auth');
  });

  it('a VNI the receiver does not carry: wrong-vni, without looking up the session', () => {
    let looked = 0;
    expect(
      open(
        FIXED,
        () => {
          looked++;
          return peer();
        },
        new SecureReceiver(5001),
      ),
    ).toBe('wrong-vni');
    expect(looked).toBe(0);
  });

  it.each(Array.from({ length: FIXED.length }, (_, len) => ({ len, reason: len < SECURE_MIN_LEN ? 'malformed' : 'auth' })))(
    'truncated to $len bytes: $reason',
    ({ len, reason }) => {
      expect(open(FIXED.subarray(0, len), peer())).toBe(reason);
    },
  );

  it('a length beyond the buffer: malformed; a byte appended: auth', () => {
    expect(open(FIXED, peer(), new SecureReceiver(VNI), FIXED.length + 1)).toBe('malformed');
    expect(open(Buffer.concat([FIXED, hex('00')]), peer())).toBe('auth');
  });

  const wrongKeys: ReadonlyArray<{ name: string; p: PeerSession }> = [
    { name: 'another pre-shared key', p: peer('correct horse battery stapler') },
    { name: 'the key of another VNI', p: peer(PSK, 5001) },
    { name: 'the key of another session', p: peer(PSK, VNI, SESSION + 1n) },
  ];
  it.each(wrongKeys)('$name: auth', ({ p }) => {
    expect(open(FIXED, () => p)).toBe('auth');
    expect(p.window.highest).toBe(0n);
  });

  it('no session for the session id: auth', () => {
    expect(open(FIXED, () => null)).toBe('auth');
    expect(open(FIXED, () => undefined)).toBe('auth');
  });
});

describe('replay', () => {
  it('the same datagram twice: replay, even with a broken tag (checked before decrypting)', () => {
    const p = peer();
    expect(open(FIXED, p)).toEqual(FRAME);
    expect(open(FIXED, p)).toBe('replay');
    const brokenTag = Buffer.from(FIXED);
    brokenTag[FIXED.length - 1]! ^= 1;
    expect(open(brokenTag, p)).toBe('replay');
  });

  it('a forged counter 1000 that fails auth does not block the real one', () => {
    const p = peer();
    const real = seal(sender(1000n), SecureType.FRAME, FRAME);
    const forgedKey = seal(sender(1000n, 'not the key'), SecureType.FRAME, FRAME);
    const forgedTag = Buffer.from(real);
    forgedTag[SECURE_HEADER_LEN + 5]! ^= 0x80;
    expect(open(forgedKey, p)).toBe('auth');
    expect(open(forgedTag, p)).toBe('auth');
    expect(p.window.highest).toBe(0n);
    expect(open(real, p)).toEqual(FRAME);
    expect(p.window.highest).toBe(1000n);
    expect(open(real, p)).toBe('replay');
  });

  it('10,000 datagrams, shuffled within the window and each sent twice: each accepted exactly once', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const s = new SecureSender(PSK, VNI); // a real random session
    const p = peer(PSK, VNI, s.session);
    const N = 10_000;
    const sealed = Array.from({ length: N }, (_, i) => {
      const plain = Buffer.alloc(64 + (i % 50));
      plain.writeUInt32BE(i, 0);
      return seal(s, SecureType.FRAME, plain);
    });
    // Arrival order: sorted by counter + u * 4000 (u uniform in [0, 1)), so a
    // datagram arrives at most 4000 counters behind the highest one yet.
    const arrivals = [...sealed.keys(), ...sealed.keys()].map((i) => ({ i, at: i + rand() * 4000 })).sort((a, b) => a.at - b.at);
    expect(arrivals.slice(0, 50).map((a) => a.i)).not.toEqual([...Array(50).keys()]);
    const rx = new SecureReceiver(VNI);
    const got = new Uint8Array(N);
    let replays = 0;
    let other = 0;
    for (const { i } of arrivals) {
      const buf = Buffer.from(sealed[i]!);
      const r = rx.open(buf, 0, buf.length, only(p));
      if (r === 'replay') replays++;
      else if (typeof r === 'string' || r !== 64 + (i % 50) || buf.readUInt32BE(SECURE_HEADER_LEN) !== i) other++;
      else got[i]!++;
    }
    expect(other).toBe(0);
    expect(replays).toBe(N);
    expect(got.every((n) => n === 1)).toBe(true);
    expect(p.window.highest).toBe(BigInt(N - 1));
  });
});

describe('sizes and limits', () => {
  it('an empty payload: 40 bytes, opens to 0 bytes', () => {
    const d = seal(sender(), SecureType.FRAME, Buffer.alloc(0));
    expect(d.length).toBe(SECURE_HEADER_LEN + TAG_LEN);
    expect(open(d, peer())).toEqual(Buffer.alloc(0));
  });

  it('a 9000-byte jumbo frame, at offsets', () => {
    const jumbo = Buffer.alloc(9000);
    for (let i = 0; i < jumbo.length; i++) jumbo[i] = (i * 7 + 3) & 0xff;
    const out = Buffer.alloc(9000 + SECURE_MIN_LEN + 8);
    const src = Buffer.concat([hex('aabbcc'), jumbo]);
    expect(sender().seal(SecureType.FRAME, src, 3, jumbo.length, out, 8)).toBe(9040);
    const rx = new SecureReceiver(VNI);
    expect(rx.open(out, 8, 9040, only(peer()))).toBe(9000);
    expect(out.subarray(8 + SECURE_HEADER_LEN, 8 + SECURE_HEADER_LEN + 9000)).toEqual(jumbo);
  });

  it('`out` too small: SEAL_FAILED, and no counter used', () => {
    const s = sender(3n);
    expect(SEAL_FAILED).toBe(-1);
    expect(s.seal(SecureType.FRAME, FRAME, 0, 60, Buffer.alloc(99), 0)).toBe(SEAL_FAILED);
    expect(s.seal(SecureType.FRAME, FRAME, 0, 60, Buffer.alloc(100), 1)).toBe(SEAL_FAILED);
    expect(s.nextCounter).toBe(3n);
    expect(s.seal(SecureType.FRAME, FRAME, 0, 60, Buffer.alloc(100), 0)).toBe(100);
    expect(s.nextCounter).toBe(4n);
  });

  it('the counter runs out at 2^64 - 1 (never sent); the last one opens', () => {
    const s = sender(M - 1n);
    const last = seal(s, SecureType.FRAME, FRAME);
    expect(last.subarray(16, 24)).toEqual(hex('fffffffffffffffe'));
    expect(s.nextCounter).toBe(M);
    const out = Buffer.alloc(200);
    expect(s.seal(SecureType.FRAME, FRAME, 0, 60, out, 0)).toBe(SEAL_FAILED);
    expect(s.seal(SecureType.KEEPALIVE, FRAME, 0, 2, out, 0)).toBe(SEAL_FAILED);
    expect(out).toEqual(Buffer.alloc(200));
    expect(sender(M).seal(SecureType.FRAME, FRAME, 0, 60, out, 0)).toBe(SEAL_FAILED);
    expect(open(last, peer())).toEqual(FRAME);
  });

  it('the counter carries from the low half into the high half', () => {
    const s = sender(0xffff_ffffn);
    expect(seal(s, SecureType.FRAME, FRAME).subarray(16, 24)).toEqual(hex('00000000ffffffff'));
    expect(seal(s, SecureType.FRAME, FRAME).subarray(16, 24)).toEqual(hex('0000000100000000'));
    expect(s.nextCounter).toBe(0x1_0000_0001n);
  });

  const misuse: ReadonlyArray<{ name: string; call: () => unknown }> = [
    { name: 'unknown type', call: () => sender().seal(5 as SecureType, FRAME, 0, 60, Buffer.alloc(100), 0) },
    { name: 'plaintext beyond its buffer', call: () => sender().seal(SecureType.FRAME, FRAME, 1, 60, Buffer.alloc(100), 0) },
    { name: 'negative plaintext length', call: () => sender().seal(SecureType.FRAME, FRAME, 0, -1, Buffer.alloc(100), 0) },
    { name: 'first counter above 64 bits', call: () => sender(M + 1n) },
    { name: 'VNI above 24 bits', call: () => new SecureSender(PSK, 0x1000000) },
    { name: 'session above 64 bits', call: () => new SecureSender(PSK, VNI, { session: M + 1n }) },
  ];
  it.each(misuse)('programming errors throw: $name', ({ call }) => {
    expect(call).toThrow(RangeError);
  });
});

describe('sessions and key hygiene', () => {
  it('each sender draws a random 64-bit session id and starts at counter 0', () => {
    const a = new SecureSender(PSK, VNI);
    const b = new SecureSender(PSK, VNI);
    expect(a.session).not.toBe(b.session);
    expect(a.session >= 0n && a.session <= M).toBe(true);
    expect(a.nextCounter).toBe(0n);
    const d = seal(a, SecureType.FRAME, FRAME);
    expect(d.readBigUInt64BE(8)).toBe(a.session);
    expect(open(d, peer(PSK, VNI, b.session))).toBe('auth');
    expect(open(d, peer(PSK, VNI, a.session))).toEqual(FRAME);
  });

  it('no printing, inspection or serialisation shows a key', () => {
    const s = sender();
    const p = peer();
    const rx = new SecureReceiver(VNI);
    open(FIXED, p, rx);
    const shown = [s, p, rx, p.window]
      .flatMap((o) => [String(o), `${o}`, inspect(o, { showHidden: true, depth: 10 }), JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))])
      .join('\n');
    expect(shown).not.toContain(PSK);
    expect(shown).not.toContain(GOLDEN_KEY.slice(0, 8));
    expect(shown.toLowerCase()).not.toContain('499b1e8e');
    expect(String(s)).toBe('SecureSender(vni 5000, session 102030405060708)');
    expect(String(p)).toBe('PeerSession(vni 5000, session 102030405060708, highest 7)');
  });
});
