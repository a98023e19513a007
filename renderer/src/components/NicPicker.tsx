// The adapter dropdown: friendly names, addresses, flags (loopback, Wi-Fi, down)
// and advice on which adapters suit bridging. A listbox, keyboard-operable.

import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import { findNic, ipv4Addresses, nicAdvice, nicLegValue, sortNics, type NicFit } from '../lib/nic.js';
import { IconChevronDown, IconCheck, IconEthernet, IconLoop, IconRefresh, IconWifi } from './icons.js';
import { Badge, IconButton } from './ui.js';

export function NicFlags({ nic }: { nic: NicInfo }): ReactElement {
  const fit = nicAdvice(nic).fit;
  return (
    <span className="nic-flags">
      {fit === 'recommended' && <Badge tone="ok">recommended</Badge>}
      {nic.flags.loopback && <Badge tone="neutral">loopback</Badge>}
      {nic.flags.wireless && <Badge tone="warn">Wi-Fi</Badge>}
      {!nic.flags.up && <Badge tone="err">down</Badge>}
      {nic.flags.unsuitable && <Badge tone="err">not usable</Badge>}
    </span>
  );
}

function NicIcon({ nic }: { nic: NicInfo }): ReactElement {
  if (nic.flags.wireless) return <IconWifi />;
  if (nic.flags.loopback) return <IconLoop />;
  return <IconEthernet />;
}

const FIT_TONE: Record<NicFit, string> = { recommended: 'ok', ok: 'neutral', poor: 'warn', unusable: 'err' };

function NicSummary({ nic, compact }: { nic: NicInfo; compact?: boolean }): ReactElement {
  const v4 = ipv4Addresses(nic);
  return (
    <span className="nic-summary">
      <span className={`nic-icon fit-${nicAdvice(nic).fit}`}>
        <NicIcon nic={nic} />
      </span>
      <span className="nic-text">
        <span className="nic-desc" title={nic.description || nic.name}>
          {nic.description || nic.name}
        </span>
        <span className="nic-line2">
          <NicFlags nic={nic} />
          <span className="mono nic-addr">
            {v4.length > 0 ? v4.join(', ') : 'no IPv4 address'}
            {!compact && nic.mac ? ` · ${nic.mac}` : ''}
          </span>
        </span>
        {!compact && nic.description && nic.description !== nic.name && <span className="nic-line3 mono">{nic.name}</span>}
      </span>
    </span>
  );
}

export interface NicPickerProps {
  readonly nics: readonly NicInfo[];
  /** The W leg's NIC text (name, friendly name or index). */
  readonly value: string;
  onChange(legValue: string, nic: NicInfo): void;
  readonly loading?: boolean;
  readonly error?: string | null;
  onRefresh?(): void;
  readonly disabled?: boolean;
  readonly showAdvice?: boolean;
  readonly label?: string;
}

export function NicPicker({ nics, value, onChange, loading, error, onRefresh, disabled, showAdvice = true, label = 'Network adapter' }: NicPickerProps): ReactElement {
  const [open, setOpen] = useState(false);
  const sorted = useMemo(() => sortNics(nics), [nics]);
  const selected = findNic(nics, value);
  const [active, setActive] = useState(0);
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  useEffect(() => {
    if (open) {
      const i = selected ? sorted.indexOf(selected) : 0;
      setActive(Math.max(0, i));
    }
  }, [open, selected, sorted]);

  useEffect(() => {
    if (open) listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active]);

  const choose = (n: NicInfo) => {
    onChange(nicLegValue(n, nics), n);
    setOpen(false);
  };

  const onKey = (e: KeyboardEvent) => {
    if (disabled) return;
    if (!open && (e.key === 'ArrowDown' || e.key === 'Enter' || e.key === ' ')) {
      setOpen(true);
      e.preventDefault();
      return;
    }
    if (!open) return;
    if (e.key === 'ArrowDown') setActive((a) => Math.min(sorted.length - 1, a + 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
    else if (e.key === 'Enter' || e.key === ' ') {
      const n = sorted[active];
      if (n) choose(n);
    } else if (e.key === 'Escape' || e.key === 'Tab') setOpen(false);
    else return;
    e.preventDefault();
  };

  const advice = selected ? nicAdvice(selected) : null;

  return (
    <div className="nic-picker" ref={rootRef}>
      <div className="nic-picker-row">
        <button
          type="button"
          className={`nic-trigger${open ? ' open' : ''}`}
          aria-haspopup="listbox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-label={label}
          disabled={disabled}
          onClick={() => setOpen((o) => !o)}
          onKeyDown={onKey}
        >
          {selected ? (
            <NicSummary nic={selected} compact />
          ) : value ? (
            <span className="nic-summary">
              <span className="nic-text">
                <span className="nic-desc">{value}</span>
                <span className="nic-line2 warn-text">Not found on this computer</span>
              </span>
            </span>
          ) : (
            <span className="placeholder">{loading ? 'Looking for adapters…' : 'Choose the adapter to bridge…'}</span>
          )}
          <IconChevronDown className="chev" />
        </button>
        {onRefresh && (
          <IconButton label="Refresh the adapter list" onClick={onRefresh} disabled={loading}>
            <IconRefresh className={loading ? 'spin' : undefined} />
          </IconButton>
        )}
      </div>
      {open && (
        <ul className="nic-list" role="listbox" id={`${id}-list`} aria-label={label} ref={listRef}>
          {sorted.length === 0 && <li className="nic-empty">{loading ? 'Looking for adapters…' : 'No adapters found.'}</li>}
          {sorted.map((n, i) => {
            const a = nicAdvice(n);
            const isSel = n === selected;
            return (
              <li
                key={n.name}
                role="option"
                data-index={i}
                aria-selected={isSel}
                aria-disabled={a.fit === 'unusable'}
                className={`nic-option${i === active ? ' active' : ''}${a.fit === 'unusable' ? ' unusable' : ''}`}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(n)}
                title={a.reason}
              >
                <NicSummary nic={n} />
                <span className="nic-check">{isSel && <IconCheck />}</span>
              </li>
            );
          })}
        </ul>
      )}
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
      {showAdvice && (
        <div className={`nic-advice tone-${advice ? FIT_TONE[advice.fit] : 'neutral'}`}>
          {advice ? advice.reason : 'Best: a dedicated adapter such as the Microsoft KM-TEST Loopback Adapter (or a spare wired NIC). Wi-Fi adapters usually cannot bridge.'}
        </div>
      )}
    </div>
  );
}
