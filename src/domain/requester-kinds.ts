/**
 * Requesters that are not a partner's subscription: Microsoft-managed private endpoints that reach
 * a Private Link Service on a customer's behalf. Their endpoint lives in a subscription Microsoft
 * owns (no public document names it or the endpoint's resource group), so a policy entry matches
 * them on what the connection carries:
 *
 * - `frontdoor` — Azure Front Door Premium origins: "Front Door creates a private endpoint on your
 *   behalf from an Azure Front Door managed regional private network. You'll receive an Azure Front
 *   Door private endpoint request at the origin pending your approval" (learn.microsoft.com/azure/
 *   frontdoor/private-link). The origin's "Request message" (how-to-enable-private-link-internal-
 *   load-balancer) is the connection's description while Pending: the entry's `message` (required).
 * - `fabric` — Microsoft Fabric workspace managed private endpoints to a PLS, created with the PLS's
 *   resource id and the FQDNs it serves (learn.microsoft.com/fabric/security/connect-to-on-premise-
 *   sources-using-managed-private-endpoints) and a `requestMessage` of at most 140 characters
 *   (learn.microsoft.com/rest/api/fabric/core/managed-private-endpoints): `message` (required).
 * - `datafactory` — Azure Data Factory managed private endpoints (`privateLinkResourceId`, `fqdns`,
 *   `groupId`; Azure/azure-rest-api-specs datafactory 2018-06-01 ManagedPrivateEndpoint) have no
 *   request message. What the connection shows is the endpoint's name, `<factory>.<managed private
 *   endpoint>` as the Azure portal lists it (observed, not documented): the entry's `factories`
 *   (required) must hold the part before the first dot. If Azure names them otherwise, the entry
 *   matches nothing (it fails closed; --enforce rejects nothing it did not see).
 *
 * A listed `subscriptions` (optional for these kinds) narrows further to the Microsoft-managed
 * subscription seen in the Pending connection's private endpoint id.
 */
import type { ConnectionSummary } from "./connections.js";

export const REQUESTER_KINDS = ["partner", "frontdoor", "fabric", "datafactory"] as const;

/** What each kind must carry in the policy file, besides `name`. */
export const REQUIRED_BY_KIND: Record<(typeof REQUESTER_KINDS)[number], string[]> = {
  partner: ["subscriptions"],
  frontdoor: ["message"],
  fabric: ["message"],
  datafactory: ["factories"],
};

const lower = (s: string | null | undefined) => (s ?? "").toLowerCase();

/** The Data Factory a managed private endpoint's connection comes from: `<factory>.<mpe>`. */
export function dataFactoryOf(c: ConnectionSummary, factories: string[]): boolean {
  const name = lower(c.privateEndpointName);
  const dot = name.indexOf(".");
  return dot > 0 && factories.some((f) => lower(f) === name.slice(0, dot));
}
