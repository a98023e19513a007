// Key figures at a glance.

import type { ReactElement, ReactNode } from 'react';
import { DROP_REASONS } from '../../../electron/model/snapshot.js';
import { formatBitRate, formatCount, formatPps } from '../../../electron/model/format.js';
import { isLive, isNewPeer, useBridge } from '../stores/bridge-store.js';

function Kpi({ label, value, sub, tone }: { label: string; value: ReactNode; sub?: ReactNode; tone?: string }): ReactElement {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value num">{value}</div>
      {sub !== undefined && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

export function SummaryStrip(): ReactElement {
  const snapshot = useBridge((s) => s.snapshot);
  const rates = useBridge((s) => s.rates);
  const running = useBridge((s) => s.phase === 'running');
  const live = useBridge(isLive);
  const legs = snapshot?.legs ?? [];
  const up = legs.filter((l) => l.state === 'running').length;
  const failed = legs.filter((l) => l.state === 'error').length;
  const peers = snapshot?.peers ?? [];
  const learned = peers.filter((p) => p.origin === 'learned').length;
  const fresh = snapshot ? peers.filter((p) => isNewPeer(p, snapshot.time, live)).length : 0;
  const drops = legs.reduce((n, l) => n + DROP_REASONS.reduce((m, r) => m + l.drops[r], 0), 0);
  // Stopped: nothing flows, whatever the last rates were.
  const t = live ? rates?.total : undefined;
  return (
    <div className="kpis">
      <Kpi
        label="Legs up"
        value={running ? `${up} / ${legs.length}` : '—'}
        sub={failed > 0 ? `${failed} failed` : running ? 'all healthy' : 'not running'}
        tone={failed > 0 ? 'err' : undefined}
      />
      <Kpi
        label="Remote VTEPs"
        value={formatCount(snapshot?.peerCount ?? peers.length)}
        sub={
          <>
            {formatCount(learned)} learned{fresh > 0 && <span className="accent-text"> · +{fresh} new</span>}
          </>
        }
      />
      <Kpi label="MAC addresses" value={formatCount(snapshot?.macCount ?? 0)} sub="learned, all segments" />
      <Kpi label="Receive" value={<span className="rx-text">{formatBitRate(t?.rxBps ?? 0)}</span>} sub={formatPps(t?.rxPps ?? 0)} />
      <Kpi label="Send" value={<span className="tx-text">{formatBitRate(t?.txBps ?? 0)}</span>} sub={formatPps(t?.txPps ?? 0)} />
      <Kpi label="Drops" value={formatCount(drops)} sub="total, all reasons" />
    </div>
  );
}
