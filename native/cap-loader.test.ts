import { describe, expect, it } from 'vitest';
import { withNpcapOnPath } from './cap-loader.js';

describe('withNpcapOnPath', () => {
  const npcap = 'C:\\Windows\\System32\\Npcap';
  const has = (p: string) => p === npcap;
  it.each([
    ['prepends the Npcap folder', 'C:\\Windows\\system32;C:\\bin', 'C:\\Windows', has, `${npcap};C:\\Windows\\system32;C:\\bin`],
    ['defaults SystemRoot', 'C:\\bin', undefined, has, `${npcap};C:\\bin`],
    ['works without PATH', undefined, 'C:\\Windows', has, npcap],
    ['leaves PATH alone when already there (any case)', 'c:\\windows\\system32\\npcap;C:\\bin', 'C:\\Windows', has, undefined],
    ['leaves PATH alone without Npcap', 'C:\\bin', 'C:\\Windows', () => false, undefined],
  ])('%s', (_what, path, root, exists, want) => {
    expect(withNpcapOnPath(path, root, exists)).toBe(want);
  });
});
