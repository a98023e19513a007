// The native Opener's replay window follows the engine's rules, row for row
// (electron/engine/crypto/replay-window.cases.ts).
import { describe, expect, it } from 'vitest';
import { describeReplayWindow } from '../../electron/engine/crypto/replay-window.cases.js';
import { loadDataPlaneModule, type DataPlaneModule } from '../dataplane-module.js';

const loaded = loadDataPlaneModule();

describe.runIf(process.platform === 'linux')('native Opener', () => {
  it('the native module loads on Linux', () => {
    expect('module' in loaded ? 'loaded' : loaded.problem).toBe('loaded');
  });
  const m = (loaded as { module?: DataPlaneModule }).module;
  if (m !== undefined) describeReplayWindow('its replay window', () => new m.Opener(Buffer.alloc(32, 7), 42n));
});
