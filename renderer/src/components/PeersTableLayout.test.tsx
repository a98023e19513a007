// @vitest-environment jsdom
// The peer table's columns: receive and send share one Rate column; a narrow
// table (compact) leaves out Leg and First seen and keeps what they said.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerSnapshot } from '../../../electron/model/snapshot.js';
import { legSnapshots } from '../testing/fake-api.js';
import { PeersTable, type PeerRow } from './LiveTables.js';

afterEach(cleanup);

const NOW = 1_700_000_000_000;
const legs = legSnapshots(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0']);
const peer: PeerSnapshot = {
  leg: 1,
  address: '198.51.100.7:40001',
  origin: 'configured',
  verified: true,
  firstSeen: NOW - 120_000,
  lastSeen: NOW - 1000,
  rxPackets: 10,
  rxBytes: 2048,
  txPackets: 5,
  txBytes: 512,
};
const row: PeerRow = { key: `1|${peer.address}`, peer, rate: { rxBps: 12_000, txBps: 0, rxPps: 3, txPps: 0 } };

const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent?.replace(/[▲▼]/g, '').trim());
const cells = () => within(screen.getAllByRole('row')[1]!).getAllByRole('cell');

describe('peer table columns', () => {
  it('wide: every column, receive over send in Rate, bytes both ways in Traffic', () => {
    render(<PeersTable rows={[row]} legs={legs} now={NOW} height={200} />);
    expect(headers()).toEqual(['Status', 'Remote VTEP', 'Verified', 'Leg', 'First seen', 'Last seen', 'Rate', 'Traffic']);
    const c = cells();
    expect(c[6]?.textContent).toBe('↓ 12.0 kbit/s ↑ 0 bit/s');
    expect(c[6]?.querySelector('[title]')?.getAttribute('title')).toBe('Receive 3.0 pps, send 0 pps');
    expect(c[7]?.textContent).toBe('↓ 2.00 KiB ↑ 512 B');
  });

  it('compact: no Leg and First seen columns; the leg under the address, the first sighting in a tooltip', () => {
    const { container } = render(<PeersTable rows={[row]} legs={legs} now={NOW} height={200} compact />);
    expect(headers()).toEqual(['Status', 'Remote VTEP', 'Verified', 'Last seen', 'Rate', 'Traffic']);
    expect(container.querySelector('.vtable.compact')).not.toBeNull();
    expect(cells()[1]?.textContent).toBe('198.51.100.7:40001 L2 · V 5000');
    expect(container.querySelector('.last-seen')?.getAttribute('title')).toBe('First seen 2 min ago');
  });
});
