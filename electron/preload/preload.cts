// The preload of the sandboxed window. Sandboxed preloads run as CommonJS and
// may require only 'electron' (and a few Node built-ins): no relative modules,
// no ESM. Hence this one self-contained .cts file (→ preload.cjs), with the
// contract imported for types only and the method table repeated below, where
// the compiler checks it is exactly the contract's API_METHODS.
//
// It exposes `window.vxbridge`: one named function per action, plus onSnapshot
// and onEvent; never ipcRenderer itself, never the IPC event object.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { API_METHODS as ContractMethods, PushChannel, PushChannels, VxbridgeApi } from '../contract/ipc-contract.js';

const API_METHODS = {
  appInfo: 'app:info',
  listNics: 'nics:list',
  startBridge: 'bridge:start',
  stopBridge: 'bridge:stop',
  bridgeStatus: 'bridge:status',
  runningSetup: 'bridge:setup',
  recentEvents: 'bridge:events',
  listProfiles: 'profiles:list',
  loadProfile: 'profiles:load',
  saveProfile: 'profiles:save',
  renameProfile: 'profiles:rename',
  deleteProfile: 'profiles:delete',
  recentProfiles: 'profiles:recent',
  exportProfile: 'profiles:export',
  importProfile: 'profiles:import',
  exportProfileJson: 'profiles:exportJson',
  getSettings: 'settings:get',
  saveSettings: 'settings:set',
} as const;

// Compile-time: the table above equals the contract's, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<typeof API_METHODS, typeof ContractMethods>;

function subscribe<P extends PushChannel>(channel: P) {
  return (listener: (payload: PushChannels[P]) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${channel}: listener must be a function`);
    // The renderer gets the payload only, never the IpcRendererEvent (it holds `sender`).
    const wrapped = (_event: IpcRendererEvent, payload: PushChannels[P]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
}

const api: Record<string, unknown> = {};
for (const [method, channel] of Object.entries(API_METHODS)) {
  api[method] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}
api.onSnapshot = subscribe('bridge:snapshot');
api.onEvent = subscribe('bridge:event');

contextBridge.exposeInMainWorld('vxbridge', Object.freeze(api) as VxbridgeApi);
