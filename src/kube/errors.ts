/** Kubernetes API errors as sentences and exit codes. */
import { ExitCode, isAbortError, PlsctlError } from "../domain/errors.js";
import { networkError } from "../output/errors.js";

interface ApiErrorLike {
  code?: number | string;
  body?: unknown;
  message: string;
}

function statusMessage(body: unknown): string | undefined {
  try {
    const parsed = typeof body === "string" ? JSON.parse(body) : body;
    const m = (parsed as { message?: unknown } | undefined)?.message;
    return typeof m === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

export function kubeError(err: unknown, what: string, server?: string): PlsctlError {
  if (err instanceof PlsctlError) return err;
  if (isAbortError(err)) throw err;
  const e = err as ApiErrorLike;
  const status = typeof e.code === "number" ? e.code : undefined;
  const detail = statusMessage(e.body) ?? e.message?.split("\n")[0] ?? String(err);
  if (status === 401) {
    return new PlsctlError(`Could not ${what}: the Kubernetes API rejected the credentials (401).`, {
      exitCode: ExitCode.Auth,
      code: "Unauthorized",
      cause: err,
      hint: "Refresh them (az aks get-credentials, kubelogin) or check --context.",
    });
  }
  if (status === 403) {
    return new PlsctlError(`Could not ${what}: ${detail}`, {
      exitCode: ExitCode.Auth,
      code: "Forbidden",
      cause: err,
      hint: "Ask a cluster admin for the RBAC permission named above.",
    });
  }
  if (status === 404) {
    return new PlsctlError(`Could not ${what}: ${detail}`, {
      exitCode: ExitCode.NotFound,
      code: "NotFound",
      cause: err,
    });
  }
  if (status !== undefined) {
    return new PlsctlError(`Could not ${what}: ${detail} (${status})`, {
      exitCode: ExitCode.Failed,
      code: `Http${status}`,
      cause: err,
    });
  }
  const net = networkError(err, server ? `the Kubernetes API at ${server}` : "the Kubernetes API");
  if (net)
    return new PlsctlError(`Could not ${what}: ${net.message}`, {
      exitCode: ExitCode.Failed,
      code: net.code ?? "Network",
      cause: err,
      hint: net.hint ?? "",
    });
  return new PlsctlError(`Could not ${what}: ${detail}`, {
    exitCode: ExitCode.Failed,
    code: "KubernetesError",
    cause: err,
  });
}
