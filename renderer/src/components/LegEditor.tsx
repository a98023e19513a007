// The form for one leg, every kind and mode. Every keystroke re-runs the CLI's
// parser on the leg string the form stands for; the error lands on its field,
// and the string itself can be edited directly.

import { useId, useMemo, useState, type ReactElement } from 'react';
import { describeLeg } from '../../../electron/model/describe-leg.js';
import { VXLAN_PORT_IANA, VXLAN_PORT_LINUX } from '../../../electron/model/defaults.js';
import type { LegKind, VxlanMode } from '../../../electron/model/leg-spec.js';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import type { FieldName, KeySource, LegCheck, LegFields } from '../lib/leg-form.js';
import { localIpv4 } from '../lib/nic.js';
import type { LegDraft } from '../stores/draft-store.js';
import { IconPlus, IconX } from './icons.js';
import { NicPicker } from './NicPicker.js';
import { Field, IconButton, Segmented } from './ui.js';

const KINDS = [
  { value: 'W', label: 'Adapter', title: 'W — a local network adapter (pcap capture + inject)' },
  { value: 'V', label: 'VXLAN', title: 'V — VXLAN (RFC 7348), the segment is the VNI' },
  { value: 'U', label: 'Ethernet/UDP', title: 'U — raw Ethernet over UDP, point-to-point (GNS3/Dynamips UDP NIO)' },
] as const satisfies readonly { value: LegKind; label: string; title: string }[];

const MODES = [
  { value: 'unicast', label: 'Unicast', title: 'A fixed list of remote VTEPs; broadcast is replicated to each (head-end replication)' },
  { value: 'multicast', label: 'Multicast', title: 'Broadcast goes to a multicast group (224.0.0.0/4)' },
  { value: 'provider', label: 'Provider', title: 'Hub: learns remote VTEPs as they connect (like a VPN server) and relays between them' },
  { value: 'access', label: 'Access', title: 'Spoke behind NAT: connects out to a provider and keeps the mapping open (like a VPN client)' },
] as const satisfies readonly { value: VxlanMode; label: string; title: string }[];

const KEY_SOURCES = [
  { value: 'none', label: 'None' },
  { value: 'literal', label: 'Typed key', title: 'Encrypt and authenticate with a pre-shared key typed here, the same on every VTEP of this leg' },
  { value: 'env', label: 'Env var', title: 'Environment variable: ubdg reads the key from it when the leg starts, so `ps` never shows it' },
  { value: 'file', label: 'Key file', title: 'ubdg reads the key from a file when the leg starts; the profile and the command line hold only its path' },
] as const satisfies readonly { value: KeySource; label: string; title?: string }[];

export interface LegEditorProps {
  readonly draft: LegDraft;
  readonly check: LegCheck;
  readonly nics: readonly NicInfo[];
  readonly nicsLoading?: boolean;
  readonly disabled?: boolean;
  onChange(patch: Partial<LegFields>): void;
  onText(text: string): void;
  onRefreshNics?(): void;
}

export function LegEditor({ draft, check, nics, nicsLoading, disabled, onChange, onText, onRefreshNics }: LegEditorProps): ReactElement {
  const f = draft.fields;
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const [showKey, setShowKey] = useState(false);
  const locals = useMemo(() => localIpv4(nics), [nics]);
  // With an edited, unparsable string the form does not reflect the leg: the error is the string's.
  const err = (name: FieldName, index?: number): string | null =>
    !check.ok && !draft.textEdited && check.field === name && (index === undefined || check.index === index) ? check.message : null;

  const input = (name: Exclude<FieldName, 'leg' | 'peers'>, props: { placeholder?: string; list?: string; type?: string; inputMode?: 'numeric' } = {}) => (
    <input
      id={id(name)}
      className={`input${err(name) ? ' invalid' : ''}`}
      value={f[name]}
      disabled={disabled}
      spellCheck={false}
      autoComplete="off"
      aria-invalid={err(name) ? true : undefined}
      onChange={(e) => onChange({ [name]: e.target.value })}
      {...props}
    />
  );

  const localList = `${uid}-locals`;

  return (
    <div className="leg-editor" aria-label="Leg editor">
      <datalist id={localList}>
        {locals.map((l) => (
          <option key={`${l.address}-${l.nic}`} value={l.address}>
            {l.nic}
          </option>
        ))}
        <option value="0.0.0.0">any address</option>
      </datalist>

      <div className="form-row">
        <Field label="Kind" wide>
          <Segmented label="Leg kind" value={f.kind} options={KINDS} disabled={disabled} onChange={(kind) => onChange({ kind })} />
        </Field>
      </div>

      <div className="form-grid">
        <Field label={f.kind === 'V' ? 'VNI (segment)' : 'Segment'} htmlFor={id('segment')} error={err('segment')} hint="Legs with the same number are bridged">
          {input('segment', { inputMode: 'numeric', placeholder: '5000' })}
        </Field>

        {f.kind === 'V' && (
          <Field label="UDP port" htmlFor={id('port')} error={err('port')} hint={<PortPresets value={f.port} disabled={disabled} onPick={(port) => onChange({ port })} />}>
            {input('port', { inputMode: 'numeric', placeholder: `${VXLAN_PORT_IANA} (default)` })}
          </Field>
        )}
      </div>

      {f.kind === 'W' && (
        <Field label="Adapter" error={err('nic')} wide>
          <NicPicker
            nics={nics}
            value={f.nic}
            loading={nicsLoading}
            disabled={disabled}
            onRefresh={onRefreshNics}
            onChange={(nic) => onChange({ nic })}
            label="Adapter for this leg"
          />
        </Field>
      )}

      {f.kind === 'U' && (
        <div className="form-grid">
          <Field label="Local address" htmlFor={id('uLocal')} error={err('uLocal')}>
            {input('uLocal', { placeholder: '0.0.0.0', list: localList })}
          </Field>
          <Field label="Local port" htmlFor={id('uLocalPort')} error={err('uLocalPort')}>
            {input('uLocalPort', { placeholder: '10000', inputMode: 'numeric' })}
          </Field>
          <Field label="Remote address" htmlFor={id('uRemote')} error={err('uRemote')}>
            {input('uRemote', { placeholder: '192.0.2.20' })}
          </Field>
          <Field label="Remote port" htmlFor={id('uRemotePort')} error={err('uRemotePort')}>
            {input('uRemotePort', { placeholder: '10001', inputMode: 'numeric' })}
          </Field>
        </div>
      )}

      {f.kind === 'V' && (
        <>
          <Field label="Mode" wide>
            <Segmented label="VXLAN mode" value={f.mode} options={MODES} disabled={disabled} onChange={(mode) => onChange({ mode })} size="sm" />
          </Field>
          <div className="form-grid">
            {f.mode === 'access' ? (
              <Field label="Provider address" htmlFor={id('provider')} error={err('provider')} hint="The provider’s public IPv4 address">
                {input('provider', { placeholder: '203.0.113.5' })}
              </Field>
            ) : (
              <Field
                label="Local address"
                htmlFor={id('vLocal')}
                error={err('vLocal')}
                hint={f.mode === 'provider' ? 'Listen here; remote VTEPs connect to it' : 'This host’s IPv4 address'}
              >
                {input('vLocal', { placeholder: '10.10.1.10', list: localList })}
              </Field>
            )}
            {f.mode === 'multicast' && (
              <Field label="Multicast group" htmlFor={id('group')} error={err('group')} hint="224.0.0.0 – 239.255.255.255">
                {input('group', { placeholder: '239.1.1.1' })}
              </Field>
            )}
            {f.mode === 'access' && <div className="form-note">Any local address and an ephemeral port; keepalives every 20 s keep the NAT mapping open.</div>}
            {f.mode === 'provider' && <div className="form-note">No peers to list: remote VTEPs are learned (address and port) as they send.</div>}
          </div>
          {f.mode === 'unicast' && (
            <PeerList peers={f.peers} disabled={disabled} error={(i) => err('peers', i)} onChange={(peers) => onChange({ peers })} idFor={(i) => id(`peer-${i}`)} />
          )}
          <Field label="Encryption" wide>
            <Segmented label="Encryption" value={f.keySource} options={KEY_SOURCES} disabled={disabled} size="sm" onChange={(keySource) => onChange({ keySource })} />
          </Field>
          {f.keySource === 'literal' && (
            <>
              <Field label="Pre-shared key" htmlFor={id('key')} error={err('key')} hint="Same key on every VTEP of this leg. No spaces or ':'.">
                <div className="input-with-action">
                  {input('key', { type: showKey ? 'text' : 'password', placeholder: 'secret' })}
                  <button type="button" className="input-action" onClick={() => setShowKey((s) => !s)} disabled={disabled}>
                    {showKey ? 'Hide' : 'Show'}
                  </button>
                </div>
              </Field>
              <div className="panel-note warn" data-testid="key-exposure">
                A key typed here is stored in the profile and is visible to anyone who can read the profile or the ubdg command line (the process list). To keep it out of both, use
                an environment variable or a key file.
              </div>
            </>
          )}
          {f.keySource === 'env' && (
            <Field label="Environment variable" htmlFor={id('keyEnv')} error={err('keyEnv')} hint="Read by ubdg when the leg starts">
              {input('keyEnv', { placeholder: 'VXBRIDGE_KEY' })}
            </Field>
          )}
          {f.keySource === 'file' && (
            <>
              <Field label="Key file path" htmlFor={id('keyFile')} error={err('keyFile')} hint="e.g. /etc/vxbridge/lab.key or C:\keys\lab.key">
                {input('keyFile', { placeholder: '/etc/vxbridge/lab.key' })}
              </Field>
              <div className="form-note" data-testid="key-file-note">
                ubdg reads the key from this file when the leg starts (a trailing line break is dropped), on the machine that runs the bridge. The profile and the command line hold
                only the path. Same key on every VTEP of this leg.
              </div>
            </>
          )}
        </>
      )}

      <LegString draft={draft} check={check} disabled={disabled} onText={onText} inputId={id('leg')} />
    </div>
  );
}

function PortPresets({ value, onPick, disabled }: { value: string; onPick(v: string): void; disabled?: boolean }): ReactElement {
  const cur = value.trim() === '' ? String(VXLAN_PORT_IANA) : value.trim();
  return (
    <span className="presets">
      <button
        type="button"
        className={`chip${cur === String(VXLAN_PORT_IANA) ? ' on' : ''}`}
        disabled={disabled}
        title="IANA standard VXLAN port (default)"
        onClick={() => onPick('')}
      >
        {VXLAN_PORT_IANA}
      </button>
      <button
        type="button"
        className={`chip${cur === String(VXLAN_PORT_LINUX) ? ' on' : ''}`}
        disabled={disabled}
        title="Linux kernel vxlan default port"
        onClick={() => onPick(String(VXLAN_PORT_LINUX))}
      >
        {VXLAN_PORT_LINUX} Linux
      </button>
    </span>
  );
}

function PeerList({
  peers,
  onChange,
  error,
  disabled,
  idFor,
}: {
  peers: readonly string[];
  onChange(p: string[]): void;
  error(i: number): string | null;
  disabled?: boolean;
  idFor(i: number): string;
}): ReactElement {
  const rows = peers.length === 0 ? [''] : peers;
  const anyError = rows.some((_, i) => error(i));
  return (
    <div className={`field field-wide${anyError ? ' has-error' : ''}`}>
      <div className="field-label">
        Remote VTEPs <span className="muted">· head-end replication to each</span>
      </div>
      <div className="peer-rows">
        {rows.map((p, i) => (
          <div key={i} className="peer-row">
            <input
              id={idFor(i)}
              aria-label={`Remote VTEP ${i + 1}`}
              className={`input${error(i) ? ' invalid' : ''}`}
              aria-invalid={error(i) ? true : undefined}
              value={p}
              placeholder={i === 0 ? '10.10.2.10' : 'another VTEP'}
              disabled={disabled}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onChange(rows.map((x, j) => (j === i ? e.target.value : x)))}
            />
            {rows.length > 1 && (
              <IconButton label={`Remove VTEP ${i + 1}`} disabled={disabled} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                <IconX />
              </IconButton>
            )}
            {error(i) && (
              <div className="field-error" role="alert">
                {error(i)}
              </div>
            )}
          </div>
        ))}
      </div>
      <button type="button" className="link-btn" disabled={disabled} onClick={() => onChange([...rows, ''])}>
        <IconPlus size={14} /> Add a VTEP
      </button>
    </div>
  );
}

/** The leg string, editable, with the parser's verdict underneath. */
function LegString({ draft, check, disabled, onText, inputId }: { draft: LegDraft; check: LegCheck; disabled?: boolean; onText(t: string): void; inputId: string }): ReactElement {
  const description = check.ok ? describeLeg(check.spec) : null;
  return (
    <div className={`leg-string${check.ok ? ' ok' : ' bad'}`}>
      <label className="field-label" htmlFor={inputId}>
        Leg string <span className="muted">· as ubdg takes it</span>
      </label>
      <input
        id={inputId}
        className={`input mono${check.ok ? '' : ' invalid'}`}
        value={draft.text}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={check.ok ? undefined : true}
        onChange={(e) => onText(e.target.value)}
      />
      {check.ok ? (
        <div className="leg-verdict ok">{description}</div>
      ) : (
        <div className="leg-verdict bad" role="alert" data-testid="leg-error">
          <ErrorPointer text={check.text} offset={check.offset} length={check.length} />
          <div className="leg-error-msg">
            <strong>{capitalise(check.message)}</strong>
            {check.expected && <span className="muted"> — expected {check.expected}</span>}
          </div>
        </div>
      )}
    </div>
  );
}

function ErrorPointer({ text, offset, length }: { text: string; offset: number; length: number }): ReactElement | null {
  if (text === '') return null;
  const end = offset + Math.max(length, 0);
  return (
    <code className="err-pointer">
      {text.slice(0, offset)}
      <mark className={length === 0 ? 'gap' : undefined}>{length === 0 ? ' ' : text.slice(offset, end)}</mark>
      {text.slice(end)}
    </code>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
