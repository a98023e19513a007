// One operation at a time: each call waits for the previous one to settle
// (resolved or rejected), so that start/stop and profile writes never interleave.

export type Serial = <T>(op: () => Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };
}
