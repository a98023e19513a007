// The human status block ubdg prints every few seconds.

import { formatBytes } from '../model/format.js';
import type { BridgeSnapshot } from '../model/snapshot.js';

export function formatSummary(s: BridgeSnapshot): string {
  const lines = s.legs.map((l) => {
    const drops = Object.entries(l.drops)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    return `  [${l.id}] ${l.state.padEnd(8)} rx ${l.rxPackets} pkts ${formatBytes(l.rxBytes)}  tx ${l.txPackets} pkts ${formatBytes(l.txBytes)}${drops ? `  drops: ${drops}` : ''}`;
  });
  const peers = s.peers.length > 0 ? `  peers: ${s.peers.map((p) => `${p.address}${p.origin === 'learned' ? '*' : ''}`).join(' ')}` : '';
  return `ubdg: status (${s.macCount} MACs learned)\n${lines.join('\n')}\n${peers ? peers + '\n' : ''}`;
}
