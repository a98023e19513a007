import { describe, expect, it } from 'vitest';
import type { Profile } from '../model/profile-schema.js';
import { ProfileError } from './profiles/profile-store.js';
import { createRunningSetup } from './running-setup.js';

const LEGS = ['5000#W:E@eth0', '5000#V:E@10.0.0.1:0*s3cret-key:8000'];

/** A profile store that holds `profiles` and counts reads. */
function store(profiles: Profile[]) {
  const reads: string[] = [];
  return {
    reads,
    async read(name: string): Promise<Profile> {
      reads.push(name);
      const p = profiles.find((x) => x.name === name);
      if (!p) throw new ProfileError('not-found', `There is no profile named "${name}".`);
      return p;
    },
  };
}

describe('running setup', () => {
  it('is null until a bridge starts, and after clear', async () => {
    const s = createRunningSetup();
    expect(await s.describe(store([]))).toBeNull();
    s.started(LEGS, null, 1000);
    expect(await s.describe(store([]))).toEqual({ legs: LEGS, profile: null, startedAt: 1000 });
    s.clear();
    expect(s.record()).toBeNull();
  });

  it('names the profile with its legs as stored now: the baseline for unsaved changes', async () => {
    const s = createRunningSetup();
    s.started(LEGS, 'lab', 5);
    const profiles = store([{ version: 1, name: 'lab', legs: [LEGS[0]!], autoStart: true }]);
    expect(await s.describe(profiles)).toEqual({ legs: LEGS, profile: { name: 'lab', legs: [LEGS[0]], autoStart: true }, startedAt: 5 });
    expect(profiles.reads).toEqual(['lab']);
  });

  it('a profile deleted since makes it an unsaved setup', async () => {
    const s = createRunningSetup();
    s.started(LEGS, 'gone', 5);
    expect(await s.describe(store([]))).toMatchObject({ profile: null, legs: LEGS });
  });

  it('saving the running legs under a name makes it that profile; other legs do not', () => {
    const s = createRunningSetup();
    s.started(LEGS, null, 5);
    s.saved('other', [LEGS[0]!]);
    expect(s.record()?.profile).toBeNull();
    s.saved('lab', [...LEGS]);
    expect(s.record()).toEqual({ legs: LEGS, profile: 'lab', startedAt: 5, dataPlane: null });
  });

  it('follows a rename of its profile only', () => {
    const s = createRunningSetup();
    s.started(LEGS, 'lab', 5);
    s.renamed('other', 'x');
    expect(s.record()?.profile).toBe('lab');
    s.renamed('lab', 'site');
    expect(s.record()?.profile).toBe('site');
  });

  it('keeps its own copy of the legs', () => {
    const s = createRunningSetup();
    const legs = [...LEGS];
    s.started(legs, null, 5);
    legs.pop();
    expect(s.record()?.legs).toEqual(LEGS);
  });

  it('which data plane runs: what Start asked for with what the bridge got; left out while either is unknown', async () => {
    const s = createRunningSetup();
    s.started(LEGS, null, 5, { choice: 'auto', source: 'setting' });
    expect(await s.describe(store([]))).toEqual({ legs: LEGS, profile: null, startedAt: 5 });
    expect(await s.describe(store([]), { kind: 'js', fallback: 'the native data plane is for Linux (this is win32)' })).toEqual({
      legs: LEGS,
      profile: null,
      startedAt: 5,
      dataPlane: { choice: 'auto', source: 'setting', kind: 'js', fallback: 'the native data plane is for Linux (this is win32)' },
    });
    s.started(LEGS, null, 6);
    expect(await s.describe(store([]), { kind: 'native' })).toEqual({ legs: LEGS, profile: null, startedAt: 6 });
  });
});
