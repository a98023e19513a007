// A datagram sealed by one data plane's AEAD opens with the other's, both ways
// (native OpenSSL EVP in native/dataplane, node:crypto in the JS data plane),
// through the real SecureSender/SecureReceiver of the engine.
import { describe, expect, it } from 'vitest';
import { createNodeAead } from '../../engine/crypto/node-aead.js';
import { PeerSession, SecureReceiver, SecureSender } from '../../engine/crypto/secure-codec.js';
import { SECURE_HEADER_LEN, SecureType } from '../../engine/crypto/secure-header.js';
import type { AeadFactory } from '../../engine/ports/aead-port.js';
import { loadDataPlaneModule, type DataPlaneModule } from '../../../native/dataplane-module.js';

const loaded = loadDataPlaneModule();
const PSK = 'a long enough pre-shared key for tests';
const VNI = 5000;

describe.runIf(process.platform === 'linux')('secure legs: native and JavaScript AEADs interoperate', () => {
  it('the native module loads on Linux', () => {
    expect('module' in loaded ? 'loaded' : loaded.problem).toBe('loaded');
  });
  const m = (loaded as { module: DataPlaneModule }).module;
  const native: AeadFactory = (key) => new m.Gcm(key);
  const planes = [
    { from: 'native', to: 'js', seal: native, open: createNodeAead },
    { from: 'js', to: 'native', seal: createNodeAead, open: native },
    { from: 'native', to: 'native', seal: native, open: native },
  ];

  it.each(planes)('sealed by $from, opened by $to: every size from 0 to 1,514 bytes, then tampering and replay fail', ({ seal, open }) => {
    const sender = new SecureSender(PSK, VNI, { aead: seal });
    const session = new PeerSession(PSK, VNI, sender.session, open);
    const rx = new SecureReceiver(VNI);
    const lookup = () => session;
    const out = Buffer.alloc(2048);
    for (const size of [0, 1, 15, 16, 17, 64, 1000, 1514]) {
      const frame = Buffer.alloc(size);
      for (let i = 0; i < size; i++) frame[i] = (i * 13 + size) & 0xff;
      const n = sender.seal(SecureType.FRAME, frame, 0, size, out, 0);
      expect(n).toBe(size + 40);
      const copy = Buffer.from(out.subarray(0, n));
      expect(rx.open(copy, 0, n, lookup)).toBe(size);
      expect(copy.subarray(SECURE_HEADER_LEN, SECURE_HEADER_LEN + size).equals(frame)).toBe(true);
      expect(rx.open(Buffer.from(out.subarray(0, n)), 0, n, lookup)).toBe('replay');
    }
    const n = sender.seal(SecureType.FRAME, Buffer.alloc(100, 7), 0, 100, out, 0);
    for (const at of [0 + 4, SECURE_HEADER_LEN + 50, n - 1]) {
      const bad = Buffer.from(out.subarray(0, n));
      bad[at]! ^= 1;
      const before = Buffer.from(bad);
      expect(rx.open(bad, 0, n, lookup)).not.toBeTypeOf('number');
      expect(bad.equals(before)).toBe(true); // a packet that fails leaves the buffer as it was
    }
    expect(rx.open(Buffer.from(out.subarray(0, n)), 0, n, lookup)).toBe(100); // the genuine one still opens
  });

  it('a session with another key does not open it (auth), whichever AEAD', () => {
    const sender = new SecureSender(PSK, VNI, { aead: native });
    const other = new PeerSession('another pre-shared key entirely', VNI, sender.session, createNodeAead);
    const out = Buffer.alloc(200);
    const n = sender.seal(SecureType.FRAME, Buffer.alloc(60, 1), 0, 60, out, 0);
    expect(new SecureReceiver(VNI).open(out, 0, n, () => other)).toBe('auth');
  });

  it('shows no key material when printed or inspected', () => {
    const g = new m.Gcm(Buffer.alloc(32, 0xab));
    expect(JSON.stringify(g)).not.toMatch(/ab/i);
    expect(Object.keys(g)).toEqual([]);
  });
});
