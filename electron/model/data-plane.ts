// Which data plane moves the frames: the native one (Linux: AF_PACKET and
// batched UDP in native code) or the portable JavaScript one (pcap and
// Node's dgram: Windows, macOS, anywhere the native module does not load).

export const DATA_PLANE_CHOICES = ['auto', 'native', 'js'] as const;
export type DataPlaneChoice = (typeof DATA_PLANE_CHOICES)[number];
export type DataPlaneKind = Exclude<DataPlaneChoice, 'auto'>;

export function isDataPlaneChoice(s: unknown): s is DataPlaneChoice {
  return typeof s === 'string' && (DATA_PLANE_CHOICES as readonly string[]).includes(s);
}

/** What the user picks, in the app's words (the settings dialog, the badge). */
export const DATA_PLANE_LABELS: Readonly<Record<DataPlaneChoice, string>> = {
  auto: 'Automatic',
  native: 'Native (Linux)',
  js: 'JavaScript (portable)',
};

/** The environment variable that chooses the data plane for `ubdg` and, over the app's setting, for the app. */
export const DATA_PLANE_ENV = 'VXB_DATA_PLANE';

/** Where a bridge's data-plane choice came from: VXB_DATA_PLANE, or the app's setting. */
export type DataPlaneSource = 'env' | 'setting';

/** Which data plane a started bridge runs on, as its data-plane process found it. */
export interface DataPlaneOutcome {
  readonly kind: DataPlaneKind;
  /** Why `auto` took JavaScript (e.g. "the native data plane is not built …"); absent otherwise. */
  readonly fallback?: string;
}

/** What the UI shows while a bridge runs: what was asked for, by whom, and what runs. */
export interface DataPlaneRun extends DataPlaneOutcome {
  readonly choice: DataPlaneChoice;
  readonly source: DataPlaneSource;
}

/** A fallback reason is one sentence; longer text from another process is cut. */
export const DATA_PLANE_FALLBACK_MAX = 400;

/** An outcome from another process, checked field by field; null if it is not one. */
export function asDataPlaneOutcome(v: unknown): DataPlaneOutcome | null {
  if (typeof v !== 'object' || v === null) return null;
  const { kind, fallback } = v as { kind?: unknown; fallback?: unknown };
  if (kind !== 'native' && kind !== 'js') return null;
  if (fallback === undefined) return { kind };
  if (typeof fallback !== 'string') return null;
  return { kind, fallback: fallback.slice(0, DATA_PLANE_FALLBACK_MAX) };
}
