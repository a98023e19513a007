// The running legs: state, receive/send rates, a sparkline, drops by reason.

import { Fragment, useState, type ReactElement } from 'react';
import { parseLeg } from '../../../electron/model/leg-grammar.js';
import { DROP_REASONS, type DropReason, type LegSnapshot, type LegState } from '../../../electron/model/snapshot.js';
import { formatBitRate, formatBytes, formatCount, formatPps } from '../../../electron/model/format.js';
import { ZERO_RATE } from '../lib/rates.js';
import { isLive, useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { IconAlert, IconLock } from './icons.js';
import { KindIcon, legTitle } from './LegsPanel.js';
import { Sparkline } from './Sparkline.js';
import { Card, EmptyState } from './ui.js';

export const DROP_LABEL: Record<DropReason, string> = {
  malformed: 'malformed',
  'wrong-vni': 'wrong VNI',
  'split-horizon': 'split horizon',
  echo: 'own echo',
  oversize: 'oversize',
  'unknown-peer': 'unknown peer',
  auth: 'auth failed',
  unverified: 'unverified',
  replay: 'replay',
  'send-error': 'send error',
  'table-full': 'table full',
  'queue-delay': 'queue delay',
};

/** What each drop reason means, in plain words (the chip's tooltip). */
export const DROP_HELP: Record<DropReason, string> = {
  malformed: 'Not a packet this leg understands: too short, wrong VXLAN flags, or an unknown format or version',
  'wrong-vni': 'A VXLAN packet for a segment (VNI) this leg does not carry',
  'split-horizon': 'Not sent back where it came from (normal: this is how the bridge avoids loops)',
  echo: 'A frame this bridge injected itself, handed back by the capture driver (normal with Npcap)',
  oversize: 'A frame larger than the tunnel can carry, usually because offloads (GSO/TSO/GRO) are on at the adapter',
  'unknown-peer': 'From an address that is not one of the VTEPs listed in the leg',
  auth: 'Failed authentication: sent with a wrong key, or forged or damaged on the way',
  unverified:
    'From a sender that has not proved itself yet (a session not confirmed yet, or a keepalive without a valid cookie): not bridged until it does. A few are normal while a VTEP connects',
  replay: 'A packet seen before (replayed or duplicated), or too old to tell',
  'send-error': 'The operating system refused to send or inject it',
  'table-full': 'The table of learned VTEPs or MAC addresses is full',
  'queue-delay': 'Waited too long in the queue while the bridge was busy: dropped so that senders (TCP) slow down and latency stays low. Some under full load are normal',
};

/** Drops that are normal operation, not a problem. */
const BENIGN: ReadonlySet<DropReason> = new Set(['split-horizon', 'echo']);

export function totalDrops(l: LegSnapshot): number {
  let n = 0;
  for (const r of DROP_REASONS) n += l.drops[r];
  return n;
}

export function StatePill({ state }: { state: LegState | 'ready' }): ReactElement {
  return <span className={`pill pill-${state}`}>{state}</span>;
}

export function LegsTable(): ReactElement {
  const snapshot = useBridge((s) => s.snapshot);
  const rates = useBridge((s) => s.rates);
  const legHistory = useBridge((s) => s.legHistory);
  const live = useBridge(isLive);
  const nics = useConnection((s) => s.nics);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());

  const legs = snapshot?.legs ?? [];
  const toggle = (id: number) =>
    setOpen((o) => {
      const n = new Set(o);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <Card title="Legs" subtitle={snapshot ? `${legs.filter((l) => l.state === 'running').length} of ${legs.length} running` : undefined} className="legs-table-card">
      {legs.length === 0 ? (
        <EmptyState title="The bridge is not running">Define the legs on the left, then press Start.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table legs-table" aria-label="Legs">
            <thead>
              <tr>
                <th className="col-leg">Leg</th>
                <th>State</th>
                <th className="num-col">Receive</th>
                <th className="num-col">Send</th>
                <th className="col-spark">Last 60 s</th>
                <th className="num-col">Drops</th>
                <th className="num-col">Total</th>
              </tr>
            </thead>
            <tbody>
              {legs.map((l) => {
                const r = (live ? rates?.legs.get(l.id) : undefined) ?? ZERO_RATE;
                const parsed = parseLeg(l.leg);
                const drops = totalDrops(l);
                const serious = DROP_REASONS.some((k) => !BENIGN.has(k) && l.drops[k] > 0);
                const expanded = open.has(l.id);
                return (
                  <Fragment key={l.id}>
                    <tr className={`leg-row state-${l.state}`}>
                      <td className="col-leg">
                        <div className="leg-cell">
                          <span className="leg-index">{l.id + 1}</span>
                          <KindIcon kind={l.kind} />
                          <div className="leg-cell-text">
                            <div className="leg-cell-title">
                              <span className="ellipsis">{parsed.ok ? legTitle(parsed.spec, nics) : l.leg}</span>
                              {l.encrypted && <IconLock size={12} className="lock" aria-label="encrypted" />}
                              {l.warnings.length > 0 && (
                                <span className="warn-text" title={l.warnings.join('\n')}>
                                  <IconAlert size={13} />
                                </span>
                              )}
                            </div>
                            <div className="leg-cell-sub mono">{l.leg}</div>
                          </div>
                        </div>
                      </td>
                      <td>
                        <StatePill state={l.state} />
                      </td>
                      <td className="num-col">
                        <div className="rate-cell">
                          <span className="num rx-text">{formatBitRate(r.rxBps)}</span>
                          <span className="num sub">{formatPps(r.rxPps)}</span>
                        </div>
                      </td>
                      <td className="num-col">
                        <div className="rate-cell">
                          <span className="num tx-text">{formatBitRate(r.txBps)}</span>
                          <span className="num sub">{formatPps(r.txPps)}</span>
                        </div>
                      </td>
                      <td className="col-spark">
                        <Sparkline points={legHistory[l.id] ?? []} windowPoints={240} />
                      </td>
                      <td className="num-col">
                        <button
                          type="button"
                          className={`drops-btn${drops === 0 ? ' zero' : serious ? ' serious' : ''}`}
                          aria-expanded={expanded}
                          disabled={drops === 0}
                          onClick={() => toggle(l.id)}
                          title={drops === 0 ? 'No drops' : 'Show drops by reason'}
                        >
                          {formatCount(drops)}
                        </button>
                      </td>
                      <td className="num-col">
                        <div className="rate-cell">
                          <span className="num">↓ {formatBytes(l.rxBytes)}</span>
                          <span className="num sub">↑ {formatBytes(l.txBytes)}</span>
                        </div>
                      </td>
                    </tr>
                    {(l.error || l.warnings.length > 0 || (expanded && drops > 0)) && (
                      <tr className="leg-detail">
                        <td colSpan={7}>
                          {l.error && (
                            <div className="leg-msg err">
                              <IconAlert size={14} /> {l.error}
                            </div>
                          )}
                          {l.warnings.map((w, i) => (
                            <div key={i} className="leg-msg warn">
                              <IconAlert size={14} /> {w}
                            </div>
                          ))}
                          {expanded && drops > 0 && (
                            <div className="drop-reasons">
                              {DROP_REASONS.filter((k) => l.drops[k] > 0).map((k) => (
                                <span key={k} className={`drop-chip${BENIGN.has(k) ? '' : ' serious'}`} title={DROP_HELP[k]}>
                                  {DROP_LABEL[k]} <b className="num">{formatCount(l.drops[k])}</b>
                                </span>
                              ))}
                            </div>
                          )}
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
