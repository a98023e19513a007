// ipcMain.handle for every contract channel, each through the sender check and
// into the shared backend (which validates the arguments); pushes go to the
// window with webContents.send, typed by the contract.
// Only `import type` from electron, so this file is unit-tested without Electron.

import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Backend } from '../backend/backend.js';
import { INVOKE_CHANNELS, type PushChannel, type PushChannels, type Result } from '../contract/ipc-contract.js';
import { assertNever } from '../model/assert-never.js';

export const UNTRUSTED_SENDER: Result<never> = { ok: false, error: 'Refused: this request does not come from the vxbridge window.' };

export function registerIpcHandlers(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  backend: Pick<Backend, 'invoke'>,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  log: (line: string) => void,
): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipc.handle(channel, async (event, ...args: unknown[]) => {
      let trusted: boolean;
      try {
        trusted = isTrusted(event);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        log(`refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'frame gone'})`);
        return UNTRUSTED_SENDER;
      }
      return backend.invoke(channel, args);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
  };
}

export interface PushTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Typed webContents.send: only contract push channels with their payload types. */
export function sendPush<P extends PushChannel>(target: PushTarget, channel: P, payload: PushChannels[P]): void {
  if (!target.isDestroyed()) target.send(channel, payload);
}

export function forwardPushes(backend: Pick<Backend, 'subscribe'>, target: () => PushTarget | null): () => void {
  return backend.subscribe((m) => {
    const t = target();
    if (!t) return;
    switch (m.channel) {
      case 'bridge:snapshot':
        return sendPush(t, m.channel, m.payload);
      case 'bridge:event':
        return sendPush(t, m.channel, m.payload);
      default:
        return assertNever(m, 'push message');
    }
  });
}
