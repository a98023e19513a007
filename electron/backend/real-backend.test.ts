import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProfileStore } from './profiles/profile-store.js';
import { createBackend } from './backend.js';
import { createFakeBridge } from './fake-bridge.js';
import type { LegSpec } from '../model/leg-spec.js';

describe('backend with the real grammar', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('resolves W leg adapters before building the bridge, and names the leg when it cannot', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vxb-real-'));
    dirs.push(dataDir);
    const built: (readonly LegSpec[])[] = [];
    const b = createBackend({
      host: 'browser',
      version: '1',
      profiles: createProfileStore({ dataDir }),
      createBridge: (legs) => {
        built.push(legs);
        return createFakeBridge(legs);
      },
      listNics: async () => [],
      resolveNic: async (q) => (q === 'Loopback' ? { ok: true, name: '\\Device\\NPF_{1234}' } : { ok: false, error: `No network adapter matches "${q}".` }),
    });
    const r = await b.handlers['bridge:start'](['5000#W:E@Loopback', '5000#V:E@10.0.0.1:10.0.0.2']);
    expect(r.ok).toBe(true);
    expect(built[0]?.[0]).toMatchObject({ kind: 'W', nic: '\\Device\\NPF_{1234}' });
    await b.handlers['bridge:stop']();
    expect(await b.handlers['bridge:start'](['5000#V:E@10.0.0.1:10.0.0.2', '5000#W:E@wifi'])).toEqual({ ok: false, error: 'legs[1]: No network adapter matches "wifi".' });
    const bad = await b.handlers['bridge:start'](['5000#V:E@10.0.0.1:0*topsecret:99999']);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toMatch(/^legs\[0\]: invalid leg "5000#V:E@10\.0\.0\.1:0\*\*\*\*\*:99999": /);
      expect(bad.error).not.toContain('topsecret');
    }
    await b.dispose();
  });
});
