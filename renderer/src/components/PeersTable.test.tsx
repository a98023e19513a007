// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerSnapshot } from '../../../electron/model/snapshot.js';
import { ZERO_RATE } from '../lib/rates.js';
import { legSnapshots } from '../testing/fake-api.js';
import { PeersTable, type PeerRow } from './LiveTables.js';

afterEach(cleanup);

const NOW = 1_700_000_000_000;
const legs = legSnapshots(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0']);

function rows(n: number): PeerRow[] {
  return Array.from({ length: n }, (_, i) => {
    const peer: PeerSnapshot = {
      leg: 1,
      address: `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}:${40000 + i}`,
      origin: 'learned',
      firstSeen: NOW - 60_000 - i * 1000,
      lastSeen: NOW - (i % 300) * 1000,
      rxPackets: i,
      rxBytes: i * 1000,
      txPackets: i,
      txBytes: i * 500,
    };
    return { key: `1|${peer.address}`, peer, rate: ZERO_RATE };
  });
}

describe('peer table', () => {
  it('renders 1000 peers windowed: only the visible rows are in the DOM', () => {
    const { container } = render(<PeersTable rows={rows(1000)} legs={legs} now={NOW} height={400} />);
    const table = screen.getByRole('table', { name: 'Remote VTEPs' });
    expect(table.getAttribute('aria-rowcount')).toBe('1001');
    const bodyRows = container.querySelectorAll('.vtable-body [role="row"]');
    expect(bodyRows.length).toBeGreaterThan(5);
    expect(bodyRows.length).toBeLessThan(40);
    // The body is as tall as all rows, so the scrollbar is right.
    expect((container.querySelector('.vtable-body') as HTMLElement).style.height).toBe(`${1000 * 30}px`);
  });

  it('renders other rows when scrolled', () => {
    const { container } = render(<PeersTable rows={rows(1000)} legs={legs} now={NOW} height={400} />);
    const viewport = container.querySelector('.vtable-viewport') as HTMLElement;
    const firstIndex = () => Number(container.querySelector('.vtable-body [role="row"]')!.getAttribute('aria-rowindex'));
    expect(firstIndex()).toBe(2);
    viewport.scrollTop = 15_000;
    fireEvent.scroll(viewport);
    expect(firstIndex()).toBeGreaterThan(400);
    expect(container.querySelectorAll('.vtable-body [role="row"]').length).toBeLessThan(40);
  });

  it('highlights new peers, shows ageing and expired ones', () => {
    const fresh: PeerRow = {
      key: '1|203.0.113.9:41000',
      peer: { leg: 1, address: '203.0.113.9:41000', origin: 'learned', firstSeen: NOW - 2000, lastSeen: NOW - 500, rxPackets: 1, rxBytes: 1, txPackets: 0, txBytes: 0 },
      rate: ZERO_RATE,
    };
    const old: PeerRow = {
      key: '1|203.0.113.10:41001',
      peer: { leg: 1, address: '203.0.113.10:41001', origin: 'learned', firstSeen: NOW - 900_000, lastSeen: NOW - 280_000, rxPackets: 1, rxBytes: 1, txPackets: 0, txBytes: 0 },
      rate: ZERO_RATE,
    };
    const gone: PeerRow = { ...old, key: '1|203.0.113.11:41002', peer: { ...old.peer, address: '203.0.113.11:41002' }, expiredAt: NOW - 1000 };
    const { container } = render(<PeersTable rows={[fresh, old, gone]} legs={legs} now={NOW} height={400} />);
    const byAddr = (a: string) => screen.getByText(a).closest('[role="row"]') as HTMLElement;
    expect(byAddr('203.0.113.9:41000').classList.contains('peer-new')).toBe(true);
    expect(within(byAddr('203.0.113.9:41000')).getByText('new')).toBeTruthy();
    expect(byAddr('203.0.113.10:41001').classList.contains('peer-expiring')).toBe(true);
    expect(within(byAddr('203.0.113.10:41001')).getByText('4 min ago')).toBeTruthy();
    expect(byAddr('203.0.113.11:41002').classList.contains('peer-expired')).toBe(true);
    expect(container.querySelectorAll('.agebar').length).toBe(2);
  });

  it('sorts by a column', () => {
    const { container } = render(<PeersTable rows={rows(50)} legs={legs} now={NOW} height={2000} />);
    fireEvent.click(screen.getByRole('button', { name: /Traffic/ }));
    const first = container.querySelector('.vtable-body [role="row"] .mono')!.textContent;
    expect(first).toBe('198.51.0.50:40049');
  });
});
