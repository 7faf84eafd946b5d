/**
 * The exit-code dictionary and the one error type for what a user can act on. Anything thrown
 * that is not a PlsctlError is a bug: printed with its stack only under --verbose.
 */

export const ExitCode = {
  Ok: 0,
  Failed: 1,
  Usage: 2,
  NotFound: 3,
  Auth: 4,
  Timeout: 5,
  Interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Printed in the root help and docs/reliability.md; tested against ExitCode. */
export const EXIT_CODE_HELP: ReadonlyArray<readonly [ExitCodeValue, string]> = [
  [ExitCode.Ok, "ok"],
  [ExitCode.Failed, "operation failed (Azure, Kubernetes or network error, controller error)"],
  [ExitCode.Usage, "usage error or invalid input; nothing was changed"],
  [ExitCode.NotFound, "not found (service, Private Link Service, connection, resource group, ...)"],
  [ExitCode.Auth, "not authenticated or not authorised"],
  [ExitCode.Timeout, "timed out waiting; re-run to resume"],
  [ExitCode.Interrupted, "interrupted (Ctrl-C); re-run to resume"],
];

export interface PlsctlErrorOptions {
  /** What to do about it: printed as the last line. */
  hint?: string;
  exitCode?: ExitCodeValue;
  cause?: unknown;
  /** Machine-readable reason, e.g. the Azure error code; part of `-o json` error output. */
  code?: string;
}

export class PlsctlError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCodeValue;
  readonly code: string | undefined;

  constructor(message: string, options: PlsctlErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "PlsctlError";
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.Failed;
    this.code = options.code;
  }
}

export const usageError = (message: string, hint?: string): PlsctlError =>
  new PlsctlError(message, { exitCode: ExitCode.Usage, hint, code: "InvalidInput" });

export const timeoutError = (message: string, hint?: string): PlsctlError =>
  new PlsctlError(message, { exitCode: ExitCode.Timeout, hint, code: "Timeout" });

export function isPlsctlError(err: unknown): err is PlsctlError {
  return err instanceof PlsctlError;
}

/** True for the errors an AbortSignal produces (our own and the SDKs'). */
export function isAbortError(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === "AbortError" || (err as { code?: string }).code === "ABORT_ERR")
  );
}
