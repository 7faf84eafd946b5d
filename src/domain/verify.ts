/**
 * `plsctl verify`: the result document and the pure rules that name the likely cause when the
 * partner does not reach the Service behind a private endpoint. A connection from a private
 * endpoint reaches the pods with a source address taken from the PLS NAT IPs (or a node IP with
 * `externalTrafficPolicy: Cluster`), never the partner's own
 * (https://learn.microsoft.com/azure/private-link/private-link-service-overview, "Source NAT").
 */
import { approveCommand } from "./connect.js";
import { usageError } from "./errors.js";

export type VerifyStepName = "endpoint" | "resolve" | "connect" | "http";

export interface VerifyStep {
  step: VerifyStepName;
  ok: boolean;
  /** How long the step took; null when another step did its work (the proxy resolves in `connect`). */
  ms: number | null;
  detail: string;
}

export type VerifyCauseKind =
  | "not-approved"
  | "dns-mismatch"
  | "not-resolved"
  | "refused"
  | "timeout"
  | "unreachable"
  | "http-failed";

export interface VerifyCause {
  kind: VerifyCauseKind;
  message: string;
  hint: string | null;
}

export interface VerifyEndpoint {
  id: string;
  name: string;
  resourceGroup: string;
  state: string;
  description: string | null;
  privateIp: string | null;
}

export interface VerifyHttp {
  status: number;
  /** A few headers (lower-case names): content-type, content-length, server, x-sandbox-*. */
  headers: Record<string, string>;
  /** `X-Sandbox-Source-Ip`: the address the pod saw (sandbox only), else null. */
  sourceIp: string | null;
  /**
   * `X-Sandbox-Link-Id`: the Azure LINKID the app read from the PROXY protocol v2 header of the
   * connection (the PLS has proxy protocol on); absent when no header came.
   */
  linkIdentifier?: string;
  /** The first bytes of the body (at most BODY_PREVIEW characters). */
  body: string;
}

/** `plsctl verify -o json`: a contract (fields are added, never renamed). */
export interface VerifyResult {
  reached: boolean;
  /** "proxy": through the sandbox's partner network (PLSCTL_SANDBOX_PROXY); "direct": from this machine. */
  via: "proxy" | "direct";
  target: { host: string; port: number; address: string | null };
  endpoint: VerifyEndpoint | null;
  /** Set when the target is a name: what it resolved to, and whether that is the endpoint's IP. */
  dns: { name: string; addresses: string[]; matchesEndpoint: boolean | null } | null;
  steps: VerifyStep[];
  http: VerifyHttp | null;
  cause: VerifyCause | null;
}

export const BODY_PREVIEW = 200;
export const KEPT_HEADERS = ["content-type", "content-length", "server"];

/** Not Approved: Pending names the line the provider runs; Rejected carries their description. */
export function notApprovedCause(
  ep: VerifyEndpoint,
  target: string,
  partnerSubscription: string,
): VerifyCause {
  const base = `Private endpoint ${ep.name}'s connection is ${ep.state}, so no traffic flows through it.`;
  if (ep.state === "Pending") {
    const pls = target.startsWith("/") && !/\/privateLinkServices\//i.test(target) ? null : target;
    return {
      kind: "not-approved",
      message: `${base} The provider has not approved it yet.`,
      hint: pls
        ? `Ask the provider to run: ${approveCommand(pls, ep.name, partnerSubscription)}`
        : "Ask the owner of the target resource to approve the connection.",
    };
  }
  if (ep.state === "Rejected")
    return {
      kind: "not-approved",
      message: `${base} The provider rejected it${ep.description ? `: "${ep.description}"` : "."}`,
      hint: "Talk to the provider; once they agree, delete the endpoint (plsctl disconnect) and connect again.",
    };
  if (ep.state === "Disconnected") return disconnectedCause(ep, target, base);
  return {
    kind: "not-approved",
    message: `${base}${ep.description ? ` (${ep.description})` : ""}`,
    hint: "The provider removed the connection: delete the endpoint (plsctl disconnect) and connect again.",
  };
}

/**
 * Disconnected: the provider's side of the connection is gone. A Private Link Service dies with its
 * load-balancer frontend (a Service deleted or recreated, a cluster replaced), its connections
 * removed first (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_privatelinkservice.go,
 * safeDeletePLS); the new one has a new alias, and the endpoint can only be replaced
 * (learn.microsoft.com/azure/private-link/manage-private-endpoint: Disconnected "should be deleted").
 */
function disconnectedCause(ep: VerifyEndpoint, target: string, base: string): VerifyCause {
  return {
    kind: "not-approved",
    message: `${base} The provider removed or recreated its service: the Private Link Service behind it (${target || "unknown"}) is gone or no longer has this connection${ep.description ? ` ("${ep.description}")` : ""}.`,
    hint: `Ask the provider for the new alias of their service (plsctl expose prints it), then replace this endpoint under the same name, keeping its DNS name: plsctl connect --pls <new alias> --name ${ep.name} -g ${ep.resourceGroup} --vnet <vnet> --subnet <subnet> --replace`,
  };
}

export function dnsMismatchCause(name: string, addresses: string[], endpointIp: string): VerifyCause {
  return {
    kind: "dns-mismatch",
    message: `${name} resolves to ${addresses.join(", ")}, the endpoint's IP is ${endpointIp}.`,
    hint: `Point ${name} at ${endpointIp}: fix the A record in the private DNS zone linked to your VNet (plsctl connect --dns-zone writes it).`,
  };
}

export function notResolvedCause(name: string, via: "proxy" | "direct"): VerifyCause {
  return {
    kind: "not-resolved",
    message: `${name} does not resolve${via === "proxy" ? " in your VNet (no private DNS zone linked to it has that name)" : ""}.`,
    hint: "Create the record in a private DNS zone linked to your VNet (plsctl connect --dns-zone), or verify by --address <ip>.",
  };
}

export function refusedCause(target: string, why: string): VerifyCause {
  return {
    kind: "refused",
    message: `The connection to ${target} was refused: ${why}`,
    hint: "Check --port against the Service's ports (plsctl status <service> on the provider's side) and that its pods are ready.",
  };
}

export function timeoutCause(target: string, why: string): VerifyCause {
  return {
    kind: "timeout",
    message: `The connection to ${target} timed out / was dropped: ${why}`,
    hint:
      "A NetworkPolicy may be blocking: the pods see the PLS NAT IPs, not your address. Ask the provider to admit the NAT IPs " +
      "(plsctl netpol <service> --apply) on a Service with externalTrafficPolicy: Local (with Cluster the pods see a node IP).",
  };
}

export function unreachableCause(target: string, why: string): VerifyCause {
  return {
    kind: "unreachable",
    message: `${target} is unreachable: ${why}`,
    hint: "Check that the endpoint's connection is Approved (plsctl verify --endpoint <name> -g <rg>) and that you run this from the endpoint's VNet.",
  };
}

export function httpFailedCause(target: string, why: string): VerifyCause {
  return {
    kind: "http-failed",
    message: `The TCP connection to ${target} opened, but the HTTP request failed: ${why}`,
    hint: "Check that the Service speaks plain HTTP on this port (use --port, or leave out --http to test TCP only).",
  };
}

/** The timings worded for a human: `12 ms`, or `(in connect)` when another step did the work. */
export const stepTime = (s: VerifyStep): string => (s.ms === null ? "" : `${s.ms} ms`);

/** `--port`: an integer 1..65535. */
export function parsePort(raw: string): number {
  const n = /^\d{1,5}$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= 65535))
    throw usageError(
      `--port ${JSON.stringify(raw)} is not a TCP port.`,
      "Pass a number from 1 to 65535, e.g. --port 80.",
    );
  return n;
}

/** `--http`: a path that starts with `/`. */
export function checkHttpPath(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!raw.startsWith("/") || /^\/[\x21-\x7e]*$/.test(raw) === false)
    throw usageError(
      `--http ${JSON.stringify(raw)} is not a request path.`,
      "Pass a path that starts with /, e.g. --http /.",
    );
  return raw;
}
