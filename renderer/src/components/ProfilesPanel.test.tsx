// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { staticHost, type ApiHost } from '../api/host.js';
import { resetBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { resetDrafts } from '../stores/draft-store.js';
import { resetProfiles, useProfiles } from '../stores/profile-store.js';
import { createFakeApi, type FakeApi } from '../testing/fake-api.js';
import { ProfilesPanel } from './ProfilesPanel.js';

const KEYED = ['5000#W:E@eth0', '5000#V:E@203.0.113.5:0*s3cret-lab:8000', '6000#V:E@*:203.0.113.9*file:/etc/vxbridge/b.key'];
const REFERENCED = ['5000#W:E@eth0', '5000#V:E@203.0.113.5:0*env:LAB_KEY'];

let fake: FakeApi;

async function setup(kind: ApiHost['kind'] = 'electron') {
  resetBridge();
  resetDrafts();
  resetProfiles();
  fake = createFakeApi({
    profiles: [
      { version: 1, name: 'keyed', legs: KEYED },
      { version: 1, name: 'referenced', legs: REFERENCED },
    ],
  });
  useConnection.getState().setHost(staticHost(fake.api, kind));
  await useProfiles.getState().refresh();
  render(<ProfilesPanel />);
}

const exports = () => fake.calls.filter((c) => c.method === 'exportProfile' || c.method === 'exportProfileJson');

async function click(el: HTMLElement) {
  await act(async () => {
    fireEvent.click(el);
  });
}

beforeEach(() => {
  vi.restoreAllMocks();
});
afterEach(cleanup);

describe('export: keys typed into legs', () => {
  it('exports a profile without typed keys at once, asking nothing', async () => {
    await setup();
    await click(screen.getByRole('button', { name: 'Export referenced' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(exports()).toEqual([{ method: 'exportProfile', args: ['referenced', { includeKeys: false }] }]);
  });

  it('asks first when the profile holds typed keys; default: without them, written as *env:VXBRIDGE_KEY', async () => {
    await setup();
    await click(screen.getByRole('button', { name: 'Export keyed' }));
    const dialog = screen.getByRole('dialog', { name: 'Export profile' });
    expect(exports()).toEqual([]);
    const include = within(dialog).getByRole('checkbox', { name: 'Include the keys in the file' }) as HTMLInputElement;
    expect(include.checked).toBe(false);
    const note = within(dialog).getByTestId('export-keys-note').textContent ?? '';
    expect(note).toContain('*env:VXBRIDGE_KEY');
    expect(note).toMatch(/a leg without its key would import as an unencrypted leg/);
    expect(note).toMatch(/legs stay encrypted/);
    expect(within(dialog).queryByTestId('export-keys-warning')).toBeNull();

    await click(within(dialog).getByRole('button', { name: 'Export without the keys' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(exports()).toEqual([{ method: 'exportProfile', args: ['keyed', { includeKeys: false }] }]);
  });

  it('warns that the file holds the keys in clear when they are included', async () => {
    await setup();
    await click(screen.getByRole('button', { name: 'Export keyed' }));
    const dialog = screen.getByRole('dialog', { name: 'Export profile' });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Include the keys in the file' }));
    expect(within(dialog).getByTestId('export-keys-warning').textContent).toMatch(/The file will hold the keys in clear/);
    const go = within(dialog).getByRole('button', { name: 'Export with the keys' });
    expect(go.classList.contains('btn-danger')).toBe(true);
    await click(go);
    expect(exports()).toEqual([{ method: 'exportProfile', args: ['keyed', { includeKeys: true }] }]);
  });

  it('cancel exports nothing', async () => {
    await setup();
    await click(screen.getByRole('button', { name: 'Export keyed' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(exports()).toEqual([]);
  });

  it('in a browser, the downloaded file holds no typed key', async () => {
    const blobs: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: vi.fn((b: Blob) => (blobs.push(b), 'blob:export')),
      revokeObjectURL: vi.fn(),
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await setup('browser');
    await click(screen.getByRole('button', { name: 'Export keyed' }));
    await click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Export without the keys' }));
    expect(exports()).toEqual([{ method: 'exportProfileJson', args: ['keyed', { includeKeys: false }] }]);
    expect(blobs).toHaveLength(1);
    const text = await new Promise<string>((resolve) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.readAsText(blobs[0]!);
    });
    expect(text).not.toContain('s3cret-lab');
    expect(JSON.parse(text).legs).toEqual(['5000#W:E@eth0', '5000#V:E@203.0.113.5:0*env:VXBRIDGE_KEY:8000', '6000#V:E@*:203.0.113.9*file:/etc/vxbridge/b.key']);
  });
});
