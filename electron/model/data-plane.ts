// Which data plane moves the frames: the native one (Linux: AF_PACKET and
// batched UDP in native code) or the portable JavaScript one (pcap and
// Node's dgram: Windows, macOS, anywhere the native module does not load).

export const DATA_PLANE_CHOICES = ['auto', 'native', 'js'] as const;
export type DataPlaneChoice = (typeof DATA_PLANE_CHOICES)[number];
export type DataPlaneKind = Exclude<DataPlaneChoice, 'auto'>;

export function isDataPlaneChoice(s: unknown): s is DataPlaneChoice {
  return typeof s === 'string' && (DATA_PLANE_CHOICES as readonly string[]).includes(s);
}
