/** How a failure is shown: one clear message (what failed, why), the hint last; stacks only with --verbose. */
import { ExitCode, type ExitCodeValue, isAbortError, isPlsctlError, PlsctlError } from "../domain/errors.js";
import { networkError } from "../domain/network-errors.js";
import type { Colors } from "./colors.js";
import { helpPointer } from "./usage.js";

/**
 * Ctrl-C or SIGTERM (exit 130 for both: the dictionary has no 143): one line of how far the
 * command got — its last progress step — and that the rest was not done.
 */
export function interrupted(lastStep?: string, hint?: string): PlsctlError {
  const step = lastStep?.trim().replace(/[.…]+$/, "");
  return new PlsctlError(
    step
      ? `Interrupted after: ${step}. The rest was not done.`
      : "Interrupted before its first step finished.",
    {
      exitCode: ExitCode.Interrupted,
      hint: hint ?? "Nothing is lost: re-run the same command to pick up where it stopped.",
      code: "Interrupted",
    },
  );
}

export function toPlsctlError(err: unknown, lastStep?: string): PlsctlError {
  if (isPlsctlError(err)) return err;
  if (isAbortError(err)) return interrupted(lastStep);
  return (
    networkError(err) ??
    new PlsctlError(`Unexpected error: ${err instanceof Error ? err.message : String(err)}`, {
      exitCode: ExitCode.Failed,
      code: "InternalError",
      cause: err,
      hint: "This is a bug in plsctl. Re-run with --verbose for details and report it.",
    })
  );
}

export interface ShownError {
  exitCode: ExitCodeValue;
  text: string;
  json: { error: { code: string; message: string; hint?: string; exitCode: number } };
}

/**
 * `commandPath` ("plsctl expose") is the command that failed: an invalid flag value points at its
 * help, as commander's own usage errors do.
 */
export function showError(
  err: unknown,
  colors: Colors,
  verbose: boolean,
  commandPath?: string,
  cli = "plsctl",
): ShownError {
  const e = toPlsctlError(err);
  const pointer = commandPath && e.code === "InvalidInput" ? helpPointer(commandPath) : undefined;
  const hint = asInvoked([e.hint, pointer].filter(Boolean).join(" "), cli) || undefined;
  const lines = [`${colors.red("error:")} ${e.message}`];
  if (hint) lines.push(`  ${colors.dim(hint)}`);
  if (verbose) {
    const original = e.cause ?? (e.code === "InternalError" ? undefined : e);
    const stack = original instanceof Error ? original.stack : undefined;
    if (stack) lines.push(colors.dim(stack));
  }
  return {
    exitCode: e.exitCode,
    text: `${lines.join("\n")}\n`,
    json: {
      error: {
        code: e.code ?? "Error",
        message: e.message,
        ...(hint ? { hint } : {}),
        exitCode: e.exitCode,
      },
    },
  };
}

/**
 * A hint's commands in the form the user ran plsctl (`npx plsctl` under npx): those in `$(…)`
 * (eval lines), in backticks and in single quotes — the places a hint quotes a command to run.
 */
export function asInvoked(hint: string, cli: string): string {
  if (cli === "plsctl") return hint;
  return hint.replace(/(\$\(|`|')plsctl /g, `$1${cli} `);
}
