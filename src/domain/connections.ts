/**
 * A private endpoint connection as plsctl shows it: one projection for every command that lists
 * connections (status, unexpose, connections, approve/reject/remove). The requester is the subscription of
 * the partner's private endpoint, read from its resource id (ARM spells ids in any casing).
 */
import { parseAudit } from "./audit.js";
import type { ConnectionView } from "./pls.js";
import { parseResourceId } from "./resource-id.js";

/** The `-o json` shape of a connection (fields are added, never renamed). */
export interface ConnectionSummary {
  /** The connection's name (`<endpoint name>.<guid>` on AKS-made PLSs). */
  name: string;
  /** The partner's subscription, lower case; null when the endpoint id is missing or malformed. */
  requesterSubscription: string | null;
  privateEndpointId: string | null;
  privateEndpointName: string | null;
  /** Pending, Approved, Rejected, Disconnected (as ARM reports it); Unknown when ARM says nothing. */
  status: string;
  description: string | null;
  actionsRequired: string | null;
  /**
   * Azure's link id of the connection (`linkIdentifier`, a 32-bit unsigned number as a decimal
   * string): what a PROXY protocol v2 header names the partner by. Null when ARM gives none
   * (connections to PaaS resources).
   */
  linkIdentifier: string | null;
  /** The policy entry (or `enforce`, `cli`) that plsctl's audit marker names; null when none (or Pending). */
  rule: string | null;
  /** The policy revision that marker names; null when none. */
  revision: string | null;
}

/** What `connections --state` takes (ARM's states, lower case). */
export const CONNECTION_STATES = ["pending", "approved", "rejected", "disconnected"] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export interface EndpointRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/privateEndpoints/<name>`, any casing. */
export function parsePrivateEndpointId(id: string | undefined): EndpointRef | undefined {
  const parsed = id ? parseResourceId(id) : undefined;
  if (parsed?.path.length !== 2 || parsed.path[0]?.toLowerCase() !== "privateendpoints") {
    return undefined;
  }
  return {
    subscriptionId: parsed.subscriptionId.toLowerCase(),
    resourceGroup: parsed.resourceGroup,
    name: parsed.name,
  };
}

/** Read only from a decided connection: a Pending one's description is the partner's message. */
function auditOf(
  status: string,
  description: string | null,
): { rule: string | null; revision: string | null } {
  const a = status === "Pending" ? null : parseAudit(description);
  return { rule: a?.rule ?? null, revision: a?.revision ?? null };
}

const orNull = (v: string | undefined): string | null => (v === undefined || v === "" ? null : v);

export function summarizeConnection(c: ConnectionView): ConnectionSummary {
  const endpoint = parsePrivateEndpointId(c.privateEndpointId);
  const status = c.status || "Unknown";
  return {
    name: c.name,
    requesterSubscription: endpoint?.subscriptionId ?? orNull(c.requesterSubscription),
    privateEndpointId: orNull(c.privateEndpointId),
    privateEndpointName: endpoint?.name ?? null,
    status,
    description: orNull(c.description),
    actionsRequired: orNull(c.actionsRequired),
    linkIdentifier: orNull(c.linkIdentifier),
    ...auditOf(status, orNull(c.description)),
  };
}

/** A connection with the PLS it belongs to (`connections -o json` items; fields are added, never renamed). */
export interface ListedConnection extends ConnectionSummary {
  pls: string;
  plsId: string;
}

/** The `-o json` document of `plsctl connections`. */
export interface ConnectionsResult {
  /** The PLSs looked at (also those without connections). */
  pls: Array<{ name: string; id: string }>;
  connections: ListedConnection[];
}

const UINT32_MAX = 0xffff_ffff;

/**
 * `--link-id <n>`: a link id as logs show it (PROXY protocol v2's LINKID, an unsigned 32-bit
 * integer in decimal); undefined when it is not one.
 */
export function parseLinkId(value: string): string | undefined {
  if (!/^\d+$/.test(value)) return undefined;
  const digits = value.replace(/^0+(?=\d)/, "");
  return digits.length <= 10 && Number(digits) <= UINT32_MAX ? digits : undefined;
}

/** Whether a connection is the one behind link id `linkId` (as parseLinkId returns it). */
export const hasLinkId = (c: ConnectionSummary, linkId: string): boolean =>
  c.linkIdentifier !== null && parseLinkId(c.linkIdentifier) === linkId;
