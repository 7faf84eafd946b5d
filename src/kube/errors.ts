/** Kubernetes API errors as sentences and exit codes. */
import { ExitCode, isAbortError, PlsctlError } from "../domain/errors.js";
import { networkCause } from "../domain/network-errors.js";

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

/** The API server answered with this HTTP status (client-node's ApiException carries it as `code`). */
export const hasStatus = (err: unknown, status: number): boolean =>
  (err as { code?: unknown }).code === status;

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
      hint: "Check the name, the namespace (-n) and the context (--context): kubectl get <kind> -n <namespace> lists what is there.",
    });
  }
  if (status !== undefined) {
    return new PlsctlError(`Could not ${what}: ${detail} (${status})`, {
      exitCode: ExitCode.Failed,
      code: `Http${status}`,
      cause: err,
      hint:
        status >= 500
          ? "The Kubernetes API server failed to answer: re-run in a moment (the command is safe to repeat); kubectl get --raw /readyz says whether it is healthy."
          : "The Kubernetes API refused the request for the reason above: fix that and re-run (--verbose shows more).",
    });
  }
  const unreachable = kubeUnreachable(err, what, server);
  if (unreachable) return unreachable;
  return new PlsctlError(`Could not ${what}: ${detail}`, {
    exitCode: ExitCode.Failed,
    code: "KubernetesError",
    cause: err,
    hint: "Re-run with --verbose to see the request that failed; kubectl with the same --context shows whether the cluster answers.",
  });
}

/**
 * The kubeconfig's server did not answer usefully: refused, reset, unknown host, or a certificate
 * the kubeconfig's certificate-authority does not vouch for. Said in words, with what to check.
 */
function kubeUnreachable(err: unknown, what: string, server: string | undefined): PlsctlError | undefined {
  const cause = networkCause(err);
  const fetchFailed = err instanceof Error && /fetch failed|socket hang up/i.test(err.message);
  if (!cause && !fetchFailed) return undefined;
  const at = server ? `the Kubernetes API at ${server}` : "the Kubernetes API";
  if (cause?.tls) {
    return new PlsctlError(
      `Could not ${what}: ${at} is not trusted by the kubeconfig: ${cause.words} (${cause.code}).`,
      {
        exitCode: ExitCode.Failed,
        code: cause.code,
        cause: err,
        hint:
          "Check the cluster's certificate-authority / certificate-authority-data in the kubeconfig " +
          "(refresh it with az aks get-credentials), and that the server address matches the cluster's certificate.",
      },
    );
  }
  const why = cause ? `${cause.words} (${cause.code})` : deepestMessage(err);
  return new PlsctlError(`Could not ${what}: no answer from ${at}: ${why}.`, {
    exitCode: ExitCode.Failed,
    code: cause?.code ?? "KubernetesUnreachable",
    cause: err,
    hint:
      "Check the server in the kubeconfig (--kubeconfig, KUBECONFIG, --context), that the cluster is running, " +
      "and that `kubectl cluster-info` reaches it. For the sandbox: is `plsctl sandbox up` running?",
  });
}

function deepestMessage(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 5 && (e as { cause?: unknown })?.cause instanceof Error; i++)
    e = (e as { cause: unknown }).cause;
  return e instanceof Error ? e.message : String(e);
}
