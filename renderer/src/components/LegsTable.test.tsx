// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROP_REASONS, type BridgeSnapshot } from '../../../electron/model/snapshot.js';
import { resetBridge, useBridge } from '../stores/bridge-store.js';
import { legSnapshots } from '../testing/fake-api.js';
import { DROP_HELP, DROP_LABEL, LegsTable } from './LegsTable.js';

beforeEach(resetBridge);
afterEach(cleanup);

function snapshot(drops: Partial<Record<(typeof DROP_REASONS)[number], number>>): BridgeSnapshot {
  const [w, v] = legSnapshots(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0*file:/etc/vxbridge/lab.key']);
  return {
    time: Date.now(),
    running: true,
    legs: [w!, { ...v!, drops: { ...v!.drops, ...drops } }],
    peers: [],
    macs: [],
    peerCount: 0,
    macCount: 0,
  };
}

describe('legs table: drops by reason', () => {
  it('has a label and a plain-words explanation for every reason', () => {
    for (const r of DROP_REASONS) {
      expect(DROP_LABEL[r]).toBeTruthy();
      expect(DROP_HELP[r].length).toBeGreaterThan(20);
    }
  });

  it('lists the secure-leg reasons (auth, replay, unverified) with what they mean', () => {
    act(() => useBridge.getState().ingest(snapshot({ auth: 3, replay: 2, unverified: 5 })));
    render(<LegsTable />);
    const drops = screen.getByRole('button', { name: '10' });
    expect(drops.classList.contains('serious')).toBe(true);
    fireEvent.click(drops);
    const detail = document.querySelector('.drop-reasons') as HTMLElement;
    const chip = (label: string) => within(detail).getByText(label, { exact: false }).closest('.drop-chip') as HTMLElement;
    expect(chip('auth failed').textContent).toBe('auth failed 3');
    expect(chip('auth failed').title).toMatch(/^Failed authentication: sent with a wrong key, or forged/);
    expect(chip('replay').textContent).toBe('replay 2');
    expect(chip('replay').title).toMatch(/^A packet seen before/);
    expect(chip('unverified').textContent).toBe('unverified 5');
    expect(chip('unverified').title).toMatch(/^From a sender that has not proved itself yet/);
    expect(detail.querySelectorAll('.drop-chip')).toHaveLength(3);
  });
});
