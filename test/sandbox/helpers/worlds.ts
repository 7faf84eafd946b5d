/** Variants of the default world for tests that need another tenancy. */
import { DEFAULT_IDS, defaultWorld, type WorldSpec } from "../../../src/sandbox/world.js";

/**
 * The default world with the partner's subscription and identity in the provider's tenant: where an
 * automatic connection across subscriptions is possible at all (across tenants ARM refuses it).
 */
export function sameTenantWorld(): WorldSpec {
  const w = defaultWorld();
  const tenant = DEFAULT_IDS.providerTenantId;
  for (const s of w.subscriptions) if (s.id === DEFAULT_IDS.partnerSubscriptionId) s.tenantId = tenant;
  for (const i of w.identities) if (i.name === "partner") i.tenantId = tenant;
  return w;
}

/** The partner's hub (connectivity) subscription of hubWorld(), in the partner's tenant. */
export const HUB_SUB = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
export const HUB_RG = "rg-hub-dns";
export const SPOKE_ID = `/subscriptions/${DEFAULT_IDS.partnerSubscriptionId}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01`;
export const hubZoneId = (zone: string): string =>
  `/subscriptions/${HUB_SUB}/resourceGroups/${HUB_RG}/providers/Microsoft.Network/privateDnsZones/${zone}`;

/**
 * The default world plus a landing zone on the partner's side: a hub subscription whose central
 * private DNS zones (`privatelink.vaultcore.azure.net`, `fabrikam.internal`) are linked to the
 * partner's spoke01, and the partner identity's rights there: `contributor` (Private DNS Zone
 * Contributor on the hub's resource group), `reader` (Reader there: reads, never writes), `lister`
 * (can list the zones, not read their links or records) or `none`.
 */
export function hubWorld(access: "contributor" | "reader" | "lister" | "none" = "contributor"): WorldSpec {
  const w = defaultWorld();
  const tenant = DEFAULT_IDS.partnerTenantId;
  w.subscriptions.push({ id: HUB_SUB, tenantId: tenant, displayName: "fabrikam-connectivity" });
  w.resourceGroups.push({ subscriptionId: HUB_SUB, name: HUB_RG, location: "westeurope" });
  w.roles = [
    ...(w.roles ?? []),
    {
      name: "DNS Zone Lister",
      actions: [
        "Microsoft.Network/privateDnsZones/read",
        "Microsoft.Resources/subscriptions/resourceGroups/read",
      ],
    },
  ];
  const scope = `/subscriptions/${HUB_SUB}/resourceGroups/${HUB_RG}`;
  const partner = w.identities.find((i) => i.name === "partner");
  if (partner && access !== "none") {
    const role = { contributor: "Private DNS Zone Contributor", reader: "Reader", lister: "DNS Zone Lister" }[
      access
    ];
    partner.roleAssignments.push({ role, scope });
  }
  w.privateDnsZones = ["privatelink.vaultcore.azure.net", "fabrikam.internal"].map((name) => ({
    subscriptionId: HUB_SUB,
    resourceGroup: HUB_RG,
    name,
    links: [{ name: "spoke01", virtualNetworkId: SPOKE_ID }],
  }));
  return w;
}
