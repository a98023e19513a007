// The pre-shared key of an encrypted V leg, read when the leg starts: from the
// leg string, an environment variable (`*env:NAME`) or a file (`*file:PATH`).
// Errors say where the key should come from, never what it is.

import { readFileSync } from 'node:fs';
import type { VxlanLegSpec } from '../../model/leg-spec.js';
import { FixableError } from '../../model/user-error.js';

/** Below this many characters a key is warned about: one captured packet lets anyone try keys offline. */
export const WEAK_KEY_CHARS = 16;
/** A key file larger than this is not a key file. */
const KEY_FILE_MAX_BYTES = 4096;

export function readLegKey(spec: VxlanLegSpec, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (spec.keyEnv !== undefined) {
    const v = env[spec.keyEnv];
    if (v === undefined || v === '') {
      throw new FixableError(
        `environment variable ${spec.keyEnv} (the leg's key) is not set`,
        `set it before starting, e.g. export ${spec.keyEnv}='…' (sudo -E keeps it), or give the key another way`,
      );
    }
    return v;
  }
  if (spec.keyFile !== undefined) {
    let text: string;
    try {
      const buf = readFileSync(spec.keyFile);
      if (buf.length > KEY_FILE_MAX_BYTES) throw new Error(`larger than ${KEY_FILE_MAX_BYTES} bytes`);
      text = buf.toString('utf8');
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
      throw new FixableError(
        `cannot read the key file ${spec.keyFile} (${why})`,
        'check the path and that this user may read it (chmod 600, owned by the user that runs the bridge)',
      );
    }
    const key = text.replace(/\r?\n$/, '');
    if (key === '') throw new FixableError(`the key file ${spec.keyFile} is empty`, 'put the pre-shared key in it, on one line');
    if (/[\r\n]/.test(key)) throw new FixableError(`the key file ${spec.keyFile} holds more than one line`, 'put only the pre-shared key in it, on one line');
    return key;
  }
  return spec.key;
}
