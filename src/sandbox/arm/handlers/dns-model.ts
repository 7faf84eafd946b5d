/**
 * Private DNS zones and virtual network links as the emulator stores them (shared by the handlers
 * and by seeding a world's `privateDnsZones`), and Azure's rule that a virtual network is linked to
 * at most one zone of a namespace: a second link of the same name, or of an overlapping one
 * (`contoso.com` and `x.contoso.com`), from any resource group or subscription, fails with
 * `BadRequest` "A virtual network cannot be linked to multiple zones with overlapping namespaces.
 * You tried to link virtual network with '<zone>' and '<zone>' zones." — the message of Microsoft's
 * troubleshooting article "CreateOrUpdateVirtualNetworkLinkFailed error code"
 * (learn.microsoft.com/troubleshoot/azure/azure-kubernetes/error-codes/createorupdatevirtualnetworklinkfailed-error),
 * which Azure reports on the link's long-running operation (hashicorp/terraform-provider-azurerm
 * users see it "polling after CreateOrUpdate").
 */
import type { ArmState, Resource } from "../types.js";
import { guid, key, obj, sameId, str } from "../util.js";

export const ZONE = "Microsoft.Network/privateDnsZones";
export const LINK = `${ZONE}/virtualNetworkLinks`;

export function zoneResource(
  id: string,
  name: string,
  tags: Record<string, string>,
  prev?: Resource,
): Resource {
  return {
    id,
    name,
    type: ZONE,
    location: "global",
    etag: guid(),
    tags,
    properties: {
      maxNumberOfRecordSets: 25000,
      numberOfRecordSets: 1,
      maxNumberOfVirtualNetworkLinks: 1000,
      numberOfVirtualNetworkLinks: 0,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfVirtualNetworkLinksWithRegistration: 0,
      provisioningState: "Succeeded",
      internalId: prev?.properties.internalId ?? Buffer.from(guid()).toString("base64"),
    },
  };
}

export function linkResource(
  zoneId: string,
  name: string,
  vnetId: string,
  o: { registrationEnabled?: boolean; resolutionPolicy?: string; tags?: Record<string, string> } = {},
): Resource {
  return {
    id: `${zoneId}/virtualNetworkLinks/${name}`,
    name,
    type: LINK,
    location: "global",
    etag: guid(),
    tags: o.tags ?? {},
    properties: {
      virtualNetwork: { id: vnetId },
      registrationEnabled: o.registrationEnabled === true,
      resolutionPolicy: o.resolutionPolicy ?? "Default",
      virtualNetworkLinkState: "Completed",
      provisioningState: "Succeeded",
    },
  };
}

/** `a` and `b` are the same DNS name, or one is inside the other. */
export function namespacesOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, "");
  const y = b.toLowerCase().replace(/\.$/, "");
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/**
 * The name of a zone other than `zoneId` that is linked to `vnetId` and whose name overlaps
 * `zoneName` (any resource group, any subscription); undefined when there is none.
 */
export function overlappingLinkedZone(
  state: ArmState,
  zoneId: string,
  zoneName: string,
  vnetId: string,
): string | undefined {
  const zoneKey = key(zoneId);
  for (const r of Object.values(state.resources)) {
    if (r.type !== LINK || !sameId(str(obj(r.properties.virtualNetwork).id), vnetId)) continue;
    const parentId = r.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, "");
    if (key(parentId) === zoneKey) continue;
    const parent = state.resources[key(parentId)];
    if (parent && namespacesOverlap(parent.name, zoneName)) return parent.name;
  }
  return undefined;
}

export function overlapMessage(zoneName: string, other: string): string {
  return `A virtual network cannot be linked to multiple zones with overlapping namespaces. You tried to link virtual network with '${zoneName}' and '${other}' zones.`;
}
