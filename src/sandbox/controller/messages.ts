/**
 * Error and event texts of the AKS cloud controller, word for word: the events of k8s.io/cloud-provider
 * controllers/service/controller.go (syncService, syncLoadBalancerIfNeeded) and the fmt.Errorf texts of
 * kubernetes-sigs/cloud-provider-azure pkg/provider/azure_privatelinkservice.go and azure_loadbalancer.go.
 * `<svc>` is always `<namespace>/<name>`.
 */
import { STATUS_CODES } from "node:http";

/** An error whose message is the exact text the real controller puts into the event. */
export class ControllerError extends Error {
  override name = "ControllerError";
}

/** An ARM error response, rendered as azcore's `ResponseError.Error()` text. */
export class ArmResponseError extends ControllerError {
  override name = "ArmResponseError";
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const EVENT = {
  ensuring: { type: "Normal", reason: "EnsuringLoadBalancer", message: "Ensuring load balancer" },
  ensured: { type: "Normal", reason: "EnsuredLoadBalancer", message: "Ensured load balancer" },
  deleting: { type: "Normal", reason: "DeletingLoadBalancer", message: "Deleting load balancer" },
  deleted: { type: "Normal", reason: "DeletedLoadBalancer", message: "Deleted load balancer" },
} as const;

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export function syncFailedEnsure(err: string): EventSpec {
  return {
    type: "Warning",
    reason: "SyncLoadBalancerFailed",
    message: `Error syncing load balancer: failed to ensure load balancer: ${err}`,
  };
}

export function syncFailedDelete(err: string): EventSpec {
  return {
    type: "Warning",
    reason: "SyncLoadBalancerFailed",
    message: `Error syncing load balancer: failed to delete load balancer: ${err}`,
  };
}

export function syncFailedCheck(err: string): EventSpec {
  return {
    type: "Warning",
    reason: "SyncLoadBalancerFailed",
    message: `Error syncing load balancer: failed to check if load balancer exists before cleanup: ${err}`,
  };
}

export const MSG = {
  floatingIp: (svc: string) =>
    `reconcilePrivateLinkService for service(${svc}): service requiring private link service must be internal or disable floating ip`,
  ipv6: () => "IPv6 is not supported for private link service",
  unmanaged: (svc: string, fipId: string, plsId: string) =>
    `reconcilePrivateLinkService for service(${svc}) failed: LB frontend(${fipId}) already has unmanaged private link service(${plsId})`,
  ownedBy: (svc: string, fipId: string, plsName: string, owner: string) =>
    `reconcilePrivateLinkService for service(${svc}) failed: LB frontend(${fipId}) already has existing private link service(${plsName}) owned by service(${owner})`,
  rename: (svc: string, oldName: string, newName: string) =>
    `getPrivateLinkServiceName(${svc}) failed: cannot change existing private link service name (${oldName}) to (${newName})`,
  natSubnetMissing: (subnet: string, svc: string) =>
    `checkAndUpdatePLSIPConfigs: failed to get private link service subnet(${subnet}) for service(${svc})`,
  policySubnetMissing: (subnet: string, svc: string) =>
    `disablePLSNetworkPolicy: failed to get private link service subnet(${subnet}) for service(${svc})`,
  staticIpsExceedCount: (count: number, n: number) =>
    `checkAndUpdatePLSIPConfigs: ipConfigCount(${count}) must be no smaller than number of static IPs specified(${n})`,
  ipConfigSuffixTooLong: (suffix: string) =>
    `reconcilePLSIpConfigs: frontend ipConfig suffix ${suffix} is too long (not likely to happen)`,
  lbSubnetMissing: (svc: string, lb: string, vnet: string, subnet: string) =>
    `ensure(${svc}): lb(${lb}) - failed to get subnet: ${vnet}/${subnet}`,
  // PR kubernetes-sigs/cloud-provider-azure#10943 ("reject service reusing an existing private link
  // service name", 2026-09) rejects the Service; its exact text is not published in a release we
  // could read, so the sandbox words it in the style of the other reconcilePrivateLinkService errors.
  nameInUse: (svc: string, name: string, plsId: string, fipId: string) =>
    `reconcilePrivateLinkService for service(${svc}) failed: private link service name (${name}) is already used by private link service(${plsId}) on another LB frontend(${fipId})`,
  // content/en/topics/pls-integration.md (cloud-provider-azure docs), Restrictions: "In dual-stack
  // clusters, users cannot create a service with PLS if there's existing IPv6 service deployed on
  // the same load balancer." The docs give no error text: the sandbox's own words.
  ipv6OnLb: (svc: string, lb: string, fipId: string) =>
    `reconcilePrivateLinkService for service(${svc}) failed: load balancer(${lb}) has IPv6 frontend(${fipId}): in dual-stack clusters a private link service cannot be created on a load balancer with an IPv6 service`,
  getPls: (err: string) => `get PLS: ${err}`,
  putPls: (err: string) => `create or update PLS: ${err}`,
  deletePls: (err: string) => `delete PLS: ${err}`,
  deletePeConnection: (err: string) => `delete PLS PE connection: ${err}`,
} as const;

const SEPARATOR = "-".repeat(80);

/** The error code azcore extracts from a response body: `error.code`, else top-level `code`. */
export function errorCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown }; code?: unknown };
    const code = parsed.error?.code ?? parsed.code;
    return typeof code === "string" ? code : "";
  } catch {
    return "";
  }
}

/**
 * azcore `ResponseError.Error()`: `<METHOD> <scheme>://<host><path>` (no query), the status line,
 * the error code, the pretty-printed body, each block closed by an 80-dash separator.
 */
export function azcoreErrorText(method: string, url: string, status: number, body: string): string {
  const u = new URL(url);
  const lines: string[] = [];
  lines.push(`${method} ${u.protocol}//${u.host}${u.pathname}`);
  lines.push(SEPARATOR);
  lines.push(`RESPONSE ${status}: ${status} ${STATUS_CODES[status] ?? ""}`.trimEnd());
  const code = errorCodeOf(body);
  lines.push(code ? `ERROR CODE: ${code}` : "ERROR CODE UNAVAILABLE");
  lines.push(SEPARATOR);
  if (body.length > 0) {
    try {
      lines.push(JSON.stringify(JSON.parse(body), null, 2));
    } catch {
      lines.push(body);
    }
  } else {
    lines.push("Response contained no body");
  }
  lines.push(SEPARATOR);
  return `${lines.join("\n")}\n`;
}

export function armError(method: string, url: string, status: number, body: string): ArmResponseError {
  return new ArmResponseError(status, errorCodeOf(body), azcoreErrorText(method, url, status, body));
}

/** Message text of any thrown value. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
