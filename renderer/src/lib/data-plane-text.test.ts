import { describe, expect, it } from 'vitest';
import type { DataPlaneRun } from '../../../electron/model/data-plane.js';
import { runBadgeText, runSentence } from './data-plane-text.js';

const cases: readonly [DataPlaneRun, string, string][] = [
  [{ choice: 'auto', source: 'setting', kind: 'native' }, 'Native', 'Data plane: Native, chosen automatically.'],
  [{ choice: 'js', source: 'setting', kind: 'js' }, 'JavaScript', 'Data plane: JavaScript, as chosen in Settings.'],
  [{ choice: 'native', source: 'env', kind: 'native' }, 'Native', 'Data plane: Native, chosen by VXB_DATA_PLANE=native where vxbridge runs.'],
  [
    { choice: 'auto', source: 'env', kind: 'js', fallback: 'the native data plane is for Linux (this is win32)' },
    'JavaScript (native unavailable)',
    'Data plane: JavaScript, chosen by VXB_DATA_PLANE=auto where vxbridge runs. Native unavailable: the native data plane is for Linux (this is win32).',
  ],
];

describe('data plane in words', () => {
  it.each(cases)('%j → %s', (run, badge, sentence) => {
    expect(runBadgeText(run)).toBe(badge);
    expect(runSentence(run)).toBe(sentence);
  });
});
