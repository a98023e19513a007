// The app's own settings (the desktop window and `ubdg ui` share them): a small
// versioned JSON file in the data folder. Pure functions: the backend reads and
// writes the file, the renderer shows the same types.

import { DATA_PLANE_CHOICES, isDataPlaneChoice, type DataPlaneChoice } from './data-plane.js';
import { describe, type Validation } from './profile-schema.js';

export interface AppSettings {
  /** Which data plane the next Start uses (VXB_DATA_PLANE, when set, wins over it). */
  readonly dataPlane: DataPlaneChoice;
}

export const DEFAULT_SETTINGS: AppSettings = Object.freeze({ dataPlane: 'auto' });

export const SETTINGS_VERSION = 1;
export const SETTINGS_FILE_NAME = 'settings.json';
/** A settings file larger than this is not ours. */
export const SETTINGS_FILE_MAX_BYTES = 16 * 1024;

const SETTINGS_FIELDS: ReadonlySet<string> = new Set<keyof AppSettings>(['dataPlane']);

const choices = DATA_PLANE_CHOICES.join(', ');
/** A string quoted (cut), anything else by its type: for errors about IPC arguments. */
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : describe(v));
/** A value from the file as written there (cut), for the notice about it. */
const asWritten = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : shown(v));

/** Strict check of an untrusted value (an IPC argument): exactly the known fields, each valid. */
export function validateSettings(v: unknown, field = 'settings'): Validation<AppSettings> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: `${field}: expected { dataPlane: ${choices} }, got ${describe(v)}` };
  for (const k of Object.keys(v)) if (!SETTINGS_FIELDS.has(k)) return { ok: false, error: `${field}.${k.slice(0, 40)}: unknown field` };
  const dataPlane: unknown = Object.hasOwn(v, 'dataPlane') ? (v as { dataPlane: unknown }).dataPlane : undefined;
  if (!isDataPlaneChoice(dataPlane)) return { ok: false, error: `${field}.dataPlane: expected one of ${choices}, got ${dataPlane === undefined ? 'nothing' : shown(dataPlane)}` };
  return { ok: true, value: { dataPlane } };
}

/** What a settings file holds; `problem` says why (part of) it was not used. */
export interface SettingsRead {
  readonly settings: AppSettings;
  readonly problem?: string;
}

/**
 * The file's text → settings. Never throws: a file that is not JSON, not an
 * object or of an unknown version gives the defaults, a field with an unknown
 * value its default, each with the reason. Unknown fields are ignored (a later
 * version may add some).
 */
export function parseSettingsFile(text: string): SettingsRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { settings: DEFAULT_SETTINGS, problem: 'the file is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { settings: DEFAULT_SETTINGS, problem: `expected a JSON object, got ${describe(value)}` };
  const obj = value as Record<string, unknown>;
  if (obj.version === undefined) return { settings: DEFAULT_SETTINGS, problem: 'it has no version field' };
  if (obj.version !== SETTINGS_VERSION) return { settings: DEFAULT_SETTINGS, problem: `version ${asWritten(obj.version)} is not one this vxbridge knows (${SETTINGS_VERSION})` };
  const dataPlane = obj.dataPlane;
  if (dataPlane === undefined) return { settings: DEFAULT_SETTINGS };
  if (!isDataPlaneChoice(dataPlane)) return { settings: DEFAULT_SETTINGS, problem: `dataPlane ${asWritten(dataPlane)} is not one of ${choices}` };
  return { settings: { dataPlane } };
}

export function serializeSettings(s: AppSettings): string {
  return `${JSON.stringify({ version: SETTINGS_VERSION, dataPlane: s.dataPlane }, null, 2)}\n`;
}
