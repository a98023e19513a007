import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SESSION_KEY_LEN, deriveSessionKey, deriveSessionKeyObject } from './keys.js';

// Golden keys computed once outside Node with Python 3 and the `cryptography`
// package (48.0.0): HKDF(SHA256, length=32, salt=b"vxbridge secure leg v1",
// info=b"vxbridge data" + vni.to_bytes(3, "big") + session.to_bytes(8, "big"))
// .derive(psk.encode("utf-8")), cross-checked in the same script against an
// RFC 5869 HKDF written by hand over Python's hmac/hashlib.
const PSK = 'correct horse battery staple';
const golden: ReadonlyArray<{ name: string; psk: string; vni: number; session: bigint; key: string }> = [
  {
    name: 'the fixed vector',
    psk: PSK,
    vni: 5000,
    session: 0x0102030405060708n,
    key: '499b1e8ed840a519a482077b8b4f630b2441c649586819d685178d7e9eeb63de',
  },
  {
    name: 'another VNI',
    psk: PSK,
    vni: 5001,
    session: 0x0102030405060708n,
    key: '82da6e553a853a2edc2f246ef4519970774496e2d87ff59a320f10b55437e1cd',
  },
  {
    name: 'another session',
    psk: PSK,
    vni: 5000,
    session: 0x0102030405060709n,
    key: 'c42afad1355d03d76ae875315af99f246b79ad9286db3ec5576bdcf702c76503',
  },
  { name: 'zeros', psk: 's3cret', vni: 0, session: 0n, key: 'e51e9e70f075b5e78411f5a914d502f0ddde3974cd5fcd3ae7201c59c002129d' },
  {
    name: 'non-ASCII key (UTF-8), maximum VNI and session',
    psk: 'ключ-κλειδί',
    vni: 0xffffff,
    session: 0xffff_ffff_ffff_ffffn,
    key: '6c867df5c0dfbfdc6f1e811c5a89fcac5ac845628879125c3dab416951308b82',
  },
];

describe('deriveSessionKey', () => {
  it.each(golden)('$name', ({ psk, vni, session, key }) => {
    const k = deriveSessionKey(psk, vni, session);
    expect(k.length).toBe(SESSION_KEY_LEN);
    expect(k.toString('hex')).toBe(key);
  });

  const bad: ReadonlyArray<{ name: string; psk: string; vni: number; session: bigint }> = [
    { name: 'empty key', psk: '', vni: 1, session: 1n },
    { name: 'VNI above 24 bits', psk: PSK, vni: 0x1000000, session: 1n },
    { name: 'negative VNI', psk: PSK, vni: -1, session: 1n },
    { name: 'fractional VNI', psk: PSK, vni: 1.5, session: 1n },
    { name: 'session above 64 bits', psk: PSK, vni: 1, session: 1n << 64n },
    { name: 'negative session', psk: PSK, vni: 1, session: -1n },
  ];
  it.each(bad)('$name: a RangeError that does not show the key', ({ psk, vni, session }) => {
    let err: unknown;
    try {
      deriveSessionKey(psk, vni, session);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RangeError);
    const text = `${String(err)} ${inspect(err)}`;
    expect(text).not.toContain(PSK);
    expect(text).not.toContain('horse');
  });
});

describe('deriveSessionKeyObject', () => {
  it('holds the same key and shows no key material', () => {
    const { psk, vni, session, key } = golden[0]!;
    const obj = deriveSessionKeyObject(psk, vni, session);
    expect(obj.export().toString('hex')).toBe(key);
    const shown = [String(obj), inspect(obj, { showHidden: true, depth: 10 }), JSON.stringify(obj)].join(' ');
    expect(shown).not.toContain(key);
    expect(shown).not.toContain(key.slice(0, 8));
  });
});
