import { describe, expect, it } from 'vitest';
import type { BridgeSnapshot } from '../model/snapshot.js';
import { zeroDrops } from '../model/snapshot.js';
import { formatSummary } from './summary.js';

const snapshot = (over: Partial<BridgeSnapshot>): BridgeSnapshot => ({
  time: 0,
  running: true,
  legs: [],
  peers: [],
  macs: [],
  peerCount: 0,
  macCount: 0,
  ...over,
});

describe('formatSummary', () => {
  it('counts every learned MAC, not just the ones the snapshot lists', () => {
    const macs = [{ segment: 1, mac: '02:00:00:00:00:01', leg: 0, ageSeconds: 1 }];
    expect(formatSummary(snapshot({ macs, macCount: 70_000 }))).toContain('(70000 MACs learned)');
  });

  it('shows traffic in binary units and only the drops that happened', () => {
    const drops = { ...zeroDrops(), oversize: 3 };
    const leg = { id: 0, leg: '1#W:E@eth0', kind: 'W' as const, segment: 1, state: 'running' as const, warnings: [], drops, encrypted: false };
    const text = formatSummary(snapshot({ legs: [{ ...leg, rxPackets: 2, rxBytes: 1536, txPackets: 0, txBytes: 0 }] }));
    expect(text).toContain('rx 2 pkts 1.50 KiB');
    expect(text).toContain('drops: oversize 3');
    expect(text).not.toContain('echo');
  });
});
