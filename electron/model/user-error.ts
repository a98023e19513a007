// An error a user can act on: what went wrong, and one sentence on how to fix
// it. Ports (capture, UDP), profiles and the CLI throw these; every layer shows
// them through errorText, so the fix is written the same way everywhere.

export class FixableError extends Error {
  constructor(
    message: string,
    /** What the user can do about it, one sentence; '' when there is nothing to do. */
    readonly fix: string,
  ) {
    super(message);
    this.name = 'FixableError';
  }
}

/** The message of any thrown value, with its fix when it carries one. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const fix = err instanceof FixableError ? err.fix : undefined;
  return fix ? `${withStop(err.message)} Fix: ${fix}` : err.message;
}

function withStop(message: string): string {
  return /[.!?:]$/.test(message) ? message : `${message}.`;
}
