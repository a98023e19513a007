// VXB_DATA_PLANE chooses the data plane where no --data-plane is given (and for
// the data-plane processes `ubdg ui` and the app start). Unknown values: auto.
import { isDataPlaneChoice, type DataPlaneChoice } from '../../model/data-plane.js';

export const DATA_PLANE_ENV = 'VXB_DATA_PLANE';

export function dataPlaneFromEnv(env: NodeJS.ProcessEnv): DataPlaneChoice {
  const v = env[DATA_PLANE_ENV];
  return isDataPlaneChoice(v) ? v : 'auto';
}
