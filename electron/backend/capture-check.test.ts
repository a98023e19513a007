import { describe, expect, it } from 'vitest';
import { CaptureError } from '../engine/ports/capture-port.js';
import { diagnoseCapture, NPCAP_MISSING, NPCAP_NOT_COMPAT, readEffectiveCaps, type CaptureProbes } from './capture-check.js';

const base: CaptureProbes = { platform: 'linux', fileExists: () => false, uid: 1000, execPath: '/usr/bin/node', listNics: async () => [] };

describe('diagnoseCapture', () => {
  const win = (files: string[]): CaptureProbes => ({ ...base, platform: 'win32', systemRoot: 'C:\\Windows', fileExists: (f) => files.includes(f) });
  const cases: readonly [string, CaptureProbes, string | undefined][] = [
    ['Windows without Npcap', win([]), NPCAP_MISSING],
    ['Windows, Npcap not in WinPcap mode', win(['C:\\Windows\\System32\\Npcap\\wpcap.dll']), NPCAP_NOT_COMPAT],
    ['Windows, Npcap in WinPcap mode', win(['C:\\Windows\\System32\\Npcap\\wpcap.dll', 'C:\\Windows\\System32\\wpcap.dll']), undefined],
    ['Linux root', { ...base, uid: 0, effectiveCaps: () => 0n }, undefined],
    ['Linux user without CAP_NET_RAW', { ...base, effectiveCaps: () => 0n }, 'sudo setcap cap_net_raw,cap_net_admin=eip "/usr/bin/node"'],
    ['Linux user with CAP_NET_RAW', { ...base, effectiveCaps: () => (1n << 13n) | (1n << 12n) }, undefined],
    ['Linux, caps unknown', { ...base, effectiveCaps: () => undefined }, undefined],
    [
      'capture layer error',
      {
        ...base,
        uid: 0,
        listNics: async () => {
          throw new CaptureError('driver-missing', 'The pcap binding could not be loaded.', 'npm rebuild cap');
        },
      },
      'The pcap binding could not be loaded. Fix: npm rebuild cap',
    ],
    [
      'other error',
      {
        ...base,
        uid: 0,
        listNics: async () => {
          throw new Error('weird');
        },
      },
      'Network adapters cannot be listed: weird',
    ],
  ];
  it.each(cases)('%s', async (_l, probes, want) => {
    const got = await diagnoseCapture(probes);
    if (want === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(want);
  });

  it('the Npcap texts link the download and name WinPcap-compatible mode', () => {
    for (const t of [NPCAP_MISSING, NPCAP_NOT_COMPAT]) {
      expect(t).toContain('https://npcap.com/#download');
      expect(t).toContain('WinPcap API-compatible Mode');
    }
  });

  it('reads CapEff', () => {
    expect(readEffectiveCaps('Name:\tnode\nCapEff:\t000001ffffffffff\n')).toBe(0x1ffffffffffn);
    expect(readEffectiveCaps('nothing')).toBeUndefined();
  });
});
