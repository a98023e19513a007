// The human status block ubdg prints every few seconds.

import type { BridgeSnapshot } from '../model/snapshot.js';

export function formatSummary(s: BridgeSnapshot): string {
  const lines = s.legs.map((l) => {
    const drops = Object.entries(l.drops)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    return `  [${l.id}] ${l.state.padEnd(8)} rx ${l.rxPackets} pkts ${bytes(l.rxBytes)}  tx ${l.txPackets} pkts ${bytes(l.txBytes)}${drops ? `  drops: ${drops}` : ''}`;
  });
  const peers = s.peers.length > 0 ? `  peers: ${s.peers.map((p) => `${p.address}${p.origin === 'learned' ? '*' : ''}`).join(' ')}` : '';
  return `ubdg: status (${s.macs.length} MACs learned)\n${lines.join('\n')}\n${peers ? peers + '\n' : ''}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
