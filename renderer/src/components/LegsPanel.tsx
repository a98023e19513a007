// Sidebar: the leg list with the editor of the selected leg, add/remove,
// paste a `ubdg` command line, copy as one.

import { useState, type ReactElement } from 'react';
import { formatLeg, parseLeg } from '../../../electron/model/leg-grammar.js';
import { parseCommandLine } from '../../../electron/model/command-line.js';
import { describeLeg } from '../../../electron/model/describe-leg.js';
import { isEncrypted, type LegKind, type LegSpec } from '../../../electron/model/leg-spec.js';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import { legProblem } from '../lib/leg-form.js';
import { findNic } from '../lib/nic.js';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { checkDraft, commandLineFor, hasLiteralKey, useDrafts, type LegDraft } from '../stores/draft-store.js';
import { notify } from '../stores/notice-store.js';
import { IconAlert, IconCheck, IconChevronDown, IconChevronUp, IconCopy, IconEthernet, IconLock, IconPaste, IconPlus, IconTrash, IconTunnel } from './icons.js';
import { LegEditor } from './LegEditor.js';
import { Button, Card, EmptyState, IconButton, Modal } from './ui.js';
import { assertNever } from '../../../electron/model/assert-never.js';

export function legTitle(spec: LegSpec, nics: readonly NicInfo[]): string {
  switch (spec.kind) {
    case 'W':
      return spec.nic ? (findNic(nics, spec.nic)?.description ?? spec.nic) : 'Adapter (not chosen)';
    case 'U':
      return `UDP to ${spec.remoteAddress}:${spec.remotePort}`;
    case 'V': {
      const r = spec.remote;
      switch (r.mode) {
        case 'unicast':
          return r.peers.length === 1 ? `VXLAN to ${r.peers[0]}` : `VXLAN HER to ${r.peers.length} VTEPs`;
        case 'multicast':
          return `VXLAN multicast ${r.group}`;
        case 'provider':
          return `VXLAN provider on ${spec.local}`;
        case 'access':
          return `VXLAN access to ${r.provider}`;
        default:
          return assertNever(r, 'VXLAN mode');
      }
    }
    default:
      return assertNever(spec, 'leg kind');
  }
}

export function KindIcon({ kind }: { kind: LegKind }): ReactElement {
  return <span className={`kind-icon kind-${kind}`}>{kind === 'W' ? <IconEthernet size={14} /> : <IconTunnel size={14} />}</span>;
}

function LegItem({ draft, index, selected, locked }: { draft: LegDraft; index: number; selected: boolean; locked: boolean }): ReactElement {
  const nics = useConnection((s) => s.nics);
  const nicsLoading = useConnection((s) => s.nicsLoading);
  const { select, remove, move, update, setText } = useDrafts.getState();
  const count = useDrafts((s) => s.legs.length);
  const check = checkDraft(draft);
  const spec = check.ok ? check.spec : null;
  const encrypted = spec !== null && isEncrypted(spec);
  return (
    <li className={`leg-item${selected ? ' selected' : ''}${check.ok ? '' : ' invalid'}`}>
      <div
        className="leg-item-head"
        role="button"
        tabIndex={0}
        aria-expanded={selected}
        onClick={() => select(selected ? null : draft.id)}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), select(selected ? null : draft.id))}
      >
        <span className="leg-index">{index + 1}</span>
        <KindIcon kind={spec?.kind ?? draft.fields.kind} />
        <span className="leg-item-text">
          <span className="leg-item-title">
            <span className="ellipsis">{spec ? legTitle(spec, nics) : legProblem(check) === 'incomplete' ? 'Incomplete leg' : 'Invalid leg'}</span>
            {encrypted && <IconLock size={12} className="lock" aria-label="encrypted" />}
          </span>
          <span className="leg-item-sub mono">{spec ? formatLeg(spec, { maskKey: true }) : draft.text || '—'}</span>
        </span>
        <span className={`leg-valid ${check.ok ? 'ok' : 'bad'}`} title={check.ok ? 'Valid' : check.message}>
          {check.ok ? <IconCheck size={14} /> : <IconAlert size={14} />}
        </span>
      </div>
      {selected && (
        <div className="leg-item-body">
          <LegEditor
            draft={draft}
            check={check}
            nics={nics}
            nicsLoading={nicsLoading}
            disabled={locked}
            onChange={(patch) => update(draft.id, patch)}
            onText={(t) => setText(draft.id, t)}
            onRefreshNics={() => void useConnection.getState().refreshNics()}
          />
          <div className="leg-item-actions">
            <IconButton label="Move up" disabled={locked || index === 0} onClick={() => move(draft.id, -1)}>
              <IconChevronUp />
            </IconButton>
            <IconButton label="Move down" disabled={locked || index === count - 1} onClick={() => move(draft.id, 1)}>
              <IconChevronDown />
            </IconButton>
            <span className="spacer" />
            <Button variant="ghost" size="sm" icon={<IconTrash size={14} />} disabled={locked} onClick={() => remove(draft.id)}>
              Remove leg
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}

export function LegsPanel(): ReactElement {
  const legs = useDrafts((s) => s.legs);
  const selectedId = useDrafts((s) => s.selectedId);
  const phase = useBridge((s) => s.phase);
  const locked = phase !== 'idle';
  const [pasting, setPasting] = useState(false);
  const [adding, setAdding] = useState(false);

  const add = (kind: LegKind) => {
    useDrafts.getState().add({ kind });
    setAdding(false);
  };

  const copy = async () => {
    const r = commandLineFor(legs);
    if (!r.ok) return notify('error', `Cannot copy: ${r.reason}`);
    try {
      await navigator.clipboard.writeText(r.line);
      notify('ok', hasLiteralKey(legs) ? 'Copied. The line contains a pre-shared key: other users can see it in the process list.' : 'Copied the ubdg command line.');
    } catch {
      notify('error', 'The clipboard is not available here.');
    }
  };

  return (
    <Card
      title="Legs"
      subtitle={legs.length > 0 ? String(legs.length) : undefined}
      className="legs-panel"
      actions={
        <>
          <IconButton label="Paste a ubdg command line" disabled={locked} onClick={() => setPasting(true)}>
            <IconPaste />
          </IconButton>
          <IconButton label="Copy as ubdg command line" disabled={legs.length === 0} onClick={() => void copy()}>
            <IconCopy />
          </IconButton>
          <div className="menu-anchor">
            <Button size="sm" variant="secondary" icon={<IconPlus size={14} />} disabled={locked} aria-haspopup="menu" aria-expanded={adding} onClick={() => setAdding((a) => !a)}>
              Add leg
            </Button>
            {adding && (
              <div className="menu" role="menu" onMouseLeave={() => setAdding(false)}>
                <button role="menuitem" onClick={() => add('V')}>
                  <strong>VXLAN</strong>
                  <span>Unicast, multicast, provider or access VTEP</span>
                </button>
                <button role="menuitem" onClick={() => add('W')}>
                  <strong>Network adapter</strong>
                  <span>Bridge a local NIC (pcap)</span>
                </button>
                <button role="menuitem" onClick={() => add('U')}>
                  <strong>Ethernet over UDP</strong>
                  <span>Point-to-point, GNS3/Dynamips compatible</span>
                </button>
              </div>
            )}
          </div>
        </>
      }
    >
      {locked && <div className="panel-note">The bridge is running: stop it to change the legs.</div>}
      {legs.length === 0 ? (
        <EmptyState title="No legs yet">
          Add an adapter and a VXLAN leg, or{' '}
          <button className="link-btn inline" onClick={() => setPasting(true)}>
            paste a ubdg command line
          </button>
          .
        </EmptyState>
      ) : (
        <ul className="leg-list">
          {legs.map((d, i) => (
            <LegItem key={d.id} draft={d} index={i} selected={d.id === selectedId} locked={locked} />
          ))}
        </ul>
      )}
      {pasting && <PasteDialog onClose={() => setPasting(false)} hasLegs={legs.length > 0} />}
    </Card>
  );
}

function PasteDialog({ onClose, hasLegs }: { onClose(): void; hasLegs: boolean }): ReactElement {
  const [text, setText] = useState('');
  const parsed = text.trim() === '' ? null : parseCommandLine(text);
  const go = (mode: 'replace' | 'append') => {
    const r = useDrafts.getState().paste(text, mode);
    if (!r.ok) return;
    notify(
      'ok',
      `${mode === 'append' ? 'Added' : 'Pasted'} ${r.count} leg${r.count === 1 ? '' : 's'}.${r.ignoredOptions.length ? ` Options not used here: ${r.ignoredOptions.join(' ')}` : ''}`,
    );
    onClose();
  };
  const ready = parsed !== null && parsed.ok;
  return (
    <Modal
      title="Paste a ubdg command line"
      onClose={onClose}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          {hasLegs && (
            <Button onClick={() => go('append')} disabled={!ready}>
              Add to the legs
            </Button>
          )}
          <Button variant="primary" onClick={() => go('replace')} disabled={!ready}>
            {hasLegs ? 'Replace the legs' : 'Use these legs'}
          </Button>
        </>
      }
    >
      <p className="muted small">
        For example <code>ubdg 5000#V:E@10.10.1.10:10.10.2.10+10.10.3.10 5000#W:E@eth0</code>. Quotes work as in a shell; every leg is checked exactly as ubdg checks it.
      </p>
      <textarea
        className={`input mono paste-area${parsed && !parsed.ok ? ' invalid' : ''}`}
        rows={4}
        spellCheck={false}
        value={text}
        aria-label="ubdg command line"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && ready && go('replace')}
      />
      {parsed && !parsed.ok && (
        <pre className="paste-error" role="alert">
          {parsed.error}
        </pre>
      )}
      {parsed && parsed.ok && (
        <ol className="paste-preview">
          {parsed.legs.map((l, i) => {
            const r = parseLeg(l);
            return (
              <li key={i}>
                <code>{r.ok ? formatLeg(r.spec, { maskKey: true }) : l}</code>
                {r.ok && <span className="muted small"> — {describeLeg(r.spec)}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </Modal>
  );
}
