// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from './api/host.js';
import { App } from './App.js';
import { connectApp } from './stores/app.js';
import { useBridge } from './stores/bridge-store.js';
import { flush, resetStores } from './testing/app-harness.js';
import { createFakeApi, legSnapshots, type FakeApi } from './testing/fake-api.js';

const LEGS = ['5000#W:E@Microsoft KM-TEST Loopback Adapter', '5000#V:E@10.10.1.10:0'];
let fake: FakeApi;
let disconnect: () => void;

beforeEach(resetStores);
afterEach(() => {
  disconnect?.();
  cleanup();
});

describe('App', () => {
  it('opens the recent profile, adopts the bridge the host auto-started, and shows live snapshots', async () => {
    fake = createFakeApi({ profiles: [{ version: 1, name: 'lab', legs: LEGS, autoStart: true }], recent: ['lab'] });
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    // The renderer never starts an auto-start profile itself: the host does.
    expect(fake.calls.some((c) => c.method === 'startBridge')).toBe(false);
    expect(screen.getByText('VXLAN provider on 10.10.1.10')).toBeTruthy();
    expect(screen.getByTestId('bridge-status').textContent).toContain('Stopped');

    const legs = legSnapshots(LEGS);
    const at = (time: number, k: number) => ({
      time,
      running: true,
      legs: legs.map((l) => ({ ...l, rxPackets: k * 10, rxBytes: k * 12_500, txPackets: k * 10, txBytes: k * 12_500 })),
      peers: [
        {
          leg: 1,
          address: '198.51.100.7:40001',
          origin: 'learned' as const,
          verified: true,
          firstSeen: time,
          lastSeen: time,
          rxPackets: k,
          rxBytes: k * 100,
          txPackets: 0,
          txBytes: 0,
        },
      ],
      macs: [{ segment: 5000, mac: '02:00:00:00:00:01', leg: 1, peer: '198.51.100.7:40001', ageSeconds: 0 }],
      peerCount: 1,
      macCount: 1,
    });
    await act(async () => {
      const t0 = Date.now() + 1000;
      fake.emitSnapshot(at(t0, 1));
      fake.emitSnapshot(at(t0 + 1000, 2));
    });
    expect(screen.getByTestId('bridge-status').textContent).toContain('Running');
    expect(screen.getAllByText('100 kbit/s').length).toBeGreaterThan(0);
    expect(screen.getAllByText('198.51.100.7:40001').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('tab', { name: /MAC table/ }));
    expect(screen.getByText('02:00:00:00:00:01')).toBeTruthy();

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /stop/i }));
    });
    await flush();
    expect(useBridge.getState().phase).toBe('idle');
    expect(screen.getByTestId('bridge-status').textContent).toContain('Stopped');
  });

  it('counts only learned peers as new, and after Stop every rate reads 0 and nothing is new', async () => {
    fake = createFakeApi({ profiles: [{ version: 1, name: 'lab', legs: LEGS }], recent: ['lab'] });
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^start$/i }));
    });
    await flush();
    const legs = legSnapshots(LEGS);
    const at = (time: number, k: number) => ({
      time,
      running: true,
      legs: legs.map((l) => ({ ...l, rxPackets: k * 10, rxBytes: k * 12_500, txPackets: k * 10, txBytes: k * 12_500 })),
      peers: [
        {
          leg: 1,
          address: '198.51.100.7:40001',
          origin: 'learned' as const,
          verified: true,
          firstSeen: time,
          lastSeen: time,
          rxPackets: k,
          rxBytes: k * 100,
          txPackets: 0,
          txBytes: 0,
        },
        {
          leg: 1,
          address: '192.0.2.20:4789',
          origin: 'configured' as const,
          verified: true,
          firstSeen: time,
          lastSeen: time,
          rxPackets: k,
          rxBytes: k * 100,
          txPackets: 0,
          txBytes: 0,
        },
      ],
      macs: [],
      peerCount: 2,
      macCount: 0,
    });
    await act(async () => {
      const t0 = Date.now() + 1000;
      fake.emitSnapshot(at(t0, 1));
      fake.emitSnapshot(at(t0 + 1000, 2));
    });
    const kpi = (label: string) => screen.getByText(label, { selector: '.kpi-label' }).closest('.kpi') as HTMLElement;
    expect(kpi('Remote VTEPs').textContent).toContain('1 learned · +1 new');
    const legend = () => [...document.querySelectorAll('.legend-item b')].map((b) => b.textContent);
    // Each line is one leg: received + sent.
    expect(legend()).toEqual(['200 kbit/s', '200 kbit/s']);
    expect(document.querySelector('.legend-peak')?.textContent).toBe('peak 200 kbit/s');
    // Axis ticks: 1-2-5 steps with units.
    const ticks = [...document.querySelectorAll('.chart .tick')].map((t) => t.textContent).filter((t) => t === '0' || /bit\/s$/.test(t ?? ''));
    expect(ticks).toEqual(['0', '50 kbit/s', '100 kbit/s', '150 kbit/s', '200 kbit/s', '250 kbit/s']);

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /stop/i }));
    });
    await flush();
    expect(screen.getByTestId('bridge-status').textContent).toContain('Stopped');
    expect(kpi('Receive').textContent).toContain('0 bit/s');
    expect(kpi('Remote VTEPs').textContent).not.toContain('new');
    expect(legend()).toEqual(['—', '—']);
    expect(document.querySelector('.legend-peak')).toBeNull();
    expect(screen.getByRole('tab', { name: /Remote VTEPs/ }).textContent).not.toContain('new');
    const rows = [...screen.getByRole('table', { name: 'Remote VTEPs' }).querySelectorAll('.vtable-body [role="row"]')];
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.classList.contains('peer-new')).toBe(false);
      expect(r.textContent).toContain('stopped');
      expect(r.textContent).not.toMatch(/[1-9][\d.]* k?bit\/s/);
    }
    const legRows = [...screen.getByRole('table', { name: 'Legs' }).querySelectorAll('tr.leg-row')];
    for (const r of legRows) expect(r.textContent).not.toMatch(/[1-9][\d.]* k?bit\/s/);
  });

  it('shows a start error and starts nothing else', async () => {
    fake = createFakeApi({ profiles: [{ version: 1, name: 'lab', legs: LEGS }], recent: ['lab'], startError: 'Npcap is not installed.' });
    disconnect = connectApp(staticHost(fake.api));
    render(<App />);
    await flush();
    expect(useBridge.getState().phase).toBe('idle');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /^start$/i }));
    });
    await flush();
    expect(screen.getByTestId('bridge-error').textContent).toContain('Npcap is not installed.');
    expect(screen.getByTestId('bridge-status').textContent).toContain('Stopped');
  });

  it('shows the disconnected state of the browser host', async () => {
    fake = createFakeApi();
    const h = staticHost(fake.api, 'browser');
    disconnect = connectApp({ ...h, status: () => ({ state: 'disconnected', detail: 'The connection to the vxbridge host was lost.' }) });
    render(<App />);
    await flush();
    expect(screen.getByTestId('disconnected-banner').textContent).toContain('lost');
    expect(screen.getByTestId('link-state').textContent).toBe('Disconnected');
  });
});
