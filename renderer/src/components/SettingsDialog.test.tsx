// @vitest-environment jsdom
// The Settings dialog (the data plane the next Start uses) and the header's
// badge of the data plane that runs, against the in-memory API.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from '../api/host.js';
import { App } from '../App.js';
import { connectApp } from '../stores/app.js';
import { useBridge } from '../stores/bridge-store.js';
import { useDrafts } from '../stores/draft-store.js';
import { useNotices } from '../stores/notice-store.js';
import { flush, resetStores } from '../testing/app-harness.js';
import { createFakeApi, type FakeApi, type FakeApiOptions } from '../testing/fake-api.js';

const LEGS = ['5000#V:E@10.10.1.10:0'];
let fake: FakeApi;
let disconnect: (() => void) | undefined;

async function open(options: FakeApiOptions = {}) {
  fake = createFakeApi(options);
  disconnect = connectApp(staticHost(fake.api), { restoreRecent: false });
  render(<App />);
  await flush();
}

async function openSettings() {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
  });
  await flush();
  return screen.getByRole('dialog', { name: 'Settings' });
}

const radio = (dialog: HTMLElement, name: RegExp) => within(dialog).getByRole('radio', { name }) as HTMLInputElement;

async function start() {
  useDrafts.getState().replaceAll(LEGS);
  await act(async () => {
    await useBridge.getState().start(LEGS, null);
  });
  await flush();
}

beforeEach(() => {
  resetStores();
  useNotices.setState({ notices: [] });
});
afterEach(() => {
  disconnect?.();
  disconnect = undefined;
  cleanup();
});

describe('Settings dialog', () => {
  it('shows the saved data plane with the focus on it, saves a new one, and gives the focus back', async () => {
    await open({ host: 'browser' });
    const button = screen.getByRole('button', { name: 'Settings' });
    button.focus();
    const dialog = await openSettings();
    const auto = radio(dialog, /^Automatic \(recommended\)/);
    expect(auto.checked).toBe(true);
    expect(document.activeElement).toBe(auto);
    expect(within(dialog).getByText('Kept in /home/me/.config/vxbridge/settings.json')).toBeTruthy();
    // Unchanged: nothing to save.
    const save = within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    fireEvent.click(radio(dialog, /^JavaScript \(portable\)/));
    expect(save.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(save);
    });
    await flush();
    expect(fake.calls.filter((c) => c.method === 'saveSettings')).toEqual([{ method: 'saveSettings', args: [{ dataPlane: 'js' }] }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(useNotices.getState().notices.map((n) => n.text)).toContain('Settings saved.');

    // Opened again (or after a reload): what the host keeps.
    const again = await openSettings();
    expect(radio(again, /^JavaScript/).checked).toBe(true);
  });

  it('Escape and Cancel close it without saving', async () => {
    await open();
    let dialog = await openSettings();
    fireEvent.click(radio(dialog, /^JavaScript/));
    fireEvent.keyDown(window, { key: 'Escape' });
    await flush();
    expect(screen.queryByRole('dialog')).toBeNull();
    dialog = await openSettings();
    expect(radio(dialog, /^Automatic/).checked).toBe(true); // the pick was not kept
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((c) => c.method === 'saveSettings')).toBe(false);
  });

  it('offers Native only on Linux hosts', async () => {
    await open(); // the fake host says win32
    const dialog = await openSettings();
    const native = radio(dialog, /^Native \(Linux\)/);
    expect(native.disabled).toBe(true);
    expect(within(dialog).getByText('Linux only (this host runs win32).')).toBeTruthy();
  });

  it('says when VXB_DATA_PLANE on the host overrides the setting', async () => {
    await open({ envDataPlane: 'js' });
    const dialog = await openSettings();
    expect(within(dialog).getByTestId('settings-env-override').textContent).toBe(
      'VXB_DATA_PLANE=js is set where vxbridge runs: it overrides this setting (JavaScript (portable) is used) until it is unset.',
    );
  });

  it('says why a settings file was not used, once as a notice, and lets Save replace it', async () => {
    fake = createFakeApi();
    fake.settingsProblem = 'The settings file /x/settings.json was not used: the file is not valid JSON. The defaults apply until the settings are saved again.';
    disconnect = connectApp(staticHost(fake.api), { restoreRecent: false });
    render(<App />);
    await flush();
    expect(useNotices.getState().notices.map((n) => n.text)).toEqual([`${fake.settingsProblem} (see Settings)`]);
    const dialog = await openSettings();
    expect(within(dialog).getByTestId('settings-problem').textContent).toBe(fake.settingsProblem);
    expect(useNotices.getState().notices).toHaveLength(1); // reloading on open does not repeat it
    const save = within(dialog).getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(false);
    await act(async () => {
      fireEvent.click(save);
    });
    await flush();
    expect(fake.settings).toEqual({ dataPlane: 'auto' });
    expect(fake.settingsProblem).toBeUndefined();
  });
});

describe('which data plane runs', () => {
  it('a badge while running; auto fallen back says why, and opens Settings, which says a change waits for the next Start', async () => {
    await open({ dataPlaneOutcome: () => ({ kind: 'js', fallback: 'the native data plane is not built (run npm ci)' }) });
    expect(screen.queryByTestId('data-plane-badge')).toBeNull();
    await start();
    const badge = screen.getByTestId('data-plane-badge');
    expect(badge.textContent).toBe('Data planeJavaScript (native unavailable)');
    expect(badge.getAttribute('title')).toBe(
      'Data plane: JavaScript, chosen automatically. Native unavailable: the native data plane is not built (run npm ci). Click for Settings.',
    );
    await act(async () => {
      fireEvent.click(badge);
    });
    await flush();
    const dialog = screen.getByRole('dialog', { name: 'Settings' });
    expect(within(dialog).getByTestId('settings-running-note').textContent).toBe(
      'Data plane: JavaScript, chosen automatically. Native unavailable: the native data plane is not built (run npm ci). A running bridge keeps its data plane: a change applies at the next Start.',
    );
    fireEvent.click(radio(dialog, /^JavaScript/));
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    });
    await flush();
    expect(useNotices.getState().notices.map((n) => n.text)).toContain('Settings saved: the data plane applies at the next Start.');
    // Still what runs, until the next Start.
    expect(screen.getByTestId('data-plane-badge').textContent).toBe('Data planeJavaScript (native unavailable)');

    await act(async () => {
      await useBridge.getState().stop();
    });
    expect(screen.queryByTestId('data-plane-badge')).toBeNull();
    await start();
    expect(screen.getByTestId('data-plane-badge').textContent).toBe('Data planeJavaScript (native unavailable)'); // the fake's outcome
    expect(fake.setup?.dataPlane).toMatchObject({ choice: 'js', source: 'setting' });
  });

  it('a page that connects to a running bridge shows it too (what the backend says), and names VXB_DATA_PLANE', async () => {
    fake = createFakeApi({ envDataPlane: 'native' });
    await fake.api.startBridge(LEGS, null);
    disconnect = connectApp(staticHost(fake.api), { restoreRecent: false });
    render(<App />);
    await flush();
    const badge = screen.getByTestId('data-plane-badge');
    expect(badge.textContent).toBe('Data planeNative');
    expect(badge.getAttribute('aria-label')).toBe('Data plane: Native, chosen by VXB_DATA_PLANE=native where vxbridge runs. Open Settings');
  });
});
