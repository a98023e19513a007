// Session keys of encrypted V legs (README "Secure legs: wire format"):
//
//   K = HKDF-SHA256(IKM = the pre-shared key's UTF-8 bytes,
//                   salt = "vxbridge secure leg v1",
//                   info = "vxbridge data" || VNI (3 bytes) || session id (8 bytes),
//                   L = 32)
//
// Binding the key to the VNI and to the sender's session makes it one key per
// segment, per sender run and so per direction.
//
// Keys never appear in messages: errors here name the VNI or the session, never
// the pre-shared key or K.

import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/** HKDF salt, ASCII, no terminator. */
export const KEY_SALT = 'vxbridge secure leg v1';
/** HKDF info prefix, ASCII, no terminator; the VNI and the session id follow it. */
export const KEY_INFO_LABEL = 'vxbridge data';
/** Bytes of a session key: AES-256. */
export const SESSION_KEY_LEN = 32;

const VNI_MAX = 0xffffff;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
const LABEL_LEN = KEY_INFO_LABEL.length; // ASCII: one byte per character

/** The 32-byte session key K of (pre-shared key, VNI, session id). Throws on a
 *  value out of range or an empty pre-shared key; the message never shows it. */
export function deriveSessionKey(psk: string, vni: number, session: bigint): Buffer {
  if (typeof psk !== 'string' || psk.length === 0) throw new RangeError('the pre-shared key is empty');
  if (!Number.isInteger(vni) || vni < 0 || vni > VNI_MAX) throw new RangeError(`VNI ${String(vni)} is not a 24-bit number`);
  if (typeof session !== 'bigint' || session < 0n || session > U64_MAX) {
    throw new RangeError(`session id ${String(session)} is not a 64-bit number`);
  }
  const info = Buffer.alloc(LABEL_LEN + 3 + 8);
  info.write(KEY_INFO_LABEL, 0, 'latin1');
  info[LABEL_LEN] = (vni >>> 16) & 0xff;
  info[LABEL_LEN + 1] = (vni >>> 8) & 0xff;
  info[LABEL_LEN + 2] = vni & 0xff;
  info.writeBigUInt64BE(session, LABEL_LEN + 3);
  const ikm = Buffer.from(psk, 'utf8');
  return Buffer.from(hkdfSync('sha256', ikm, KEY_SALT, info, SESSION_KEY_LEN));
}

/** The session key as a KeyObject, which shows no key material when printed,
 *  inspected or serialised. */
export function deriveSessionKeyObject(psk: string, vni: number, session: bigint): KeyObject {
  const k = deriveSessionKey(psk, vni, session);
  const obj = createSecretKey(k);
  k.fill(0);
  return obj;
}
