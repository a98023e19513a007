import { describe, expect, it } from 'vitest';
import type { NicInfo } from '../model/nic-info.js';
import type { LegSpec } from '../model/leg-spec.js';
import { resolveNic, formatNicTable } from '../../native/resolve-nic.js';
import { chooseNics } from './nic-choice.js';

const nic = (index: number, name: string, description: string, unsuitable?: string): NicInfo => ({
  name,
  description,
  index,
  addresses: [],
  flags: { up: true, loopback: false, wireless: false, ...(unsuitable ? { unsuitable } : {}) },
});
const nics = [
  nic(1, '\\Device\\NPF_{AAA}', 'Microsoft KM-TEST Loopback Adapter'),
  nic(2, '\\Device\\NPF_Loopback', 'Adapter for loopback traffic capture', 'Npcap loopback cannot be bridged'),
  nic(3, 'eth1', 'eth1'),
];
const deps = (ask: ((q: string) => Promise<string>) | null) => ({ nics, resolve: resolveNic, table: formatNicTable, ask });
const W = (n?: string): LegSpec => (n === undefined ? { kind: 'W', segment: 5000 } : { kind: 'W', segment: 5000, nic: n });
const V: LegSpec = { kind: 'V', segment: 5000, local: '10.0.0.1', remote: { mode: 'unicast', peers: ['10.0.0.2'] } };

describe('chooseNics', () => {
  it('resolves friendly names and indexes to the adapter name pcap opens, leaves other legs alone', async () => {
    const r = await chooseNics([V, W('Microsoft KM-TEST Loopback Adapter'), W('3')], deps(null));
    expect(r).toEqual({ ok: true, specs: [V, W('\\Device\\NPF_{AAA}'), W('eth1')] });
  });
  it('asks on a terminal when the leg names no adapter', async () => {
    const questions: string[] = [];
    const r = await chooseNics(
      [W()],
      deps(async (q) => (questions.push(q), ' 1 ')),
    );
    expect(r).toEqual({ ok: true, specs: [W('\\Device\\NPF_{AAA}')] });
    expect(questions[0]).toMatch(/KM-TEST/);
  });
  it('without a terminal fails as a usage error and shows the list', async () => {
    const r = await chooseNics([W()], deps(null));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.usage).toBe(true);
      expect(r.error).toMatch(/5000#W:E@eth0/);
      expect(r.error).toMatch(/KM-TEST/);
    }
  });
  it('refuses an adapter that cannot be a bridge port, saying why', async () => {
    const r = await chooseNics([W('2')], deps(null));
    expect(r).toMatchObject({ ok: false, usage: false, error: expect.stringMatching(/cannot be a bridge port: Npcap loopback/) });
  });
  it('names a missing adapter', async () => {
    const r = await chooseNics([W('nope0')], deps(null));
    expect(r).toMatchObject({ ok: false, usage: false, error: expect.stringMatching(/nope0/) });
  });
});
