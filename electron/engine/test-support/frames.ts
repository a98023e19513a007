// Frames for tests: Ethernet header + a recognisable payload.

export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export function ethFrame(dst: string, src: string, tag: string, length = 60): Buffer {
  const f = Buffer.alloc(Math.max(length, 14 + tag.length));
  Buffer.from(dst.replace(/:/g, ''), 'hex').copy(f, 0);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(f, 6);
  f.writeUInt16BE(0x88b5, 12); // IEEE local experimental EtherType: never IPv4, so no checksum logic applies
  f.write(tag, 14, 'latin1');
  return f;
}

/** The tag written by ethFrame, read back from a frame. */
export function tagOf(frame: Buffer): string {
  return frame.subarray(14).toString('latin1').replace(/\0+$/, '');
}

export const tick = () => new Promise<void>((r) => setImmediate(r));

/** Lets async deliveries of the memory network settle. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await tick();
}
