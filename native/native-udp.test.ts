// The native UdpPort on loopback: datagrams both ways through the engine's port
// interface; a burst the handler sends while it handles a batch leaves in one
// sendmmsg (UDP GSO runs) and arrives whole, in order (UDP GRO cut natively).
import { describe, expect, it } from 'vitest';
import { loadDataPlaneModule, type DataPlaneModule } from './dataplane-module.js';
import { createNativeUdpPort } from './native-udp.js';

const loaded = loadDataPlaneModule();

describe.runIf(process.platform === 'linux').each([
  { mode: 'on a thread of its own', threaded: true },
  { mode: "on Node's thread", threaded: false },
])('native UDP port, $mode', ({ threaded }) => {
  it('the native module loads on Linux', () => {
    expect('module' in loaded ? 'loaded' : loaded.problem).toBe('loaded');
  });
  const m = (loaded as { module: DataPlaneModule }).module;

  it('a burst sent from a batch handler (queued, GSO) arrives complete and in order, sizes and bytes intact', async () => {
    const loop = new m.Loop(0, 0, 0, threaded);
    const port = createNativeUdpPort(m, loop);
    const got: Buffer[] = [];
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const BURST = 120;
    const b = await port.bind(
      { address: '127.0.0.1', port: 0 },
      (buf, off, len) => {
        got.push(Buffer.from(buf.subarray(off, off + len)));
        if (got.length === BURST + 1) done();
      },
      () => {},
    );
    const bAt = b.local();
    const box: { a?: Awaited<ReturnType<typeof port.bind>> } = {};
    const trigger = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => {
        // Inside a batch: every send is queued and leaves at the end of the batch.
        const d = Buffer.alloc(1500);
        for (let i = 0; i < BURST; i++) {
          const len = i === BURST - 1 ? 333 : 1400;
          d.fill(i & 0xff, 0, len);
          d.writeUInt16BE(i, 0);
          box.a!.send(d, 0, len, bAt.port, bAt.address, () => {});
        }
        box.a!.send(Buffer.from('end'), 0, 3, bAt.port, bAt.address, () => {});
      },
      () => {},
    );
    box.a = trigger;
    const a = trigger;
    const c = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => {},
      () => {},
    );
    c.send(Buffer.from('go'), 0, 2, a.local().port, '127.0.0.1', () => {});
    await all;
    expect(got.slice(0, BURST).map((g) => g.readUInt16BE(0))).toEqual([...Array(BURST).keys()]);
    expect(got.slice(0, BURST).every((g, i) => g.length === (i === BURST - 1 ? 333 : 1400) && g[g.length - 1] === (i & 0xff))).toBe(true);
    expect(got[BURST]!.toString()).toBe('end');
    for (const s of [a, b, c]) s.close();
  });

  it('binding a taken port fails with the same clear error as the JS data plane', async () => {
    const port = createNativeUdpPort(m, new m.Loop(0, 0, 0, threaded));
    const a = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => {},
      () => {},
    );
    await expect(
      port.bind(
        { address: '127.0.0.1', port: a.local().port },
        () => {},
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'address-in-use' });
    await expect(
      port.bind(
        { address: '192.0.2.77', port: 0 },
        () => {},
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'address-not-available' });
    a.close();
  });

  it('sockets closed from a batch handler while bursts keep coming: no crash, no batch after the close, the others go on', async () => {
    const port = createNativeUdpPort(m, new m.Loop(50, 0, 0, threaded));
    const counts = [0, 0, 0];
    const closedAt: (number | null)[] = [null, null, null];
    const sockets = await Promise.all(
      [0, 1, 2].map((k) =>
        port.bind(
          { address: '127.0.0.1', port: 0 },
          () => {
            if (closedAt[k] !== null) throw new Error(`socket ${k} got a batch after it was closed`);
            counts[k]!++;
            // Sockets 0 and 1 close themselves (and 1 its neighbour 2) halfway through.
            if (counts[k] === 50 && k < 2) {
              sockets[k]!.close();
              closedAt[k] = counts[k]!;
              if (k === 1) {
                sockets[2]!.close();
                closedAt[2] = counts[2]!;
              }
            }
          },
          () => {},
        ),
      ),
    );
    const targets = sockets.map((s) => s.local().port);
    const sender = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => {},
      () => {},
    );
    const survivor = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => counts.push(1),
      () => {},
    );
    for (let round = 0; round < 200; round++) {
      for (const t of targets) sender.send(Buffer.alloc(200, round & 0xff), 0, 200, t, '127.0.0.1', () => {});
      if (round % 20 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    sender.send(Buffer.from('still here'), 0, 10, survivor.local().port, '127.0.0.1', () => {});
    const until = Date.now() + 2000;
    while (counts.length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    expect(closedAt[0]).toBe(50);
    expect(closedAt[1]).toBe(50);
    expect(counts[0]).toBe(50);
    expect(counts[1]).toBe(50);
    expect(counts.length).toBe(4); // the survivor still gets its datagram
    sender.close();
    survivor.close();
  });

  it('refuses to send to port 0 (a forged source) without throwing', async () => {
    const port = createNativeUdpPort(m, new m.Loop(0, 0, 0, threaded));
    const a = await port.bind(
      { address: '127.0.0.1', port: 0 },
      () => {},
      () => {},
    );
    let called = false;
    a.send(Buffer.alloc(10), 0, 10, 0, '127.0.0.1', () => (called = true));
    expect(called).toBe(true); // the slot comes back
    a.close();
  });
});
