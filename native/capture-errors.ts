// Turns libpcap / Npcap / module-loader failures into CaptureError with a
// message and a one-sentence fix for the user. Pure: the platform is a parameter.
import { CaptureError } from '../electron/engine/ports/capture-port.js';
import type { CaptureErrorCode } from '../electron/engine/ports/capture-port.js';

type Platform = NodeJS.Platform;

/** libpcap's text → code. First match wins; anything else is 'open-failed'. */
const OPEN_ERROR_RULES: readonly { readonly code: CaptureErrorCode; readonly pattern: RegExp; readonly fix?: string }[] = [
  // Linux 1.10 "socket: Operation not permitted"; older "You don't have permission
  // to capture on that device (...)"; macOS "/dev/bpf0: Permission denied";
  // Npcap admin-only mode "The helper program for "Admin-only Mode" must be allowed...".
  { code: 'permission', pattern: /permission|not permitted|access is denied|admin-only mode|\bEPERM\b|\bEACCES\b/i },
  // pcap_statustostr "No such device exists"; macOS "BIOCSETIF: en9: Device not
  // configured"; Npcap "Error opening adapter: The system cannot find the device specified. (20)".
  { code: 'no-such-nic', pattern: /no such device|device not configured|cannot find the (device|file) specified|\bENODEV\b|\bENXIO\b/i },
  // Linux 1.10 "That device is not up"; older "bind: Network is down".
  {
    code: 'open-failed',
    pattern: /\bnot up\b|network is down|\bENETDOWN\b/i,
    fix: 'Enable the adapter first (Linux: sudo ip link set NIC up), then start again.',
  },
  // Npcap "Error opening adapter: The system cannot find the path specified. (3)":
  // the npcap driver service is not running (nmap/npcap#129).
  {
    code: 'open-failed',
    pattern: /cannot find the path specified/i,
    fix: 'Start the Npcap driver ("sc start npcap" as Administrator) or reinstall Npcap from https://npcap.com/#download.',
  },
];

const LIST_NICS_FIX = 'Run "ubdg --list-nics" and use a name, description or index from that list.';

function permissionFix(platform: Platform): string {
  switch (platform) {
    case 'win32':
      return 'Npcap was installed with "Restrict Npcap driver\'s access to Administrators only": run vxbridge as Administrator (or reinstall Npcap without that option).';
    case 'linux':
      return 'Run as root, or give Node the capture capabilities once: sudo setcap cap_net_raw,cap_net_admin=eip "$(readlink -f "$(which node)")"';
    default:
      return 'Run as root (sudo), or give your user read/write access to the /dev/bpf* devices.';
  }
}

export interface OpenErrorContext {
  readonly platform: Platform;
  /** Adapter names pcap lists right now (for the message), if known. */
  readonly present?: readonly string[];
}

/** Maps libpcap's error text from opening `nic` to a CaptureError. */
export function openError(nic: string, pcapText: string, ctx: OpenErrorContext): CaptureError {
  const text = pcapText.trim() || 'libpcap gave no reason';
  const rule = OPEN_ERROR_RULES.find((r) => r.pattern.test(text));
  let code = rule?.code ?? 'open-failed';
  // Npcap in admin-only mode reports "No such device" when the UAC prompt is
  // refused (nmap/npcap#587): an adapter pcap does list is then a permission issue.
  if (code === 'no-such-nic' && ctx.platform === 'win32' && ctx.present?.includes(nic)) code = 'permission';
  switch (code) {
    case 'no-such-nic':
      return noSuchNicError(nic, ctx.present);
    case 'permission':
      return new CaptureError(code, `No permission to capture on network adapter "${nic}" (${text}).`, permissionFix(ctx.platform));
    default:
      return new CaptureError(
        'open-failed',
        `Cannot open network adapter "${nic}" for capture: ${text}`,
        rule?.fix ?? 'Check that the adapter is enabled and present, then try again; the reason above comes from libpcap.',
      );
  }
}

export function noSuchNicError(nic: string, present?: readonly string[]): CaptureError {
  const list = present === undefined ? '' : present.length === 0 ? ' No adapters are present.' : ` Adapters present: ${present.join(', ')}.`;
  return new CaptureError('no-such-nic', `Network adapter "${nic}" does not exist.${list}`, LIST_NICS_FIX);
}

/** `linkType` is what cap's open() returned, e.g. 'RAW' or 'Unknown linktype 239'. */
export function linkTypeError(nic: string, linkType: string): CaptureError {
  return new CaptureError(
    'open-failed',
    `Network adapter "${nic}" is not an Ethernet adapter (pcap link type ${linkType}); only Ethernet adapters can be bridge ports.`,
    'Pick an Ethernet adapter (physical NIC, loopback adapter, tap or veth) from "ubdg --list-nics".',
  );
}

/** `detail` is the loader's error text (require('cap') failed). */
export function driverMissingError(platform: Platform, detail: string): CaptureError {
  if (/NODE_MODULE_VERSION/.test(detail)) {
    return new CaptureError(
      'driver-missing',
      `The pcap binding (npm "cap") was built for another Node/Electron version: ${detail}`,
      'Rebuild it for this runtime: "npm rebuild cap" for Node, "npx electron-builder install-app-deps" for Electron.',
    );
  }
  if (platform === 'win32') {
    return new CaptureError(
      'driver-missing',
      `Npcap is not installed (the pcap binding could not load wpcap.dll): ${detail}`,
      'Install Npcap from https://npcap.com/#download with "Install Npcap in WinPcap API-compatible Mode" ticked, then restart vxbridge.',
    );
  }
  if (platform === 'linux') {
    return new CaptureError(
      'driver-missing',
      `The pcap binding (npm "cap") could not be loaded: ${detail}`,
      'Install libpcap and rebuild the binding: sudo apt-get install libpcap-dev && npm rebuild cap',
    );
  }
  return new CaptureError('driver-missing', `The pcap binding (npm "cap") could not be loaded: ${detail}`, 'Rebuild the binding against the system libpcap: npm rebuild cap');
}
