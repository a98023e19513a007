// Why capture (W legs) cannot work on this machine, in words the user can act
// on: Npcap missing or not in WinPcap-compatible mode on Windows, no capture
// permission on Linux, or whatever the capture layer itself reports.
// Pure: every probe of the OS is a parameter (tests pass fakes).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CaptureError } from '../engine/ports/capture-port.js';
import { errorText } from '../model/user-error.js';

export const NPCAP_DOWNLOAD_URL = 'https://npcap.com/#download';
const COMPAT = 'tick "Install Npcap in WinPcap API-compatible Mode" in the installer';
const TUNNELS_STILL_WORK = 'Tunnel legs (U, V) work without it.';

/** Linux CAP_NET_RAW bit in CapEff. */
const CAP_NET_RAW = 13n;

export interface CaptureProbes {
  readonly platform: string;
  /** Windows %SystemRoot% (C:\Windows). */
  readonly systemRoot?: string;
  readonly fileExists: (p: string) => boolean;
  /** Effective user id (POSIX). */
  readonly uid?: number;
  /** Linux: CapEff from /proc/self/status, or undefined if unknown. */
  readonly effectiveCaps?: () => bigint | undefined;
  /** The executable to name in a setcap hint. */
  readonly execPath: string;
  /** The capture layer's own check (loads the pcap binding, lists adapters). */
  readonly listNics: () => Promise<unknown>;
}

export function readEffectiveCaps(statusText: string): bigint | undefined {
  const m = /^CapEff:\s*([0-9a-f]+)\s*$/im.exec(statusText);
  return m?.[1] !== undefined ? BigInt(`0x${m[1]}`) : undefined;
}

export const NPCAP_MISSING = `Npcap is not installed, so network adapters (W legs) cannot be bridged. Install it from ${NPCAP_DOWNLOAD_URL} and ${COMPAT}, then restart vxbridge. ${TUNNELS_STILL_WORK}`;
export const NPCAP_NOT_COMPAT = `Npcap is installed without WinPcap API-compatible mode, which vxbridge's capture library needs. Run the Npcap installer again from ${NPCAP_DOWNLOAD_URL} and ${COMPAT}, then restart vxbridge. ${TUNNELS_STILL_WORK}`;

export function linuxPermissionProblem(execPath: string): string {
  return (
    'This process may not capture on network adapters (W legs need root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities). ' +
    `Run it as root, or grant the capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip "${execPath}". ${TUNNELS_STILL_WORK}`
  );
}

/** Undefined when capture should work. Never throws. */
export async function diagnoseCapture(p: CaptureProbes): Promise<string | undefined> {
  if (p.platform === 'win32') {
    const sys32 = path.win32.join(p.systemRoot ?? 'C:\\Windows', 'System32');
    const compat = p.fileExists(path.win32.join(sys32, 'wpcap.dll'));
    const npcap = p.fileExists(path.win32.join(sys32, 'Npcap', 'wpcap.dll'));
    if (!compat) return npcap ? NPCAP_NOT_COMPAT : NPCAP_MISSING;
  }
  if (p.platform === 'linux' && p.uid !== 0) {
    const caps = p.effectiveCaps?.();
    if (caps !== undefined && (caps & (1n << CAP_NET_RAW)) === 0n) return linuxPermissionProblem(p.execPath);
  }
  try {
    await p.listNics();
  } catch (err) {
    if (err instanceof CaptureError) return errorText(err);
    return `Network adapters cannot be listed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

/** The probes of this process. */
export function systemCaptureProbes(listNics: () => Promise<unknown>): CaptureProbes {
  return {
    platform: process.platform,
    systemRoot: process.env.SystemRoot ?? process.env.windir,
    fileExists: (f) => fs.existsSync(f),
    ...(typeof process.getuid === 'function' ? { uid: process.getuid() } : {}),
    effectiveCaps: () => {
      try {
        return readEffectiveCaps(fs.readFileSync('/proc/self/status', 'utf8'));
      } catch {
        return undefined;
      }
    },
    execPath: process.execPath,
    listNics,
  };
}
