/**
 * `POST /_sandbox/requests`: a connection request from a Microsoft-managed requester, as Azure
 * shows it on the Private Link Service — an endpoint in a subscription Microsoft owns (here
 * MICROSOFT_MANAGED_SUBSCRIPTION; Azure names none publicly), Pending, carrying:
 * - frontdoor: the origin's request message (learn.microsoft.com/azure/frontdoor/private-link:
 *   "Front Door creates a private endpoint on your behalf from an Azure Front Door managed regional
 *   private network"; the origin's "Request message" in how-to-enable-private-link-internal-load-balancer);
 * - fabric: the managed private endpoint's requestMessage, at most 140 characters
 *   (learn.microsoft.com/rest/api/fabric/core/managed-private-endpoints);
 * - datafactory: no message (the 2018-06-01 ManagedPrivateEndpoint has none); the endpoint is
 *   named `<factory>.<managed private endpoint>`, as the portal lists it.
 * The PLS must exist and be visible as Azure requires of any requester; only the sandbox's admin
 * token can ask (no identity of the world is Microsoft).
 */
import { randomUUID } from "node:crypto";
import { PLS, pecs } from "./handlers/pls-model.js";
import type { ArmState, Json } from "./types.js";
import { key, weakEtag } from "./util.js";

export const MICROSOFT_MANAGED_SUBSCRIPTION = "5e2a0d4f-6b1c-4f3e-9a8d-7c6b5a4f3e2d";
export const MANAGED_KINDS = ["frontdoor", "fabric", "datafactory"] as const;
export type ManagedKind = (typeof MANAGED_KINDS)[number];

export interface ManagedRequest {
  kind: ManagedKind;
  pls: string;
  message?: string;
  /** datafactory: the factory's name. */
  factory?: string;
  /** The managed private endpoint's own name (default: a generated one). */
  name?: string;
}

const RG: Record<ManagedKind, string> = {
  frontdoor: "afd-managed-westeurope",
  fabric: "fabric-managed-vnet",
  datafactory: "adf-managed-vnet",
};

type Answer = { status: number; body: unknown };
const bad = (message: string): Answer => ({
  status: 400,
  body: { error: { code: "InvalidRequest", message } },
});

export function managedRequestProblems(b: unknown): string | undefined {
  const r = (b ?? {}) as Record<string, unknown>;
  if (!MANAGED_KINDS.includes(r.kind as ManagedKind)) return `kind must be one of ${MANAGED_KINDS.join("|")}`;
  if (typeof r.pls !== "string" || r.pls === "")
    return "pls (a Private Link Service resource id) is required";
  if (r.kind === "datafactory") {
    if (r.message !== undefined) return "a Data Factory managed private endpoint sends no request message";
    if (typeof r.factory !== "string" || !/^[A-Za-z0-9-]{3,63}$/.test(r.factory))
      return "factory (the Data Factory's name: letters, digits, '-') is required for datafactory";
  } else if (typeof r.message !== "string" || r.message === "")
    return `message is required for ${String(r.kind)}`;
  else if (r.message.length > 140) return "message: at most 140 characters";
  if (r.name !== undefined && !(typeof r.name === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(r.name)))
    return "name: letters, digits, '_', '.', '-' (at most 64)";
  return undefined;
}

export function addManagedRequest(state: ArmState, r: ManagedRequest): Answer {
  const problem = managedRequestProblems(r);
  if (problem) return bad(problem);
  const pls = state.resources[key(r.pls)];
  if (!pls || pls.type.toLowerCase() !== PLS.toLowerCase())
    return {
      status: 404,
      body: { error: { code: "NotFound", message: `No Private Link Service ${r.pls}.` } },
    };
  const own = r.name ?? `${r.kind}-${randomUUID().slice(0, 8)}`;
  const peName = r.kind === "datafactory" ? `${r.factory}.${own}` : own;
  const peId = `/subscriptions/${MICROSOFT_MANAGED_SUBSCRIPTION}/resourceGroups/${RG[r.kind]}/providers/Microsoft.Network/privateEndpoints/${peName}`;
  const name = `${peName}.${randomUUID()}`;
  const pec: Json = {
    id: `${pls.id}/privateEndpointConnections/${name}`,
    name,
    type: `${PLS}/privateEndpointConnections`,
    etag: weakEtag(),
    properties: {
      provisioningState: "Succeeded",
      privateEndpoint: { id: peId },
      privateEndpointLocation: pls.location ?? "westeurope",
      privateLinkServiceConnectionState: {
        status: "Pending",
        description: r.kind === "datafactory" ? "" : (r.message ?? ""),
        actionsRequired: "None",
      },
    },
  };
  pls.properties.privateEndpointConnections = [...pecs(pls), pec];
  pls.etag = weakEtag();
  return { status: 201, body: pec };
}
