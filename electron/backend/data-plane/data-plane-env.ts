// VXB_DATA_PLANE chooses the data plane: for `ubdg` where no --data-plane is
// given (unknown values: auto), and for the app and `ubdg ui` over the app's
// setting (an explicit variable is what an admin or a test set on purpose).
import { DATA_PLANE_CHOICES, DATA_PLANE_ENV, isDataPlaneChoice, type DataPlaneChoice, type DataPlaneSource } from '../../model/data-plane.js';

export { DATA_PLANE_ENV };

export function dataPlaneFromEnv(env: NodeJS.ProcessEnv): DataPlaneChoice {
  const v = env[DATA_PLANE_ENV];
  return isDataPlaneChoice(v) ? v : 'auto';
}

/** VXB_DATA_PLANE as the app reads it: a valid value overrides the setting; any other value is ignored, and `problem` says so. */
export function envDataPlane(env: NodeJS.ProcessEnv): { readonly choice?: DataPlaneChoice; readonly problem?: string } {
  const v = env[DATA_PLANE_ENV];
  if (v === undefined || v === '') return {};
  if (isDataPlaneChoice(v)) return { choice: v };
  return { problem: `${DATA_PLANE_ENV}=${JSON.stringify(v.slice(0, 40))} is not one of ${DATA_PLANE_CHOICES.join(', ')}: ignored` };
}

export interface DataPlaneSelection {
  readonly choice: DataPlaneChoice;
  readonly source: DataPlaneSource;
}

/** What the next Start asks for: VXB_DATA_PLANE if set to a valid value, else the setting (auto by default). */
export function selectDataPlane(setting: DataPlaneChoice, env: NodeJS.ProcessEnv): DataPlaneSelection {
  const fromEnv = envDataPlane(env).choice;
  return fromEnv !== undefined ? { choice: fromEnv, source: 'env' } : { choice: setting, source: 'setting' };
}
