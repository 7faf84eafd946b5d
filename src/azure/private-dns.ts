/**
 * Private DNS for the partner's endpoint: a private zone in the partner's resource group, its link
 * to the endpoint's VNet (registration off), the A record plsctl writes (marked in its metadata),
 * and, for PaaS targets, the endpoint's privateDnsZoneGroup (Azure writes and removes those records
 * itself). Zone and link writes are long-running; record writes are synchronous.
 */
import { azureError, isNotFound } from "./errors.js";
import { type Azure, armOf } from "./handle.js";

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

const opts = (azure: Azure) => ({ abortSignal: armOf(azure).signal });
const lro = (azure: Azure) => ({ ...opts(azure), updateIntervalInMs: 0 });
const ZONE = "Microsoft.Network/privateDnsZones";
const rgScope = (z: { subscriptionId: string; resourceGroup: string }) =>
  `/subscriptions/${z.subscriptionId}/resourceGroups/${z.resourceGroup}`;
const dns = (azure: Azure, sub: string) => armOf(azure).dns(sub);

/** Whether the zone exists in the resource group. */
export async function zoneExists(azure: Azure, z: ZoneAt): Promise<boolean> {
  try {
    await (await dns(azure, z.subscriptionId)).privateZones.get(z.resourceGroup, z.zone, opts(azure));
    return true;
  } catch (err) {
    if (isNotFound(err) && (err as { code?: string }).code !== "SubscriptionNotFound") return false;
    throw azureError(err, `read private DNS zone ${z.zone} in resource group ${z.resourceGroup}`, {
      action: `${ZONE}/read`,
      scope: rgScope(z),
    });
  }
}

/** Creates the zone (long-running; location `global`). */
export async function createZone(azure: Azure, z: ZoneAt): Promise<void> {
  try {
    await (await dns(azure, z.subscriptionId)).privateZones.createOrUpdate(
      z.resourceGroup,
      z.zone,
      { location: "global", tags: { managedBy: "plsctl" } },
      lro(azure),
    );
  } catch (err) {
    throw azureError(err, `create private DNS zone ${z.zone} in resource group ${z.resourceGroup}`, {
      action: `${ZONE}/write`,
      scope: rgScope(z),
    });
  }
}

/** Deletes a zone plsctl has just created (long-running); a zone already gone is fine. */
export async function deleteZone(azure: Azure, z: ZoneAt): Promise<void> {
  try {
    await (await dns(azure, z.subscriptionId)).privateZones.delete(z.resourceGroup, z.zone, lro(azure));
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureError(err, `delete private DNS zone ${z.zone} in resource group ${z.resourceGroup}`, {
      action: `${ZONE}/delete`,
      scope: rgScope(z),
    });
  }
}

/** Whether some link of the zone already points at the VNet (any name: someone may have linked it by hand). */
export async function zoneLinkedTo(azure: Azure, z: ZoneAt, vnetId: string): Promise<boolean> {
  try {
    for await (const l of (await dns(azure, z.subscriptionId)).virtualNetworkLinks.list(
      z.resourceGroup,
      z.zone,
      opts(azure),
    )) {
      if (l.virtualNetwork?.id?.toLowerCase() === vnetId.toLowerCase()) return true;
    }
    return false;
  } catch (err) {
    if (isNotFound(err) && (err as { code?: string }).code !== "SubscriptionNotFound") return false;
    throw azureError(err, `list the virtual network links of private DNS zone ${z.zone}`, {
      action: `${ZONE}/virtualNetworkLinks/read`,
      scope: `${rgScope(z)}/providers/${ZONE}/${z.zone}`,
    });
  }
}

/** Links the zone to the VNet (long-running), without auto-registration of VM names. */
export async function linkZone(azure: Azure, z: ZoneAt, linkName: string, vnetId: string): Promise<void> {
  try {
    await (await dns(azure, z.subscriptionId)).virtualNetworkLinks.createOrUpdate(
      z.resourceGroup,
      z.zone,
      linkName,
      { location: "global", virtualNetwork: { id: vnetId }, registrationEnabled: false },
      lro(azure),
    );
  } catch (err) {
    throw azureError(err, `link private DNS zone ${z.zone} to virtual network ${vnetId}`, {
      action: `${ZONE}/virtualNetworkLinks/write`,
      scope: `${rgScope(z)}/providers/${ZONE}/${z.zone}`,
    });
  }
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
  try {
    return toRecord(
      await (await dns(azure, z.subscriptionId)).recordSets.get(
        z.resourceGroup,
        z.zone,
        "A",
        label,
        opts(azure),
      ),
    );
  } catch (err) {
    if (isNotFound(err) && (err as { code?: string }).code !== "SubscriptionNotFound") return undefined;
    throw azureError(err, `read A record ${label} of private DNS zone ${z.zone}`, {
      action: `${ZONE}/A/read`,
      scope: `${rgScope(z)}/providers/${ZONE}/${z.zone}`,
    });
  }
}

/** Writes the A record `label` → `ip` with `metadata` (replacing what was there). */
export async function writeARecord(
  azure: Azure,
  z: ZoneAt,
  label: string,
  ip: string,
  metadata: Record<string, string>,
): Promise<ARecordView> {
  try {
    return toRecord(
      await (await dns(azure, z.subscriptionId)).recordSets.createOrUpdate(
        z.resourceGroup,
        z.zone,
        "A",
        label,
        { ttl: 300, aRecords: [{ ipv4Address: ip }], metadata },
        opts(azure),
      ),
    );
  } catch (err) {
    throw azureError(err, `write A record ${label} of private DNS zone ${z.zone}`, {
      action: `${ZONE}/A/write`,
      scope: `${rgScope(z)}/providers/${ZONE}/${z.zone}`,
    });
  }
}

export async function deleteARecord(azure: Azure, z: ZoneAt, label: string): Promise<void> {
  try {
    await (await dns(azure, z.subscriptionId)).recordSets.delete(
      z.resourceGroup,
      z.zone,
      "A",
      label,
      opts(azure),
    );
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureError(err, `delete A record ${label} of private DNS zone ${z.zone}`, {
      action: `${ZONE}/A/delete`,
      scope: `${rgScope(z)}/providers/${ZONE}/${z.zone}`,
    });
  }
}

/** Every A record of every private zone in the resource group (to find the ones plsctl wrote). */
export async function listARecordsIn(
  azure: Azure,
  at: { subscriptionId: string; resourceGroup: string },
): Promise<Array<ARecordView & { zone: string }>> {
  const out: Array<ARecordView & { zone: string }> = [];
  const client = await dns(azure, at.subscriptionId);
  try {
    for await (const z of client.privateZones.listByResourceGroup(at.resourceGroup, opts(azure))) {
      if (!z.name) continue;
      for await (const r of client.recordSets.listByType(at.resourceGroup, z.name, "A", opts(azure))) {
        out.push({ ...toRecord(r), zone: z.name });
      }
    }
  } catch (err) {
    if (isNotFound(err) && (err as { code?: string }).code !== "SubscriptionNotFound") return out;
    throw azureError(err, `list the private DNS records in resource group ${at.resourceGroup}`, {
      action: `${ZONE}/read`,
      scope: rgScope(at),
    });
  }
  return out;
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

async function zoneGroupConfigs(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<Array<{ zoneId: string; fqdns: string[] }>> {
  const out: Array<{ zoneId: string; fqdns: string[] }> = [];
  try {
    for await (const g of armOf(azure)
      .network(pe.subscriptionId)
      .privateDnsZoneGroups.list(pe.resourceGroup, pe.name, opts(azure))) {
      for (const c of g.privateDnsZoneConfigs ?? []) {
        if (!c.privateDnsZoneId) continue;
        const fqdns = (c.recordSets ?? []).map((r) => (r.fqdn ?? "").replace(/\.$/, "")).filter(Boolean);
        out.push({ zoneId: c.privateDnsZoneId, fqdns });
      }
    }
  } catch (err) {
    throw azureError(err, `list the DNS zone groups of private endpoint ${pe.name}`, {
      action: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/read",
      scope: `${rgScope(pe)}/providers/Microsoft.Network/privateEndpoints/${pe.name}`,
    });
  }
  return out;
}

/** Puts zone group `default` on the endpoint, pointing at one zone (long-running). */
export async function writeZoneGroup(
  azure: Azure,
  pe: { subscriptionId: string; resourceGroup: string; name: string },
  zoneId: string,
  zone: string,
): Promise<void> {
  try {
    await armOf(azure)
      .network(pe.subscriptionId)
      .privateDnsZoneGroups.createOrUpdate(
        pe.resourceGroup,
        pe.name,
        "default",
        { privateDnsZoneConfigs: [{ name: zone.replace(/\./g, "-"), privateDnsZoneId: zoneId }] },
        lro(azure),
      );
  } catch (err) {
    throw azureError(err, `put DNS zone group of private endpoint ${pe.name} on zone ${zone}`, {
      action: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write",
      scope: `${rgScope(pe)}/providers/Microsoft.Network/privateEndpoints/${pe.name}`,
    });
  }
}

export const zoneIdOf = (z: ZoneAt): string => `${rgScope(z)}/providers/${ZONE}/${z.zone}`;
