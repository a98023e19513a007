// A datagram sealed by one data plane's session crypto opens with the
// other's, both ways (native OpenSSL EVP in native/dataplane, node:crypto in
// the JS data plane), through the real SecureSender/SecureReceiver of the engine.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeSessionCrypto } from '../../engine/crypto/node-session-crypto.js';
import { describeReplayWindow } from '../../engine/crypto/replay-window.cases.js';
import { PeerSession, SecureReceiver, SecureSender } from '../../engine/crypto/secure-codec.js';
import { SECURE_HEADER_LEN, SecureType } from '../../engine/crypto/secure-header.js';
import { loadDataPlaneModule, type DataPlaneModule } from '../../../native/dataplane-module.js';
import { nativeSessionCrypto } from '../../../native/native-session-crypto.js';

const loaded = loadDataPlaneModule();
const PSK = 'a long enough pre-shared key for tests';
const VNI = 5000;

describe.runIf(process.platform === 'linux')('secure legs: native and JavaScript session crypto interoperate', () => {
  it('the native module loads on Linux', () => {
    expect('module' in loaded ? 'loaded' : loaded.problem).toBe('loaded');
  });
  const m = (loaded as { module: DataPlaneModule }).module;
  const native = nativeSessionCrypto(m);
  // The native Opener's window follows the engine's rules, row for row.
  if (m !== undefined) describeReplayWindow('the native replay window', () => new m.Opener(Buffer.alloc(32, 7), 42n));
  const planes = [
    { from: 'native', to: 'js', seal: native, open: nodeSessionCrypto },
    { from: 'js', to: 'native', seal: nodeSessionCrypto, open: native },
    { from: 'native', to: 'native', seal: native, open: native },
  ];

  it.each(planes)('sealed by $from, opened by $to: every size from 0 to 1,514 bytes, then tampering and replay fail', ({ seal, open }) => {
    const sender = new SecureSender(PSK, VNI, { crypto: seal });
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

  it.each([
    { name: 'the first counter', first: 0n },
    { name: 'crossing 2^32', first: (1n << 32n) - 1n },
    { name: 'the last usable counter, then exhausted', first: (1n << 64n) - 2n },
  ])('the native counter goes as the JavaScript one does: $name', ({ first }) => {
    const senders = [nodeSessionCrypto, native].map((crypto) => new SecureSender(PSK, VNI, { crypto, session: 0x0123456789abcdefn, firstCounter: first }));
    const outs = senders.map(() => Buffer.alloc(200));
    for (let i = 0; i < 3; i++) {
      const n = senders.map((s, k) => s.seal(SecureType.KEEPALIVE, Buffer.alloc(24, i), 0, 24, outs[k]!, 0));
      expect(n[1]).toBe(n[0]);
      expect(senders[1]!.nextCounter).toBe(senders[0]!.nextCounter);
      if (n[0]! > 0) expect(outs[1]!.subarray(0, n[0]).equals(outs[0]!.subarray(0, n[0]))).toBe(true); // same key, nonce, header: same bytes
    }
  });

  it('a session with another key does not open it (auth), whichever AEAD', () => {
    const sender = new SecureSender(PSK, VNI, { crypto: native });
    const other = new PeerSession('another pre-shared key entirely', VNI, sender.session, nodeSessionCrypto);
    const out = Buffer.alloc(200);
    const n = sender.seal(SecureType.FRAME, Buffer.alloc(60, 1), 0, 60, out, 0);
    expect(new SecureReceiver(VNI).open(out, 0, n, () => other)).toBe('auth');
  });

  it('shows no key material when printed or inspected', () => {
    for (const o of [new m.Sealer(Buffer.alloc(32, 0xab), VNI, 1n, 0n), new m.Opener(Buffer.alloc(32, 0xab), 1n)]) {
      expect(JSON.stringify(o)).not.toMatch(/ab/i);
      expect(inspect(o, { showHidden: true, getters: true })).not.toMatch(/abab/i);
      expect(Object.keys(o)).toEqual([]);
    }
  });

  it('refuses bad arguments with a clear error, never a crash', () => {
    expect(() => new m.Sealer(Buffer.alloc(31), VNI, 1n, 0n)).toThrow(/32-byte key/);
    expect(() => new m.Opener(Buffer.alloc(32), -1n)).toThrow(/64-bit/);
    const o = new m.Opener(Buffer.alloc(32), 1n);
    expect(() => o.open(Buffer.alloc(10), 5, 10)).toThrow(/outside the buffer/);
    expect(o.open(Buffer.alloc(39), 0, 39)).toBe(false);
    const s = new m.Sealer(Buffer.alloc(32), VNI, 1n, 0n);
    expect(s.seal(SecureType.FRAME, Buffer.alloc(20), 0, 20, Buffer.alloc(50), 0)).toBe(-1); // no room for the tag
    expect(() => s.seal(SecureType.FRAME, Buffer.alloc(20), 10, 20, Buffer.alloc(100), 0)).toThrow(/outside the buffer/);
    expect(s.nextCounter).toBe(0n);
  });
});
