// What every `ubdg` command writes to, and how it exits (README: exit codes).

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Stopped cleanly. */
export const EXIT_OK = 0;
/** A leg could not start (missing adapter, port in use, no capture permission). */
export const EXIT_FAILED = 1;
/** Bad command line: nothing was started. */
export const EXIT_USAGE = 2;
