import { describe, expect, it } from 'vitest';
import { describeReplayWindow } from './replay-window.cases.js';
import { ReplayWindow, WINDOW_SIZE } from './replay-window.js';

describeReplayWindow('ReplayWindow', () => new ReplayWindow());

describe('ReplayWindow, this implementation', () => {
  it('covers 4096 counters', () => {
    expect(WINDOW_SIZE).toBe(4096);
  });

  it('prints its highest counter only', () => {
    const w = new ReplayWindow();
    w.accept(0, 42);
    expect(String(w)).toBe('ReplayWindow(highest 42)');
  });
});
