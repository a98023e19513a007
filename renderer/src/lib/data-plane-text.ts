// Which data plane runs, in the UI's words: the short badge text and the
// sentence behind it (chosen how, and why `auto` fell back).

import { DATA_PLANE_ENV, DATA_PLANE_LABELS, type DataPlaneChoice, type DataPlaneKind, type DataPlaneRun } from '../../../electron/model/data-plane.js';

const KIND_LABELS: Readonly<Record<DataPlaneKind, string>> = { native: 'Native', js: 'JavaScript' };

/** The choices as the Settings dialog offers them, with what each does. */
export const DATA_PLANE_OPTIONS: readonly { readonly value: DataPlaneChoice; readonly label: string; readonly hint: string }[] = [
  { value: 'auto', label: `${DATA_PLANE_LABELS.auto} (recommended)`, hint: 'Native where it loads, otherwise JavaScript; the badge at the top says which runs, and why.' },
  { value: 'native', label: DATA_PLANE_LABELS.native, hint: 'AF_PACKET and batched UDP in native code: the fastest. Start fails, with the fix, where it cannot load.' },
  { value: 'js', label: DATA_PLANE_LABELS.js, hint: 'pcap and Node sockets: runs anywhere (Windows, macOS), slower.' },
];

/** "Native", "JavaScript", or "JavaScript (native unavailable)". */
export function runBadgeText(run: DataPlaneRun): string {
  return run.fallback !== undefined ? `${KIND_LABELS[run.kind]} (native unavailable)` : KIND_LABELS[run.kind];
}

/** How it came to run on this one, in full. */
export function runSentence(run: DataPlaneRun): string {
  const chosen = run.source === 'env' ? `chosen by ${DATA_PLANE_ENV}=${run.choice} where vxbridge runs` : run.choice === 'auto' ? 'chosen automatically' : 'as chosen in Settings';
  const why = run.fallback !== undefined ? `. Native unavailable: ${run.fallback}` : '';
  return `Data plane: ${KIND_LABELS[run.kind]}, ${chosen}${why}.`;
}
