import { beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from '../api/host.js';
import { createFakeApi, type FakeApi } from '../testing/fake-api.js';
import { useConnection } from './connection-store.js';
import { resetDrafts, useDrafts } from './draft-store.js';
import { profileHasLiteralKeys, profileNameProblem, resetProfiles, useProfiles } from './profile-store.js';

let fake: FakeApi;
const p = () => useProfiles.getState();

beforeEach(() => {
  resetDrafts();
  resetProfiles();
  fake = createFakeApi({
    profiles: [{ version: 1, name: 'lab', legs: ['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2'], autoStart: true }],
    recent: ['lab'],
  });
  useConnection.getState().setHost(staticHost(fake.api));
});

describe('profile store', () => {
  it('loads a profile into the editor', async () => {
    await p().refresh();
    expect(p().list.map((x) => x.name)).toEqual(['lab']);
    expect(await p().load('lab')).toBe(true);
    expect(useDrafts.getState().legs.map((l) => l.text)).toEqual(['5000#W:E@eth0', '5000#V:E@10.0.0.1:10.0.0.2']);
    expect(p().current).toBe('lab');
    expect(p().autoStart).toBe(true);
  });

  it('save as, then save, rename and delete', async () => {
    useDrafts.getState().paste('5000#W:E@eth1 5000#V:E@10.0.0.1:0');
    await p().refresh();
    expect(await p().save('lab')).toBe(false);
    expect(p().error).toContain('already exists');
    expect(await p().save('site-b')).toBe(true);
    expect(fake.profiles.get('site-b')?.legs).toEqual(['5000#W:E@eth1', '5000#V:E@10.0.0.1:0']);
    expect(p().current).toBe('site-b');
    expect(p().recent[0]).toBe('site-b');
    useDrafts.getState().paste('5000#W:E@eth2 5000#V:E@10.0.0.1:0');
    expect(await p().save()).toBe(true);
    expect(fake.profiles.get('site-b')?.legs[0]).toBe('5000#W:E@eth2');
    expect(await p().rename('site-b', 'site-c')).toBe(true);
    expect(p().current).toBe('site-c');
    expect(p().list.map((x) => x.name)).toEqual(['lab', 'site-c']);
    expect(await p().remove('site-c')).toBe(true);
    expect(p().current).toBeNull();
    expect(p().list.map((x) => x.name)).toEqual(['lab']);
  });

  it('does not save invalid legs', async () => {
    useDrafts.getState().add({ kind: 'V', vLocal: 'nope' });
    expect(await p().save('x')).toBe(false);
    expect(p().error).toMatch(/Cannot save: Leg 1/);
    expect(fake.profiles.has('x')).toBe(false);
  });

  it('checks names', () => {
    expect(profileNameProblem('')).toMatch(/name/);
    expect(profileNameProblem('a/b')).toMatch(/cannot contain/);
    expect(profileNameProblem('Lab', [{ name: 'lab', legCount: 1, updatedAt: '' }])).toMatch(/exists/);
    expect(profileNameProblem('Site A')).toBeNull();
  });

  it('knows which saved profiles hold typed keys, and passes the export choice on', async () => {
    fake.profiles.set('keyed', { version: 1, name: 'keyed', legs: ['5000#V:E@10.0.0.1:0*s3cret'] });
    fake.profiles.set('env', { version: 1, name: 'env', legs: ['5000#V:E@10.0.0.1:0*env:LAB_KEY', '5000#V:E@*:10.0.0.1*file:/k'] });
    await p().refresh();
    expect(['keyed', 'env', 'lab', 'nope'].map((n) => profileHasLiteralKeys(p().list, n))).toEqual([true, false, false, false]);
    expect(await p().exportProfile('keyed', { includeKeys: false })).toBe('C:\\Users\\me\\Documents\\keyed.vxbridge.json');
    expect(await p().exportProfile('keyed', { includeKeys: true })).not.toBeNull();
    expect(fake.calls.filter((c) => c.method === 'exportProfile').map((c) => c.args)).toEqual([
      ['keyed', { includeKeys: false }],
      ['keyed', { includeKeys: true }],
    ]);
  });

  it('reports host errors', async () => {
    expect(await p().load('nope')).toBe(false);
    expect(p().error).toContain('No profile');
  });
});
