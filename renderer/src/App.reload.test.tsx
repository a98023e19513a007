// @vitest-environment jsdom
// A page opened (or reloaded) while a bridge runs shows exactly what runs, as the
// backend says: legs in the editor (read-only), adapter, profile, MAC table,
// recent events; and "Save as…" works.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from './api/host.js';
import { App } from './App.js';
import { connectApp } from './stores/app.js';
import { flush, resetStores } from './testing/app-harness.js';
import { createFakeApi, legSnapshots, type FakeApi } from './testing/fake-api.js';

const NIC = 'Intel(R) Ethernet Connection I219-LM';
const LEGS = [`5000#W:E@${NIC}`, '5000#V:E@10.10.1.10:0'];
const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02'];
let fake: FakeApi;
let disconnect: () => void;

/** A backend that has run `LEGS` for a minute: MACs learned, events in its ring. */
function runningBackend(profile: string | null, saved: readonly string[] = LEGS): FakeApi {
  const f = createFakeApi({
    profiles: [
      { version: 1, name: 'lab', legs: saved },
      { version: 1, name: 'older', legs: ['1#W:E@eth9'] },
    ],
    recent: ['older'],
  });
  const now = Date.now();
  f.running = {
    time: now,
    running: true,
    legs: legSnapshots(LEGS),
    peers: [],
    macs: MACS.map((mac) => ({ segment: 5000, mac, leg: 0, ageSeconds: 3 })),
    peerCount: 0,
    macCount: MACS.length,
  };
  f.setup = { legs: LEGS, profile, startedAt: now - 60_000 };
  f.emitEvent({ type: 'leg-state', leg: 0, state: 'running' });
  f.emitEvent({ type: 'peer-learned', leg: 1, address: '198.51.100.7:40001' });
  return f;
}

const profileName = () => document.querySelector('.header-profile-name')?.textContent;

beforeEach(resetStores);
afterEach(() => {
  disconnect?.();
  cleanup();
});

describe('App connected to a running bridge (a reload)', () => {
  it('an unsaved setup: legs read-only in the editor, the adapter, MACs and events; Save as… saves it', async () => {
    fake = runningBackend(null);
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();

    expect(screen.getByTestId('bridge-status').textContent).toContain('Running');
    expect(screen.queryByText('No legs yet')).toBeNull();
    expect([...document.querySelectorAll('.leg-item-sub')].map((e) => e.textContent)).toEqual(LEGS);
    expect(screen.getByText('The bridge is running: stop it to change the legs.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Add leg' }) as HTMLButtonElement).disabled).toBe(true);
    // Not the recent profile: what runs.
    expect(fake.calls.some((c) => c.method === 'loadProfile')).toBe(false);
    expect(screen.getByRole('button', { name: 'Network adapter' }).textContent).toContain(NIC);
    expect(profileName()).toBe('Unsaved setup');
    // Uptime from the backend's start, not from this page's load.
    expect(document.querySelector('.status-uptime')?.textContent).toMatch(/^1:0\d$|^1 min/);

    const kpi = screen.getByText('MAC addresses', { selector: '.kpi-label' }).closest('.kpi') as HTMLElement;
    expect(kpi.querySelector('.kpi-value')?.textContent).toBe('2');
    fireEvent.click(screen.getByRole('tab', { name: /MAC table/ }));
    for (const mac of MACS) expect(screen.getByText(mac)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: /Events/ }));
    expect(screen.getByText('Leg 1 is running')).toBeTruthy();
    expect(screen.getByText('Learned VTEP 198.51.100.7:40001 on leg 2')).toBeTruthy();

    const saveAs = screen.getByRole('button', { name: 'Save as…' }) as HTMLButtonElement;
    expect(saveAs.disabled).toBe(false);
    fireEvent.click(saveAs);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'saved while running' } });
    await act(async () => {
      fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Save' }));
    });
    await flush();
    expect(fake.profiles.get('saved while running')?.legs).toEqual(LEGS);
    expect(profileName()).toBe('saved while running');
    expect(document.querySelector('.profiles-panel .badge')).toBeNull();
  });

  it('a profile started with changes: its name, marked modified', async () => {
    fake = runningBackend('lab', [LEGS[1]!]);
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    expect(profileName()).toBe('lab');
    expect(document.querySelector('.profiles-panel .badge')?.textContent).toBe('modified');
    expect(document.querySelector('.dirty-dot')).not.toBeNull();
  });

  it('the same profile unchanged: its name, not modified', async () => {
    fake = runningBackend('lab');
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    expect(profileName()).toBe('lab');
    expect(document.querySelector('.profiles-panel .badge')).toBeNull();
  });

  it('Start tells the backend which profile the editor holds, so that a reload names it', async () => {
    fake = createFakeApi({ profiles: [{ version: 1, name: 'lab', legs: LEGS }], recent: ['lab'] });
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^start$/i }));
    });
    await flush();
    expect(fake.calls.find((c) => c.method === 'startBridge')?.args).toEqual([LEGS, 'lab']);
    expect(fake.setup?.profile).toBe('lab');
  });
});
