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
      verified: true,
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
      peer: {
        leg: 1,
        address: '203.0.113.9:41000',
        origin: 'learned',
        verified: true,
        firstSeen: NOW - 2000,
        lastSeen: NOW - 500,
        rxPackets: 1,
        rxBytes: 1,
        txPackets: 0,
        txBytes: 0,
      },
      rate: ZERO_RATE,
    };
    const old: PeerRow = {
      key: '1|203.0.113.10:41001',
      peer: {
        leg: 1,
        address: '203.0.113.10:41001',
        origin: 'learned',
        verified: true,
        firstSeen: NOW - 900_000,
        lastSeen: NOW - 280_000,
        rxPackets: 1,
        rxBytes: 1,
        txPackets: 0,
        txBytes: 0,
      },
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

  describe('verified peers and sessions', () => {
    // L2: a keyed provider leg (key from a file), L3: a plain multicast leg, L4: a keyed unicast leg.
    const keyedLegs = legSnapshots(['5000#W:E@eth0', '5000#V:E@10.0.0.1:0*file:/etc/vxbridge/lab.key', '5000#V:E@10.0.0.1:239.1.1.1', '5000#V:E@10.0.0.1:10.0.0.2*s3cret']);
    const peer = (p: Partial<PeerSnapshot> & Pick<PeerSnapshot, 'leg' | 'address' | 'origin' | 'verified'>): PeerRow => ({
      key: `${p.leg}|${p.address}`,
      peer: { firstSeen: NOW - 60_000, lastSeen: NOW - 1000, rxPackets: 1, rxBytes: 1, txPackets: 1, txBytes: 1, ...p },
      rate: ZERO_RATE,
    });
    const confirmed = peer({ leg: 1, address: '198.51.100.7:40001', origin: 'learned', verified: true, session: '1a2b3c4d5e6f7081' });
    const unverified = peer({ leg: 2, address: '10.0.0.9:4789', origin: 'learned', verified: false });
    const configuredWaiting = peer({ leg: 3, address: '10.0.0.2:4789', origin: 'configured', verified: true });
    const configuredKeyed = peer({ leg: 3, address: '10.0.0.3:4789', origin: 'configured', verified: true, session: 'ffeeddccbbaa9988' });
    const all = [confirmed, unverified, configuredWaiting, configuredKeyed];
    const rowOf = (address: string) => screen.getByText(address).closest('[role="row"]') as HTMLElement;

    it('says whether each peer is verified, and why', () => {
      render(<PeersTable rows={all} legs={keyedLegs} now={NOW} height={400} />);
      expect(screen.getByRole('columnheader', { name: /Verified/ })).toBeTruthy();
      const badge = (address: string) => rowOf(address).querySelector('.trust, .badge') as HTMLElement;
      expect(badge('198.51.100.7:40001').textContent).toBe('✓ confirmed');
      expect(badge('198.51.100.7:40001').title).toMatch(/^Verified: learned, and proved itself/);
      expect(badge('10.0.0.2:4789').textContent).toBe('✓ configured');
      expect(badge('10.0.0.2:4789').title).toMatch(/^Verified: listed in the leg/);
      // An unverified learned peer is marked as such, in words and as a row class.
      expect(badge('10.0.0.9:4789').textContent).toBe('unverified');
      expect(badge('10.0.0.9:4789').classList.contains('badge-warn')).toBe(true);
      expect(badge('10.0.0.9:4789').title).toMatch(/^Not verified: learned from a sender that has not proved itself yet/);
      expect(rowOf('10.0.0.9:4789').classList.contains('peer-unverified')).toBe(true);
      expect(rowOf('198.51.100.7:40001').classList.contains('peer-unverified')).toBe(false);
    });

    it('shows the session id of keyed legs, short, with the full id in the tooltip', () => {
      render(<PeersTable rows={all} legs={keyedLegs} now={NOW} height={400} />);
      const session = (address: string) => rowOf(address).querySelector('.session') as HTMLElement | null;
      expect(session('198.51.100.7:40001')?.textContent).toBe('1a2b3c4d');
      expect(session('198.51.100.7:40001')?.title).toMatch(/^Session 1a2b3c4d5e6f7081: /);
      expect(session('10.0.0.3:4789')?.textContent).toBe('ffeeddcc');
      // A keyed leg's peer without a confirmed session yet says so; a plain leg's peer has no session at all.
      expect(session('10.0.0.2:4789')?.textContent).toBe('no session');
      expect(session('10.0.0.9:4789')).toBeNull();
    });

    it('sorts unverified peers first by the Verified column', () => {
      const { container } = render(<PeersTable rows={all} legs={keyedLegs} now={NOW} height={400} />);
      fireEvent.click(screen.getByRole('button', { name: /Verified/ }));
      const order = () => [...container.querySelectorAll('.vtable-body [role="row"] .trust-cell')].map((b) => b.firstElementChild?.textContent);
      expect(order()).toEqual(['unverified', '✓ confirmed', '✓ configured', '✓ configured']);
      fireEvent.click(screen.getByRole('button', { name: /Verified/ }));
      expect(order()[3]).toBe('unverified');
    });
  });
});
