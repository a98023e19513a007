import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../electron/engine/ports/capture-port.js';
import type { CapDevice, CapHandle, CapModule } from './cap-types.js';
import { driverMissingError } from './capture-errors.js';
import { createPcapCapturePort, PCAP_SNAPLEN } from './pcap-capture.js';

/** An in-memory stand-in for npm `cap` that records what it is asked to do. */
class FakeCap extends EventEmitter implements CapHandle {
  static devices: CapDevice[] = [{ name: 'eth0', addresses: [] }];
  static instances: FakeCap[] = [];
  static openResult: string | Error = 'ETHERNET';
  buffer: Buffer | undefined;
  opened: [string, string, number] | undefined;
  sent: { buffer: Buffer; bytes: string }[] = [];
  closes = 0;
  minBytes: number | undefined;
  sendError: Error | undefined;
  constructor() {
    super();
    FakeCap.instances.push(this);
  }
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string {
    this.opened = [device, filter, bufSize];
    this.buffer = buffer;
    if (FakeCap.openResult instanceof Error) throw FakeCap.openResult;
    return FakeCap.openResult;
  }
  send(buffer: Buffer, size = buffer.length): void {
    if (this.sendError) throw this.sendError;
    if (size > buffer.length) throw new TypeError('size must be smaller or equal to buffer length');
    this.sent.push({ buffer, bytes: buffer.subarray(0, size).toString('hex') });
  }
  close(): boolean {
    // A failed open() leaves nothing to close (the patched cap releases it itself).
    if (!this.opened || FakeCap.openResult instanceof Error) throw new Error('closed a failed handle');
    this.closes++;
    return true;
  }
  setMinBytes(n: number): void {
    this.minBytes = n;
  }
  /** What cap does for each frame: copy into the caller's buffer, emit. */
  deliver(frame: Buffer): void {
    frame.copy(this.buffer!, 0, 0, Math.min(frame.length, this.buffer!.length));
    this.emit('packet', Math.min(frame.length, this.buffer!.length), frame.length > this.buffer!.length);
  }
}
const fakeModule = { Cap: Object.assign(FakeCap, { deviceList: () => FakeCap.devices }) } as unknown as CapModule;

function setup(openResult: string | Error = 'ETHERNET') {
  FakeCap.instances = [];
  FakeCap.openResult = openResult;
  return createPcapCapturePort({ loadCap: () => fakeModule, platform: 'linux' });
}
function thrown(fn: () => unknown): CaptureError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CaptureError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('createPcapCapturePort().open', () => {
  it('opens promiscuous capture with the buffer size and passes every frame in one reused buffer', () => {
    const seen: [Buffer, number, string][] = [];
    const h = setup().open('eth0', (f, o, n) => seen.push([f, n, f.subarray(o, o + n).toString('hex')]), { bufferBytes: 8 << 20 });
    const cap = FakeCap.instances[0]!;
    expect(cap.opened).toEqual(['eth0', '', 8 << 20]);
    expect(cap.buffer?.length).toBe(PCAP_SNAPLEN);
    expect(cap.minBytes).toBe(0);
    cap.deliver(Buffer.from('ffffffffffff0200000000010800aa', 'hex'));
    cap.deliver(Buffer.alloc(70000, 0xab)); // longer than snaplen: truncated, still passed
    expect(seen.map(([, n, hex]) => [n, hex.slice(0, 30)])).toEqual([
      [15, 'ffffffffffff0200000000010800aa'],
      [PCAP_SNAPLEN, 'ab'.repeat(15)],
    ]);
    expect(seen[0]![0]).toBe(seen[1]![0]);
    h.close();
  });

  it('refuses an adapter pcap does not list, naming the ones it does, without opening', () => {
    const err = thrown(() => setup().open('eth9', () => {}, { bufferBytes: 1 << 20 }));
    expect(err.code).toBe('no-such-nic');
    expect(err.message).toContain('Adapters present: eth0.');
    expect(FakeCap.instances).toHaveLength(0);
  });

  it('maps libpcap errors and never closes the failed handle', () => {
    const err = thrown(() => setup(new Error('socket: Operation not permitted')).open('eth0', () => {}, { bufferBytes: 1 << 20 }));
    expect(err.code).toBe('permission');
    expect(FakeCap.instances[0]?.closes).toBe(0);
  });

  it('refuses a non-Ethernet link type and closes the handle', () => {
    const err = thrown(() => setup('RAW').open('eth0', () => {}, { bufferBytes: 1 << 20 }));
    expect(err.code).toBe('open-failed');
    expect(err.message).toContain('link type RAW');
    expect(FakeCap.instances[0]?.closes).toBe(1);
  });

  it('reports a missing driver from the loader', () => {
    const port = createPcapCapturePort({
      loadCap: () => {
        throw driverMissingError('win32', 'The specified module could not be found.');
      },
    });
    expect(thrown(() => port.open('eth0', () => {}, { bufferBytes: 1 })).code).toBe('driver-missing');
  });

  it('clamps the buffer size to what cap accepts', () => {
    setup().open('eth0', () => {}, { bufferBytes: 2 ** 40 });
    expect(FakeCap.instances[0]?.opened?.[2]).toBe(0x7fffffff);
  });
});

describe('capture handle', () => {
  const open = () => {
    const h = setup().open('eth0', () => {}, { bufferBytes: 1 << 20 });
    return { h, cap: FakeCap.instances[0]! };
  };

  it('sends from offset 0 directly and copies other offsets into one scratch buffer', () => {
    const { h, cap } = open();
    const frame = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(h.inject(frame, 0, 14)).toBe(true);
    expect(h.inject(frame, 2, 14)).toBe(true);
    expect(h.inject(frame, 1, 15)).toBe(true);
    expect(cap.sent.map((s) => s.bytes)).toEqual(['00112233445566778899aabbccdd', '2233445566778899aabbccddeeff', '112233445566778899aabbccddeeff']);
    expect(cap.sent[0]?.buffer).toBe(frame);
    expect(cap.sent[1]?.buffer).not.toBe(frame);
    expect(cap.sent[2]?.buffer).toBe(cap.sent[1]?.buffer);
  });

  it('returns false instead of throwing', () => {
    const { h, cap } = open();
    const frame = Buffer.alloc(100);
    expect(h.inject(frame, 90, 20)).toBe(false);
    expect(h.inject(frame, -1, 20)).toBe(false);
    expect(h.inject(frame, 0, 0)).toBe(false);
    cap.sendError = new Error('send: Message too long');
    expect(h.inject(frame, 0, 60)).toBe(false);
    expect(h.inject(frame, 4, 60)).toBe(false);
    expect(cap.sent).toHaveLength(0);
  });

  it('closes once and stops delivering and sending', () => {
    let frames = 0;
    const h = setup().open('eth0', () => frames++, { bufferBytes: 1 << 20 });
    const cap = FakeCap.instances[0]!;
    h.close();
    h.close();
    expect(cap.closes).toBe(1);
    cap.deliver(Buffer.alloc(60));
    expect(frames).toBe(0);
    expect(h.inject(Buffer.alloc(60), 0, 60)).toBe(false);
  });
});
