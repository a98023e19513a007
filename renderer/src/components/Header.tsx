// Top bar: app state and the data plane it runs on, Start/Stop, link to the host, settings, theme.

import { useEffect, useState, type ReactElement } from 'react';
import { formatDuration } from '../../../electron/model/format.js';
import { useBridge } from '../stores/bridge-store.js';
import { useConnection } from '../stores/connection-store.js';
import { startableLegs, useDrafts } from '../stores/draft-store.js';
import { useProfiles } from '../stores/profile-store.js';
import { useSettings } from '../stores/settings-store.js';
import { useTheme } from '../stores/theme-store.js';
import { DataPlaneBadge } from './DataPlaneBadge.js';
import { IconAlert, IconLogo, IconMonitor, IconMoon, IconPlay, IconSettings, IconStop, IconSun } from './icons.js';
import { useDirty } from './ProfilesPanel.js';
import { Button, IconButton } from './ui.js';

function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [active, ms]);
  return now;
}

function StatusPill(): ReactElement {
  const phase = useBridge((s) => s.phase);
  const startedAt = useBridge((s) => s.startedAt);
  const legs = useBridge((s) => s.snapshot?.legs);
  const now = useNow(phase === 'running');
  const failed = legs?.filter((l) => l.state === 'error').length ?? 0;
  let tone = 'idle';
  let text = 'Stopped';
  if (phase === 'starting') [tone, text] = ['busy', 'Starting…'];
  else if (phase === 'stopping') [tone, text] = ['busy', 'Stopping…'];
  else if (phase === 'running') {
    tone = failed > 0 ? 'warn' : 'ok';
    text = failed > 0 ? `Running · ${failed} leg${failed === 1 ? '' : 's'} failed` : 'Running';
  }
  return (
    <div className={`status-pill tone-${tone}`} role="status" aria-live="polite" data-testid="bridge-status">
      <span className="status-led" />
      <span>{text}</span>
      {phase === 'running' && startedAt !== null && <span className="status-uptime num">{formatDuration((now - startedAt) / 1000)}</span>}
    </div>
  );
}

function LinkIndicator(): ReactElement | null {
  const host = useConnection((s) => s.host);
  const link = useConnection((s) => s.link);
  if (!host || host.kind === 'electron') return null;
  const label = link.state === 'connected' ? 'Connected' : link.state === 'connecting' ? 'Connecting…' : 'Disconnected';
  return (
    <div className={`link-indicator link-${link.state}`} title={link.detail ?? 'Connected to the ubdg ui host'} data-testid="link-state">
      <span className="status-led" />
      {label}
    </div>
  );
}

function ThemeToggle(): ReactElement {
  const choice = useTheme((s) => s.choice);
  const cycle = useTheme((s) => s.cycle);
  const label = choice === 'system' ? 'Theme: follows the system' : `Theme: ${choice}`;
  return (
    <IconButton label={label} onClick={cycle}>
      {choice === 'light' ? <IconSun /> : choice === 'dark' ? <IconMoon /> : <IconMonitor />}
    </IconButton>
  );
}

function SettingsButton(): ReactElement {
  const open = useSettings((s) => s.openDialog);
  return (
    <IconButton label="Settings" onClick={open}>
      <IconSettings />
    </IconButton>
  );
}

export function StartStop(): ReactElement {
  const phase = useBridge((s) => s.phase);
  const legs = useDrafts((s) => s.legs);
  const linkUp = useConnection((s) => s.link.state === 'connected');
  const startable = startableLegs(legs);
  const start = () => {
    if (startable.ok) void useBridge.getState().start(startable.legs, useProfiles.getState().current);
  };
  if (phase === 'running' || phase === 'stopping') {
    return (
      <Button variant="stop" size="lg" icon={<IconStop size={14} />} disabled={phase === 'stopping' || !linkUp} onClick={() => void useBridge.getState().stop()}>
        {phase === 'stopping' ? 'Stopping…' : 'Stop'}
      </Button>
    );
  }
  const blocked = !startable.ok ? startable.reason : !linkUp ? 'Not connected to the host.' : null;
  return (
    <div className="start-wrap">
      {blocked && legs.length > 0 && (
        <span className="start-blocker" data-testid="start-blocker" title={blocked}>
          <IconAlert size={14} />
          <span className="start-blocker-text">{blocked}</span>
        </span>
      )}
      <Button
        variant="primary"
        size="lg"
        icon={phase === 'starting' ? <span className="spinner" /> : <IconPlay size={14} />}
        disabled={blocked !== null || phase === 'starting'}
        title={blocked ?? 'Start the bridge'}
        onClick={start}
      >
        {phase === 'starting' ? 'Starting…' : 'Start'}
      </Button>
    </div>
  );
}

export function Header(): ReactElement {
  const current = useProfiles((s) => s.current);
  const dirty = useDirty();
  const info = useConnection((s) => s.appInfo);
  return (
    <header className="app-header">
      <div className="brand">
        <IconLogo size={26} />
        <span className="brand-name">vxbridge</span>
        {info && <span className="brand-version">v{info.version}</span>}
      </div>
      <div className="header-profile" title={current ? `Profile “${current}”` : 'Not saved as a profile'}>
        <span className="muted">Profile</span>
        <span className="header-profile-name">{current ?? 'Unsaved setup'}</span>
        {dirty && current && <span className="dirty-dot" title="Modified" />}
      </div>
      <StatusPill />
      <DataPlaneBadge />
      <div className="header-spacer" />
      <LinkIndicator />
      <StartStop />
      <div className="header-tools">
        <SettingsButton />
        <ThemeToggle />
      </div>
    </header>
  );
}
