// The link to the backend: which API, whether it is reachable, what it says
// about itself, and the adapters it can bridge.

import { create } from 'zustand';
import type { AppInfo, VxbridgeApi } from '../../../electron/contract/ipc-contract.js';
import type { NicInfo } from '../../../electron/model/nic-info.js';
import type { ApiHost, LinkStatus } from '../api/host.js';

export interface ConnectionStore {
  host: ApiHost | null;
  link: LinkStatus;
  appInfo: AppInfo | null;
  nics: readonly NicInfo[];
  nicsLoading: boolean;
  nicsError: string | null;
  setHost(host: ApiHost | null): void;
  setLink(link: LinkStatus): void;
  loadAppInfo(): Promise<void>;
  refreshNics(): Promise<void>;
}

const INITIAL = {
  host: null,
  link: { state: 'connecting' } as LinkStatus,
  appInfo: null,
  nics: [] as readonly NicInfo[],
  nicsLoading: false,
  nicsError: null,
};

export const useConnection = create<ConnectionStore>()((set, get) => ({
  ...INITIAL,
  setHost: (host) => set({ ...INITIAL, host, link: host ? host.status() : INITIAL.link }),
  setLink: (link) => set({ link }),
  async loadAppInfo() {
    const r = await api().appInfo();
    if (r.ok) set({ appInfo: r.value });
  },
  async refreshNics() {
    if (get().nicsLoading) return;
    set({ nicsLoading: true });
    const r = await api().listNics();
    set(r.ok ? { nics: r.value, nicsLoading: false, nicsError: null } : { nicsLoading: false, nicsError: r.error });
  },
}));

/** The API in use. Throws before connectApp() has run (a programming error). */
export function api(): VxbridgeApi {
  const host = useConnection.getState().host;
  if (!host) throw new Error('vxbridge API not initialised');
  return host.api;
}

export function resetConnection(): void {
  useConnection.setState({ ...INITIAL });
}
