/**
 * Azure SDK errors turned into sentences and exit codes. `what` names the operation in words
 * ("read Private Link Service pls-app"), so every message says what failed, why, and what to do.
 */
import { ExitCode, isAbortError, PlsctlError } from "../domain/errors.js";
import { networkError } from "../output/errors.js";

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined } };
}

function asRestError(err: unknown): RestErrorLike | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as RestErrorLike;
  return e.name === "RestError" || typeof e.statusCode === "number" ? e : undefined;
}

const AUTH_HINT =
  "Sign in with `az login` (add --tenant <id> for another tenant), or set a service principal " +
  "(AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET), or PLSCTL_ACCESS_TOKEN.";

/** "… perform action 'X' over scope 'Y' …" and the linked-scope variant, as ARM words them. */
export function parseAuthorizationMessage(message: string): { action?: string; scope?: string } {
  const linked = /permission to perform action '([^']+)' on the linked scope\(s\) '([^']+)'/.exec(message);
  if (linked) return { action: linked[1], scope: linked[2] };
  const plain = /perform action '([^']+)' over scope '([^']+)'/.exec(message);
  if (plain) return { action: plain[1], scope: plain[2] };
  return {};
}

const firstSentence = (message: string): string => {
  const line = message.split("\n")[0] ?? message;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
};

/** The permission an operation needs, named when ARM's own message is lost (paged SDK calls drop it). */
export interface Needed {
  action: string;
  scope: string;
}

export function azureError(err: unknown, what: string, needed?: Needed): PlsctlError {
  if (err instanceof PlsctlError) return err;
  if (isAbortError(err)) throw err;
  const name = err instanceof Error ? err.name : "";
  if (
    name === "CredentialUnavailableError" ||
    name === "AggregateAuthenticationError" ||
    name === "AuthenticationError"
  ) {
    return new PlsctlError(`Could not ${what}: no usable Azure credentials (${name}).`, {
      exitCode: ExitCode.Auth,
      code: name,
      cause: err,
      hint: AUTH_HINT,
    });
  }
  const rest = asRestError(err);
  if (!rest || rest.statusCode === undefined) {
    const net = networkError(err, "Azure Resource Manager");
    if (net) return new PlsctlError(`Could not ${what}: ${net.message}`, { ...net, cause: err });
    const message = err instanceof Error ? err.message : String(err);
    const lro = /The long-running operation has failed\. ([A-Za-z]+)\. (.*)/s.exec(message);
    return new PlsctlError(
      lro
        ? `Could not ${what}: Azure reported ${lro[1]}: ${firstSentence(lro[2] ?? "")}`
        : `Could not ${what}: ${message}`,
      { exitCode: ExitCode.Failed, code: lro?.[1] ?? "AzureError", cause: err },
    );
  }
  const code = rest.code ?? `Http${rest.statusCode}`;
  const status = rest.statusCode;
  if (status === 401) {
    const otherTenant = code === "InvalidAuthenticationTokenTenant";
    return new PlsctlError(
      `Could not ${what}: Azure rejected the credentials (${code})${otherTenant ? ": the token is for another tenant than the one this subscription belongs to" : ""}.`,
      {
        exitCode: ExitCode.Auth,
        code,
        cause: err,
        hint: otherTenant
          ? "Sign in to the subscription's tenant: pass --tenant <tenant id> (or az login --tenant <id>), or use that tenant's PLSCTL_ACCESS_TOKEN."
          : AUTH_HINT,
      },
    );
  }
  if (status === 403) {
    const parsed = parseAuthorizationMessage(rest.message);
    const action = parsed.action ?? needed?.action;
    const scope = parsed.scope ?? needed?.scope;
    const detail =
      action && scope ? `not allowed to perform '${action}' on ${scope}` : firstSentence(rest.message);
    return new PlsctlError(`Could not ${what}: ${detail} (${code}).`, {
      exitCode: ExitCode.Auth,
      code,
      cause: err,
      hint:
        action && scope
          ? `Ask an owner to grant a role that includes '${action}' at that scope (or above). If access was granted recently, sign in again to refresh the token.`
          : "Check the role assignments of the identity plsctl runs as.",
    });
  }
  if (status === 404) {
    return new PlsctlError(`Could not ${what}: not found (${code}: ${firstSentence(rest.message)})`, {
      exitCode: ExitCode.NotFound,
      code,
      cause: err,
    });
  }
  if (status === 429) {
    const after = rest.response?.headers?.get?.("retry-after");
    return new PlsctlError(
      `Could not ${what}: Azure is throttling requests${after ? ` (retry after ${after} s)` : ""}.`,
      {
        exitCode: ExitCode.Failed,
        code,
        cause: err,
        hint: "Wait a little and re-run; the command is safe to repeat.",
      },
    );
  }
  return new PlsctlError(`Could not ${what}: ${firstSentence(rest.message)} (${status} ${code}).`, {
    exitCode: ExitCode.Failed,
    code,
    cause: err,
  });
}
