// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticHost } from '../api/host.js';
import { resetBridge, useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { resetDrafts, useDrafts } from '../stores/draft-store.js';
import { createFakeApi, SAMPLE_NICS, type FakeApi } from '../testing/fake-api.js';
import { StartStop } from './Header.js';
import { LegsPanel } from './LegsPanel.js';

let fake: FakeApi;

beforeEach(async () => {
  resetDrafts();
  resetBridge();
  fake = createFakeApi();
  useConnection.getState().setHost(staticHost(fake.api));
  await useConnection.getState().refreshNics();
});
afterEach(cleanup);

function ui() {
  return render(
    <>
      <StartStop />
      <LegsPanel />
    </>,
  );
}

describe('leg editor', () => {
  it('shows the parser error on the field and in the leg string, and disables Start', () => {
    useDrafts.getState().add({ kind: 'W', nic: 'Microsoft KM-TEST Loopback Adapter' });
    const id = useDrafts.getState().add({ kind: 'V', vLocal: '10.10.1.10', peers: ['10.10.2.10'] });
    useDrafts.getState().select(id);
    ui();
    const start = screen.getByRole('button', { name: /start/i });
    expect((start as HTMLButtonElement).disabled).toBe(false);

    fireEvent.change(screen.getByLabelText('Remote VTEP 1'), { target: { value: '10.10.2.300' } });

    expect(screen.getByLabelText('Remote VTEP 1').getAttribute('aria-invalid')).toBe('true');
    const error = screen.getByTestId('leg-error');
    expect(error.textContent).toContain("'10.10.2.300' is not an IPv4 address");
    expect(error.querySelector('mark')?.textContent).toBe('10.10.2.300');
    expect((screen.getByRole('button', { name: /start/i }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('start-blocker').textContent).toMatch(/^Leg 2: /);

    fireEvent.click(screen.getByRole('button', { name: /start/i }));
    expect(fake.calls.some((c) => c.method === 'startBridge')).toBe(false);
  });

  it('a lone multicast group in unicast mode: error on the Remote VTEP row, plain words, "Invalid leg"', () => {
    useDrafts.getState().add({ kind: 'W', nic: 'Microsoft KM-TEST Loopback Adapter' });
    const id = useDrafts.getState().add({ kind: 'V', vLocal: '10.10.1.10', peers: ['10.10.2.10'] });
    useDrafts.getState().select(id);
    ui();
    fireEvent.change(screen.getByLabelText('Remote VTEP 1'), { target: { value: '239.1.1.1' } });

    const peer = screen.getByLabelText('Remote VTEP 1');
    expect(peer.getAttribute('aria-invalid')).toBe('true');
    const row = peer.closest('.peer-row') as HTMLElement;
    expect(within(row).getByRole('alert').textContent).toBe('239.1.1.1 is a multicast group: choose Multicast mode, or enter unicast VTEP addresses');
    const verdict = screen.getByTestId('leg-error').textContent ?? '';
    expect(verdict).toContain('239.1.1.1 is a multicast group');
    expect(verdict).toMatch(/expected unicast VTEP addresses/);
    expect(verdict).not.toMatch(/unexpected mode/i);
    expect(screen.getByText('Invalid leg')).toBeTruthy();
    expect((screen.getByRole('button', { name: /start/i }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('starts with the canonical legs once the input is fixed', async () => {
    useDrafts.getState().add({ kind: 'W', nic: 'Microsoft KM-TEST Loopback Adapter' });
    const id = useDrafts.getState().add({ kind: 'V', vLocal: '10.10.1.10', peers: ['10.10.2.x'] });
    useDrafts.getState().select(id);
    ui();
    expect((screen.getByRole('button', { name: /start/i }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Remote VTEP 1'), { target: { value: '10.10.2.10' } });
    expect(screen.queryByTestId('leg-error')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: /start/i }));
    });
    expect(fake.lastLegs).toEqual(['5000#W:E@Microsoft KM-TEST Loopback Adapter', '5000#V:E@10.10.1.10:10.10.2.10']);
    expect(useBridge.getState().phase).toBe('running');
    expect((screen.getByRole('button', { name: /stop/i }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('has a form for every VXLAN mode and shows what the leg does', () => {
    const id = useDrafts.getState().add({ kind: 'V', vLocal: '203.0.113.5' });
    useDrafts.getState().select(id);
    ui();
    const modes = screen.getByRole('radiogroup', { name: 'VXLAN mode' });
    fireEvent.click(within(modes).getByRole('radio', { name: 'Provider' }));
    expect(useDrafts.getState().legs[0]!.text).toBe('5000#V:E@203.0.113.5:0');
    expect(screen.getByText(/provider VTEP on 203\.0\.113\.5:4789/)).toBeTruthy();

    fireEvent.click(within(modes).getByRole('radio', { name: 'Access' }));
    fireEvent.change(screen.getByLabelText('Provider address'), { target: { value: '203.0.113.9' } });
    fireEvent.click(within(screen.getByRole('radiogroup', { name: 'Encryption' })).getByRole('radio', { name: 'Typed key' }));
    fireEvent.change(screen.getByLabelText('Pre-shared key'), { target: { value: 's3cret' } });
    fireEvent.click(screen.getByRole('button', { name: /8472/ }));
    expect(useDrafts.getState().legs[0]!.text).toBe('5000#V:E@*:203.0.113.9*s3cret:8472');

    fireEvent.click(within(modes).getByRole('radio', { name: 'Multicast' }));
    fireEvent.change(screen.getByLabelText('Local address'), { target: { value: '10.1.1.1' } });
    fireEvent.change(screen.getByLabelText('Multicast group'), { target: { value: '10.1.1.2' } });
    expect(screen.getByLabelText('Multicast group').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(screen.getByLabelText('Multicast group'), { target: { value: '239.1.1.1' } });
    expect(screen.queryByTestId('leg-error')).toBeNull();
  });

  it('takes the key typed, from an environment variable or from a file', () => {
    const id = useDrafts.getState().add({ kind: 'V', mode: 'provider', vLocal: '203.0.113.5', port: '8000' });
    useDrafts.getState().select(id);
    ui();
    const encryption = screen.getByRole('radiogroup', { name: 'Encryption' });
    expect(
      within(encryption)
        .getAllByRole('radio')
        .map((r) => r.textContent),
    ).toEqual(['None', 'Typed key', 'Env var', 'Key file']);

    // Typed: stored in the profile, visible on the command line; a ':' is refused in the grammar's words.
    fireEvent.click(within(encryption).getByRole('radio', { name: 'Typed key' }));
    expect(screen.getByTestId('key-exposure').textContent).toMatch(/stored in the profile and is visible to anyone who can read the profile or the ubdg command line/);
    fireEvent.change(screen.getByLabelText('Pre-shared key'), { target: { value: 'zq:12' } });
    const key = screen.getByLabelText('Pre-shared key');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    const keyField = key.closest('.field') as HTMLElement;
    expect(within(keyField).getByRole('alert').textContent).toMatch(/^a KEY cannot contain ':' \(after the key, ':' starts the PORT\)/);
    expect((screen.getByRole('button', { name: /start/i }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Pre-shared key'), { target: { value: 'zq12' } });
    expect(useDrafts.getState().legs[0]!.text).toBe('5000#V:E@203.0.113.5:0*zq12:8000');
    expect(screen.getByTestId('key-exposure')).toBeTruthy(); // still said once the key is valid

    // From a file: a path field and when ubdg reads it; the leg string holds the path only.
    fireEvent.click(within(encryption).getByRole('radio', { name: 'Key file' }));
    expect(screen.queryByTestId('key-exposure')).toBeNull();
    expect(screen.queryByLabelText('Pre-shared key')).toBeNull();
    const path = screen.getByLabelText('Key file path');
    expect(screen.getByTestId('key-file-note').textContent).toMatch(/ubdg reads the key from this file when the leg starts/);
    expect(path.getAttribute('aria-invalid')).toBe('true'); // no path yet
    fireEvent.change(path, { target: { value: 'C:\\keys\\lab.key' } });
    expect(useDrafts.getState().legs[0]!.text).toBe('5000#V:E@203.0.113.5:0*file:C:\\keys\\lab.key:8000');
    expect(screen.queryByTestId('leg-error')).toBeNull();

    // From the environment.
    fireEvent.click(within(encryption).getByRole('radio', { name: 'Env var' }));
    fireEvent.change(screen.getByLabelText('Environment variable'), { target: { value: 'LAB_KEY' } });
    expect(useDrafts.getState().legs[0]!.text).toBe('5000#V:E@203.0.113.5:0*env:LAB_KEY:8000');
  });

  it('fills the key file choice from a typed leg string', () => {
    const id = useDrafts.getState().add({ kind: 'V' });
    useDrafts.getState().select(id);
    ui();
    fireEvent.change(screen.getByLabelText(/Leg string/), { target: { value: '5000#V:E@*:203.0.113.5*file:/etc/vxbridge/lab.key' } });
    const encryption = screen.getByRole('radiogroup', { name: 'Encryption' });
    expect(within(encryption).getByRole('radio', { name: 'Key file' }).getAttribute('aria-checked')).toBe('true');
    expect((screen.getByLabelText('Key file path') as HTMLInputElement).value).toBe('/etc/vxbridge/lab.key');
  });

  it('edits the leg string directly and fills the form from it', () => {
    const id = useDrafts.getState().add({ kind: 'V' });
    useDrafts.getState().select(id);
    ui();
    fireEvent.change(screen.getByLabelText(/Leg string/), { target: { value: '7#U:E@0.0.0.0:10000:127.0.0.1:10001' } });
    expect((screen.getByLabelText('Remote port') as HTMLInputElement).value).toBe('10001');
    expect((screen.getByLabelText('Segment') as HTMLInputElement).value).toBe('7');
  });

  it('pastes a command line through the dialog', () => {
    ui();
    fireEvent.click(screen.getByRole('button', { name: 'Paste a ubdg command line' }));
    const box = screen.getByLabelText('ubdg command line');
    fireEvent.change(box, { target: { value: 'ubdg 5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10 5000#W:E@eth0 --bogus' } });
    expect(screen.getAllByRole('listitem').length).toBeGreaterThanOrEqual(2);
    fireEvent.change(box, { target: { value: 'ubdg 5000#V:E@10.10.1.10' } });
    expect(screen.getByRole('alert').textContent).toContain('leg 1 of 1');
    expect((screen.getByRole('button', { name: 'Use these legs' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(box, { target: { value: 'ubdg 5000#V:E@10.10.1.10:10.10.2.10 5000#W:E@eth0' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use these legs' }));
    expect(useDrafts.getState().legs.map((l) => l.text)).toEqual(['5000#V:E@10.10.1.10:10.10.2.10', '5000#W:E@eth0']);
  });

  it('locks the legs while the bridge runs', async () => {
    useDrafts.getState().paste('5000#W:E@eth0 5000#V:E@10.0.0.1:0');
    ui();
    await act(async () => {
      await useBridge.getState().start(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0']);
    });
    expect(screen.getByText(/stop it to change the legs/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Add leg' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

void SAMPLE_NICS;
