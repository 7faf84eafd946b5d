/** How a failure is shown: one clear message (what failed, why), the hint last; stacks only with --verbose. */
import { ExitCode, type ExitCodeValue, isAbortError, isPlsctlError, PlsctlError } from "../domain/errors.js";
import type { Colors } from "./colors.js";

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: "the connection was refused (nothing listens there)",
  ECONNRESET: "the connection was reset",
  ETIMEDOUT: "the connection timed out",
  ENOTFOUND: "the host name could not be resolved",
  EAI_AGAIN: "DNS lookup failed temporarily",
  EHOSTUNREACH: "the host is unreachable",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain ends in an untrusted CA",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's TLS certificate issuer is not trusted",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate does not match its host name",
};

function findCode(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && code in NETWORK_CAUSES) return code;
  return findCode((err as { cause?: unknown }).cause, depth + 1);
}

/** Network and TLS failures anywhere in a cause chain, in words (exit 1). */
export function networkError(err: unknown, target?: string): PlsctlError | undefined {
  const code = findCode(err);
  if (!code) return undefined;
  const tls = code.includes("CERT") || code.includes("SIGNATURE");
  return new PlsctlError(`Could not reach ${target ?? "the server"}: ${NETWORK_CAUSES[code]} (${code}).`, {
    exitCode: ExitCode.Failed,
    code,
    cause: err,
    hint: tls
      ? 'If this is the plsctl sandbox, load its environment: eval "$(plsctl sandbox env)" (sets PLSCTL_CA_FILE).'
      : "Check the endpoint and your network; for the sandbox, is `plsctl sandbox up` running?",
  });
}

export function toPlsctlError(err: unknown): PlsctlError {
  if (isPlsctlError(err)) return err;
  if (isAbortError(err)) {
    return new PlsctlError("Interrupted.", {
      exitCode: ExitCode.Interrupted,
      hint: "Nothing is lost: re-run the same command to pick up where it stopped.",
      code: "Interrupted",
    });
  }
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

export function showError(err: unknown, colors: Colors, verbose: boolean): ShownError {
  const e = toPlsctlError(err);
  const lines = [`${colors.red("error:")} ${e.message}`];
  if (e.hint) lines.push(`  ${colors.dim(e.hint)}`);
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
        ...(e.hint ? { hint: e.hint } : {}),
        exitCode: e.exitCode,
      },
    },
  };
}
