/**
 * Azure SDK errors turned into sentences and exit codes. `what` names the operation in words
 * ("read Private Link Service pls-app"), so every message says what failed, why, and what to do.
 */
import { ExitCode, isAbortError, PlsctlError } from "../domain/errors.js";
import { networkError } from "../domain/network-errors.js";
import type { PlsctlEnv } from "../env.js";
import { ARM_RETRY_BUDGET_MS, RETRIED_HEADER, RETRYABLE_CONFLICT } from "./retry.js";

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  details?: unknown;
  request?: { url?: string };
  response?: {
    headers?: { get?(name: string): string | undefined };
    bodyAsText?: string | null;
    request?: { url?: string };
  };
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

/**
 * ARM's own error message, or undefined where the SDK lost it: paged calls replace it with
 * "Pagination failed with unexpected statusCode 404" and keep only the code.
 */
function armMessage(rest: RestErrorLike): string | undefined {
  if (!rest.message.startsWith("Pagination failed")) return rest.message;
  const fromBody = (body: unknown): string | undefined => {
    const e = (body as { error?: { message?: unknown } } | undefined)?.error;
    return typeof e?.message === "string" ? e.message : undefined;
  };
  try {
    return (
      fromBody(rest.details) ??
      fromBody(rest.response?.bodyAsText ? JSON.parse(rest.response.bodyAsText) : undefined)
    );
  } catch {
    return undefined;
  }
}

/** Subscription and resource group of the request that failed, from its URL. */
function requestScope(rest: RestErrorLike): { subscription?: string; resourceGroup?: string } {
  const url = rest.request?.url ?? rest.response?.request?.url;
  const path = url ? decodeURIComponent(new URL(url).pathname) : "";
  const subscription = /\/subscriptions\/([^/]+)/i.exec(path)?.[1];
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(path)?.[1];
  return { ...(subscription ? { subscription } : {}), ...(resourceGroup ? { resourceGroup } : {}) };
}

const LIST_COMMANDS: Record<string, string> = {
  "microsoft.containerservice/managedclusters": "az aks list",
  "microsoft.network/privatelinkservices": "az network private-link-service list",
  "microsoft.network/loadbalancers": "az network lb list",
};

function notFound(rest: RestErrorLike, code: string, what: string, err: unknown): PlsctlError {
  const message = armMessage(rest) ?? "";
  const scope = requestScope(rest);
  const inSub = scope.subscription ? ` in subscription ${scope.subscription}` : "";
  const subFlag = scope.subscription ? ` --subscription ${scope.subscription}` : "";
  if (code === "ResourceGroupNotFound") {
    const group = /Resource group '([^']+)'/.exec(message)?.[1] ?? scope.resourceGroup ?? "(unknown)";
    return new PlsctlError(`Could not ${what}: resource group ${group} does not exist${inSub} (${code}).`, {
      exitCode: ExitCode.NotFound,
      code,
      cause: err,
      hint: `Check the resource group name and the subscription (az group list${subFlag} -o table).`,
    });
  }
  // "The Resource 'Microsoft.ContainerService/managedClusters/nope' under resource group 'rg' was not found."
  const resource = /The Resource '([^']+)\/([^'/]+)' under resource group '([^']+)'/.exec(message);
  const group = resource?.[3] ?? scope.resourceGroup;
  const list = (resource?.[1] && LIST_COMMANDS[resource[1].toLowerCase()]) ?? "az resource list";
  return new PlsctlError(
    `Could not ${what}: not found (${code}${message ? `: ${firstSentence(message)}` : ""})`,
    {
      exitCode: ExitCode.NotFound,
      code,
      cause: err,
      hint: `Check the name, the resource group and the subscription (${list}${group ? ` --resource-group ${group}` : ""}${subFlag} -o table).`,
    },
  );
}

/** The expiry (`exp` claim) of a JWT access token, if it is one. Only the time is ever shown. */
function jwtExpiry(token: string): Date | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as {
      exp?: unknown;
    };
    return typeof payload.exp === "number" ? new Date(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** ARM's 401 codes that mean the token itself was refused, with why in words. */
const TOKEN_REJECTED: Record<string, string> = {
  InvalidAuthenticationToken: "it is not a valid access token",
  ExpiredAuthenticationToken: "it has expired",
  InvalidAuthenticationTokenAudience: "it was issued for another audience than Azure Resource Manager",
  AuthenticationFailed: "it was not accepted",
};

/** A 401 from ARM; which credential sent the token is known only at the top (explainCredentials). */
export class CredentialsRejectedError extends PlsctlError {
  constructor(
    message: string,
    readonly what: string,
    readonly armCode: string,
    readonly armMessage: string | undefined,
    options: { hint: string; cause: unknown },
  ) {
    super(message, { exitCode: ExitCode.Auth, code: armCode, ...options });
  }
}

/**
 * With PLSCTL_ACCESS_TOKEN set, plsctl sent that token as is: say that it was rejected and why,
 * instead of advising `az login` (which would not change what plsctl sends).
 */
export function explainCredentials(err: unknown, env: Pick<PlsctlEnv, "accessToken">): unknown {
  if (!(err instanceof CredentialsRejectedError) || !env.accessToken) return err;
  const reason = TOKEN_REJECTED[err.armCode];
  if (!reason) return err;
  const expiry = jwtExpiry(env.accessToken);
  const why =
    err.armCode === "ExpiredAuthenticationToken" && expiry ? `it expired at ${expiry.toISOString()}` : reason;
  const arm = err.armMessage ? `: ${firstSentence(err.armMessage)}` : "";
  return new PlsctlError(
    `Could not ${err.what}: Azure rejected the token in PLSCTL_ACCESS_TOKEN: ${why} (${err.armCode}${arm}).`,
    {
      exitCode: ExitCode.Auth,
      code: err.armCode,
      cause: err.cause,
      hint:
        "PLSCTL_ACCESS_TOKEN is sent as is and never refreshed: set a fresh ARM token " +
        "(export PLSCTL_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv)), " +
        'or unset it to use az login or a service principal. For the sandbox: eval "$(plsctl sandbox env)".',
    },
  );
}

const firstSentence = (message: string): string => {
  const line = message.split("\n")[0] ?? message;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
};

/** "; retried 3 times over 45 s" — from the mark retry.ts leaves on the answer it gave up on. */
function retriedNote(rest: RestErrorLike): string {
  const mark = rest.response?.headers?.get?.(RETRIED_HEADER)?.split(" ").map(Number);
  if (mark?.length !== 3 || mark.some(Number.isNaN)) return "";
  const [tries = 0, waited = 0, next = 0] = mark;
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
  return tries > 0
    ? `; retried ${tries} time${tries === 1 ? "" : "s"} over ${seconds(waited)}`
    : `; Azure asks to wait ${seconds(next)}, longer than plsctl waits (${seconds(ARM_RETRY_BUDGET_MS)})`;
}

const DENIED = "DenyAssignmentAuthorizationFailed";

/**
 * "… has permission to perform action 'A' on scope 'S'; however, the access is denied because of
 * the deny assignment with name 'N' and Id 'I' at scope 'D'." — ARM's words for an action a deny
 * assignment blocks (e.g. AKS node resource group lockdown, https://aka.ms/aks/nrg_lockdown).
 */
export function parseDenyMessage(message: string): {
  action?: string;
  scope?: string;
  name?: string;
  denyScope?: string;
} {
  const m =
    /perform action '([^']+)' on scope '([^']+)'; however, the access is denied because of the deny assignment with name '(.+?)'(?: and Id '[^']*')? at scope '([^']+)'/s.exec(
      message,
    );
  return m ? { action: m[1], scope: m[2], name: m[3], denyScope: m[4] } : {};
}

/**
 * A deny assignment refused the call: no role assignment can override it. Node resource group
 * lockdown (AKS `restrictionLevel: ReadOnly`) is named as such, with where a PLS can go instead.
 */
function denyAssignmentError(rest: RestErrorLike, what: string, err: unknown): PlsctlError {
  const message = armMessage(rest) ?? rest.message;
  const d = parseDenyMessage(message);
  const lockdown = /nrg[-_]lockdown|node resource group deny assignment/i.test(d.name ?? message);
  const group = d.denyScope ? /\/resourcegroups\/([^/]+)/i.exec(d.denyScope)?.[1] : undefined;
  const which = lockdown
    ? `the AKS node resource group lockdown deny assignment on ${group ?? d.denyScope ?? "the node resource group"}`
    : `deny assignment '${d.name ?? "(unnamed)"}'${d.denyScope ? ` at ${d.denyScope}` : ""}`;
  const action = d.action ? ` '${d.action}'` : "";
  return new PlsctlError(
    `Could not ${what}: ${which} forbids${action || " it"} for every principal but the cluster's own identities (${DENIED}).`,
    {
      exitCode: ExitCode.Auth,
      code: DENIED,
      cause: err,
      hint: lockdown
        ? "A deny assignment cannot be overridden by any role assignment. Put the Private Link Service outside the node resource group (plsctl expose <service> --pls-resource-group <rg>, a resource group where the cluster identity has Network Contributor; this recreates the PLS with a new alias), let the AKS controller approve through --auto-approve <subscription>, or ask the cluster owner (az aks update --nrg-lockdown-restriction-level Unrestricted)."
        : "A deny assignment cannot be overridden by any role assignment: ask whoever owns it (its name says which service created it) to do this, or to exclude your identity.",
    },
  );
}

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
      {
        exitCode: ExitCode.Failed,
        code: lro?.[1] ?? "AzureError",
        cause: err,
        hint: lro ? failedOperationHint(`${lro[1]} ${lro[2] ?? ""}`) : SERVER_HINT,
      },
    );
  }
  const code = rest.code ?? `Http${rest.statusCode}`;
  const status = rest.statusCode;
  if (status === 401) {
    const otherTenant = code === "InvalidAuthenticationTokenTenant";
    return new CredentialsRejectedError(
      `Could not ${what}: Azure rejected the credentials (${code})${otherTenant ? ": the token is for another tenant than the one this subscription belongs to" : ""}.`,
      what,
      code,
      armMessage(rest),
      {
        cause: err,
        hint: otherTenant
          ? "Sign in to the subscription's tenant: pass --tenant <tenant id> (or az login --tenant <id>), or use that tenant's PLSCTL_ACCESS_TOKEN."
          : AUTH_HINT,
      },
    );
  }
  if (status === 403 && code === DENIED) return denyAssignmentError(rest, what, err);
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
  if (status === 404) return notFound(rest, code, what, err);
  const retried = retriedNote(rest);
  if (status === 429 || status === 503 || code === RETRYABLE_CONFLICT) {
    const why =
      code === RETRYABLE_CONFLICT
        ? "another operation on this resource is still running"
        : status === 429
          ? "Azure is throttling requests"
          : "Azure Resource Manager is unavailable for now";
    return new PlsctlError(`Could not ${what}: ${why} (${status} ${code})${retried}.`, {
      exitCode: ExitCode.Failed,
      code,
      cause: err,
      hint: "Wait a minute and re-run; the command is safe to repeat.",
    });
  }
  return new PlsctlError(`Could not ${what}: ${firstSentence(rest.message)} (${status} ${code})${retried}.`, {
    exitCode: ExitCode.Failed,
    code,
    cause: err,
    hint:
      status >= 500
        ? SERVER_HINT
        : /quota|limit/i.test(`${code} ${rest.message}`)
          ? QUOTA_HINT
          : "Azure refused the request as sent, for the reason above: fix that and re-run (--verbose shows the request).",
  });
}

/** What to do after an error on Azure's side (5xx, or an operation that failed there). */
const SERVER_HINT =
  "This failed on Azure's side: re-run in a few minutes (the command is safe to repeat); if it persists, check Azure's service health for the region and the resource's activity log.";
const QUOTA_HINT =
  "A quota or limit was reached: free some (delete what is unused) or ask for more (Azure portal: Subscriptions > Usage + quotas), then re-run.";

const failedOperationHint = (text: string): string => (/quota|limit/i.test(text) ? QUOTA_HINT : SERVER_HINT);
