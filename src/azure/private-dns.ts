/**
 * Private DNS for the partner's endpoint: a private zone in the partner's resource group, its link
 * to the endpoint's VNet (registration off), the A record plsctl writes (marked in its metadata),
 * and, for PaaS targets, the endpoint's privateDnsZoneGroup (Azure writes and removes those records
 * itself). Zone and link writes are long-running; record writes are synchronous.
 */
import type { PrivateDnsZoneGroup } from "@azure/arm-network";
import { ANY_PARENT, all, call, first, type MissingParent } from "./call.js";
import type { Azure } from "./handle.js";

export interface ZoneAt {
  subscriptionId: string;
  resourceGroup: string;
  zone: string;
}

export interface ARecordView {
  name: string;
  fqdn: string;
  ips: string[];
  metadata: Record<string, string>;
}

const ZONE = "Microsoft.Network/privateDnsZones";
const rgScope = (z: { subscriptionId: string; resourceGroup: string }) =>
  `/subscriptions/${z.subscriptionId}/resourceGroups/${z.resourceGroup}`;
const zoneScope = (z: ZoneAt) => `${rgScope(z)}/providers/${ZONE}/${z.zone}`;
/** A zone, link or record in a resource group that does not exist is not there either. */
const IN_GROUP: readonly MissingParent[] = ["ResourceGroupNotFound"];

/** Whether the zone exists in the resource group. */
export async function zoneExists(azure: Azure, z: ZoneAt): Promise<boolean> {
  return call(
    azure,
    `read private DNS zone ${z.zone} in resource group ${z.resourceGroup}`,
    async (arm, o) => {
      await (await arm.dns(z.subscriptionId)).privateZones.get(z.resourceGroup, z.zone, o);
      return true;
    },
    { action: `${ZONE}/read`, scope: rgScope(z), missing: { value: () => false, allow: IN_GROUP } },
  );
}

/** Creates the zone (long-running; location `global`). */
export async function createZone(azure: Azure, z: ZoneAt): Promise<void> {
  await call(
    azure,
    `create private DNS zone ${z.zone} in resource group ${z.resourceGroup}`,
    async (arm, o) =>
      (await arm.dns(z.subscriptionId)).privateZones.createOrUpdate(
        z.resourceGroup,
        z.zone,
        { location: "global", tags: { managedBy: "plsctl" } },
        o,
      ),
    { action: `${ZONE}/write`, scope: rgScope(z), lro: true },
  );
}

/** Deletes a zone plsctl has just created (long-running); a zone already gone is fine. */
export async function deleteZone(azure: Azure, z: ZoneAt): Promise<void> {
  await call(
    azure,
    `delete private DNS zone ${z.zone} in resource group ${z.resourceGroup}`,
    async (arm, o) => (await arm.dns(z.subscriptionId)).privateZones.delete(z.resourceGroup, z.zone, o),
    {
      action: `${ZONE}/delete`,
      scope: rgScope(z),
      lro: true,
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}

/** Whether some link of the zone already points at the VNet (any name: someone may have linked it by hand). */
export async function zoneLinkedTo(azure: Azure, z: ZoneAt, vnetId: string): Promise<boolean> {
  return call(
    azure,
    `list the virtual network links of private DNS zone ${z.zone}`,
    async (arm, o) => {
      const links = (await arm.dns(z.subscriptionId)).virtualNetworkLinks;
      const wanted = vnetId.toLowerCase();
      const hit = await first(links.list(z.resourceGroup, z.zone, o), (l) =>
        l.virtualNetwork?.id?.toLowerCase() === wanted ? true : undefined,
      );
      return hit ?? false;
    },
    {
      action: `${ZONE}/virtualNetworkLinks/read`,
      scope: zoneScope(z),
      missing: { value: () => false, allow: IN_GROUP },
    },
  );
}

/** Links the zone to the VNet (long-running), without auto-registration of VM names. */
export async function linkZone(azure: Azure, z: ZoneAt, linkName: string, vnetId: string): Promise<void> {
  await call(
    azure,
    `link private DNS zone ${z.zone} to virtual network ${vnetId}`,
    async (arm, o) =>
      (await arm.dns(z.subscriptionId)).virtualNetworkLinks.createOrUpdate(
        z.resourceGroup,
        z.zone,
        linkName,
        { location: "global", virtualNetwork: { id: vnetId }, registrationEnabled: false },
        o,
      ),
    { action: `${ZONE}/virtualNetworkLinks/write`, scope: zoneScope(z), lro: true },
  );
}

const toRecord = (r: {
  name?: string | undefined;
  fqdn?: string | undefined;
  aRecords?: Array<{ ipv4Address?: string | undefined }> | undefined;
  metadata?: Record<string, string> | undefined;
}): ARecordView => ({
  name: r.name ?? "",
  fqdn: (r.fqdn ?? "").replace(/\.$/, ""),
  ips: (r.aRecords ?? []).map((a) => a.ipv4Address ?? "").filter(Boolean),
  metadata: r.metadata ?? {},
});

/** The A record `label` of the zone; undefined when it (or the zone) does not exist. */
export async function readARecord(azure: Azure, z: ZoneAt, label: string): Promise<ARecordView | undefined> {
  return call(
    azure,
    `read A record ${label} of private DNS zone ${z.zone}`,
    async (arm, o) =>
      toRecord(
        await (await arm.dns(z.subscriptionId)).recordSets.get(z.resourceGroup, z.zone, "A", label, o),
      ),
    {
      action: `${ZONE}/A/read`,
      scope: zoneScope(z),
      missing: { value: () => undefined, allow: IN_GROUP },
    },
  );
}

/** Writes the A record `label` → `ip` with `metadata` (replacing what was there). */
export async function writeARecord(
  azure: Azure,
  z: ZoneAt,
  label: string,
  ip: string,
  metadata: Record<string, string>,
): Promise<ARecordView> {
  return call(
    azure,
    `write A record ${label} of private DNS zone ${z.zone}`,
    async (arm, o) =>
      toRecord(
        await (await arm.dns(z.subscriptionId)).recordSets.createOrUpdate(
          z.resourceGroup,
          z.zone,
          "A",
          label,
          { ttl: 300, aRecords: [{ ipv4Address: ip }], metadata },
          o,
        ),
      ),
    { action: `${ZONE}/A/write`, scope: zoneScope(z) },
  );
}

export async function deleteARecord(azure: Azure, z: ZoneAt, label: string): Promise<void> {
  await call(
    azure,
    `delete A record ${label} of private DNS zone ${z.zone}`,
    async (arm, o) =>
      (await arm.dns(z.subscriptionId)).recordSets.delete(z.resourceGroup, z.zone, "A", label, o),
    {
      action: `${ZONE}/A/delete`,
      scope: zoneScope(z),
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}

/** Every A record of every private zone in the resource group (to find the ones plsctl wrote). */
export async function listARecordsIn(
  azure: Azure,
  at: { subscriptionId: string; resourceGroup: string },
): Promise<Array<ARecordView & { zone: string }>> {
  const out: Array<ARecordView & { zone: string }> = [];
  return call(
    azure,
    `list the private DNS records in resource group ${at.resourceGroup}`,
    async (arm, o) => {
      const client = await arm.dns(at.subscriptionId);
      const zones = await all(
        client.privateZones.listByResourceGroup(at.resourceGroup, o),
        (z) => z.name || undefined,
      );
      for (const zone of zones) {
        const records = client.recordSets.listByType(at.resourceGroup, zone, "A", o);
        out.push(...(await all(records, (r) => ({ ...toRecord(r), zone }))));
      }
      return out;
    },
    { action: `${ZONE}/read`, scope: rgScope(at), missing: { value: () => out, allow: IN_GROUP } },
  );
}

/** The zone ids the endpoint's privateDnsZoneGroups point at. */
export async function zoneGroupZones(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<string[]> {
  return (await zoneGroupConfigs(azure, pe)).map((c) => c.zoneId);
}

/** The names Azure wrote for the endpoint's zone groups (they go when the endpoint goes). */
export async function zoneGroupRecords(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<string[]> {
  return (await zoneGroupConfigs(azure, pe)).flatMap((c) => c.fqdns);
}

/** The zones a zone group points at, with the names Azure wrote in each. */
function zoneConfigsOf(g: PrivateDnsZoneGroup): Array<{ zoneId: string; fqdns: string[] }> {
  return (g.privateDnsZoneConfigs ?? []).flatMap((c) =>
    c.privateDnsZoneId
      ? [
          {
            zoneId: c.privateDnsZoneId,
            fqdns: (c.recordSets ?? []).map((r) => (r.fqdn ?? "").replace(/\.$/, "")).filter(Boolean),
          },
        ]
      : [],
  );
}

async function zoneGroupConfigs(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<Array<{ zoneId: string; fqdns: string[] }>> {
  return call(
    azure,
    `list the DNS zone groups of private endpoint ${pe.name}`,
    async (arm, o) => {
      const groups = arm.network(pe.subscriptionId).privateDnsZoneGroups.list(pe.resourceGroup, pe.name, o);
      return (await all(groups, zoneConfigsOf)).flat();
    },
    {
      action: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read",
      scope: `${rgScope(pe)}/providers/Microsoft.Network/privateEndpoints/${pe.name}`,
    },
  );
}

/** Puts zone group `default` on the endpoint, pointing at one zone (long-running). */
export async function writeZoneGroup(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
  zoneId: string,
  zone: string,
): Promise<void> {
  await call(
    azure,
    `put DNS zone group of private endpoint ${pe.name} on zone ${zone}`,
    (arm, o) =>
      arm
        .network(pe.subscriptionId)
        .privateDnsZoneGroups.createOrUpdate(
          pe.resourceGroup,
          pe.name,
          "default",
          { privateDnsZoneConfigs: [{ name: zone.replace(/\./g, "-"), privateDnsZoneId: zoneId }] },
          o,
        ),
    {
      action: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write",
      scope: `${rgScope(pe)}/providers/Microsoft.Network/privateEndpoints/${pe.name}`,
      lro: true,
    },
  );
}

export const zoneIdOf = zoneScope;
