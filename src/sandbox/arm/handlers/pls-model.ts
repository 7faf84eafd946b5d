/** Private link service rules shared by the PLS, connection and private endpoint handlers. */
import { can } from "../rbac.js";
import type { Ctx } from "../router.js";
import type { ArmState, Json, Resource } from "../types.js";
import { arr, obj, sameId, str } from "../util.js";

export const PLS = "Microsoft.Network/privateLinkServices";
export const PE = "Microsoft.Network/privateEndpoints";
export const APPROVAL_ACTION = `${PLS}/privateEndpointConnectionsApproval/action`;

export const isAlias = (s: string) => /\.azure\.privatelinkservice$/i.test(s);

export function subOf(id: string): string {
  return id.split("/")[2] ?? "";
}

const listed = (set: unknown, sub: string) =>
  arr(obj(set).subscriptions).some(
    (s) => s === "*" || (typeof s === "string" && s.toLowerCase() === sub.toLowerCase()),
  );

/** Whether subscription `sub` (or the caller, through RBAC) can see the PLS. */
export function isVisible(c: Ctx, pls: Resource, sub: string): boolean {
  return (
    subOf(pls.id).toLowerCase() === sub.toLowerCase() ||
    listed(pls.properties.visibility, sub) ||
    can(c.emu.roles, c.identity, `${PLS}/read`, pls.id)
  );
}

export function autoApproves(pls: Resource, sub: string): boolean {
  return listed(pls.properties.autoApproval, sub);
}

export function pecs(pls: Resource): Json[] {
  return arr(pls.properties.privateEndpointConnections).map(obj);
}

export function findPec(pls: Resource, name: string): Json | undefined {
  return pecs(pls).find((p) => str(p.name)?.toLowerCase() === name.toLowerCase());
}

/**
 * Mirrors a connection's state onto the consumer's private endpoint, or `Disconnected` when the
 * provider removed it — also when its whole PLS goes, as the AKS controller deletes every connection
 * before the PLS (kubernetes-sigs/cloud-provider-azure pkg/provider/azure_privatelinkservice.go,
 * safeDeletePLS). The endpoint, its NIC and its IP stay: "The private endpoint becomes informative
 * and should be deleted for clean up" (learn.microsoft.com/azure/private-link/manage-private-endpoint);
 * "the PEs become obsolete. Users are responsible for cleaning up the PE resources"
 * (cloud-provider-azure docs, topics/pls-integration).
 */
export function syncEndpoint(state: ArmState, pls: Resource, peId: string, pec: Json | undefined): void {
  const pe = state.resources[peId.toLowerCase()];
  if (!pe) return;
  const st = obj(obj(pec?.properties).privateLinkServiceConnectionState);
  for (const listKey of ["manualPrivateLinkServiceConnections", "privateLinkServiceConnections"]) {
    for (const conn of arr(pe.properties[listKey]).map(obj)) {
      const cp = obj(conn.properties);
      const ref = str(cp.privateLinkServiceId) ?? "";
      if (!(sameId(ref, pls.id) || sameId(ref, pls.properties.alias))) continue;
      cp.privateLinkServiceConnectionState = pec
        ? {
            status: st.status,
            description: st.description ?? "",
            actionsRequired: st.actionsRequired ?? "None",
          }
        : {
            status: "Disconnected",
            description: "Connection removed by the private link service owner.",
            actionsRequired: "None",
          };
    }
  }
}

/** FNV-1a, 32 bits: a stable number from a string. */
function fnv32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The link identifier of a new connection of `pls`: Azure's `linkIdentifier` (azure-rest-api-specs
 * specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/privateLinkService.json,
 * PrivateEndpointConnectionProperties.linkIdentifier, "The consumer link id", a read-only string)
 * holds the 32-bit LINKID that Azure also sends in the PROXY protocol v2 TLV (type 0xEE, subtype
 * 0x01, little-endian uint32; learn.microsoft.com/azure/private-link/private-link-service-overview,
 * "Getting connection Information using TCP Proxy v2"). Derived from the connection's id, never 0,
 * unique among the PLS's connections; kept in the state, so it never changes while the connection
 * lives.
 */
export function newLinkIdentifier(pls: Resource, connectionId: string): string {
  const taken = new Set(pecs(pls).map((p) => str(obj(p.properties).linkIdentifier)));
  let n = fnv32(connectionId.toLowerCase());
  while (n === 0 || taken.has(String(n))) n = (n + 1) >>> 0;
  return String(n);
}
