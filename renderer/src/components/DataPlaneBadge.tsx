// The header's "which data plane runs" badge, while a bridge runs. A button:
// it opens Settings, which shows the whole reason and lets the user choose.

import type { ReactElement } from 'react';
import { runBadgeText, runSentence } from '../lib/data-plane-text.js';
import { useBridge } from '../stores/bridge-store.js';
import { useSettings } from '../stores/settings-store.js';

export function DataPlaneBadge(): ReactElement | null {
  const run = useBridge((s) => (s.phase === 'running' ? s.dataPlaneRun : null));
  const open = useSettings((s) => s.openDialog);
  if (run === null) return null;
  const sentence = runSentence(run);
  return (
    <button
      type="button"
      className={`dataplane-badge${run.fallback !== undefined ? ' tone-warn' : ''}`}
      data-testid="data-plane-badge"
      title={`${sentence} Click for Settings.`}
      aria-label={`${sentence} Open Settings`}
      onClick={open}
    >
      <span className="dataplane-badge-label">Data plane</span>
      <span className="dataplane-badge-value">{runBadgeText(run)}</span>
    </button>
  );
}
