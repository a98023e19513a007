// SessionCrypto over the native module (OpenSSL's EVP, the key set once per
// session): the counter and the replay windows live in native memory, where
// the fast path (native-fast-path.ts) seals and opens with the same state.
import type { Opener, Sealer, SessionCrypto } from '../electron/engine/ports/session-crypto-port.js';
import type { DataPlaneModule, NativeOpener, NativeSealer } from './dataplane-module.js';

export function nativeSessionCrypto(m: DataPlaneModule): SessionCrypto {
  return {
    sealer: (key, vni, session, firstCounter) => new m.Sealer(key, vni, session, firstCounter),
    opener: (key, session) => new m.Opener(key, session),
  };
}

/** The native Sealer behind `s`, or undefined if `s` is another implementation (then no fast path). */
export function nativeSealerOf(m: DataPlaneModule, s: Sealer): NativeSealer | undefined {
  return s instanceof m.Sealer ? s : undefined;
}

export function nativeOpenerOf(m: DataPlaneModule, o: Opener): NativeOpener | undefined {
  return o instanceof m.Opener ? o : undefined;
}
