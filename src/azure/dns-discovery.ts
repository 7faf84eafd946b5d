/**
 * Which private DNS zones of a name are already linked to a virtual network, in every subscription
 * the identity can read: one subscription list, one zone list per subscription (per resource group
 * where ARM refuses the subscription-wide one), and the links of the zones whose name overlaps only (Private DNS allows 500 reads per 5 minutes, so nothing more).
 * A subscription whose zones cannot be listed (403) shows nothing; a zone whose links cannot be
 * read is reported as such, for the flow to stop on.
 */
import { namespacesOverlap, type ZoneRef } from "../domain/dns-zones.js";
import { all, call } from "./call.js";
import type { Azure } from "./handle.js";
import { listReadableResourceGroups, listSubscriptionIds } from "./pls-lookup.js";

export interface ZoneSeen extends ZoneRef {
  id: string;
}

export interface LinkedZones {
  /** Zones linked to the VNet: `name` itself first, then overlapping names. */
  linked: Array<ZoneSeen & { linkName: string }>;
  /** Zones of an overlapping name whose links plsctl may not read (the ARM code). */
  unreadable: Array<ZoneSeen & { code: string }>;
}

/** The ids of the subscriptions the identity sees (GET /subscriptions). */
export async function subscriptionIds(azure: Azure): Promise<string[]> {
  return listSubscriptionIds(azure, "list the subscriptions this identity can read");
}

const zoneSeen = (sub: string, name: string, z: { name?: string; id?: string }): ZoneSeen | undefined => {
  const rg = /\/resourceGroups\/([^/]+)\//i.exec(z.id ?? "")?.[1];
  return z.name && z.id && rg && namespacesOverlap(z.name, name)
    ? { subscriptionId: sub, resourceGroup: rg, zone: z.name.toLowerCase(), id: z.id }
    : undefined;
};

/**
 * The zones of an overlapping name in one resource group; none when this identity may not list
 * them there (403).
 */
async function zonesInGroup(azure: Azure, sub: string, rg: string, name: string): Promise<ZoneSeen[]> {
  return call(
    azure,
    `list the private DNS zones of resource group ${rg}`,
    async (arm, o) =>
      all((await arm.dns(sub)).privateZones.listByResourceGroup(rg, o), (z) => zoneSeen(sub, name, z)),
    {
      action: "Microsoft.Network/privateDnsZones/read",
      scope: `/subscriptions/${sub}/resourceGroups/${rg}`,
      forbidden: () => [],
    },
  );
}

/**
 * The zones of an overlapping name in a subscription: one subscription-wide list, or — when ARM
 * refuses that to an identity whose rights sit on resource groups (403) — the list of each
 * resource group it may read.
 */
async function zonesNamedLike(azure: Azure, sub: string, name: string): Promise<ZoneSeen[]> {
  const inSubscription = await call(
    azure,
    `list the private DNS zones of subscription ${sub}`,
    async (arm, o): Promise<ZoneSeen[] | undefined> =>
      all((await arm.dns(sub)).privateZones.list(o), (z) => zoneSeen(sub, name, z)),
    {
      action: "Microsoft.Network/privateDnsZones/read",
      scope: `/subscriptions/${sub}`,
      forbidden: () => undefined,
    },
  );
  if (inSubscription) return inSubscription;
  const groups = await listReadableResourceGroups(azure, sub, { forbidden: () => [] });
  return (await Promise.all(groups.map((rg) => zonesInGroup(azure, sub, rg, name)))).flat();
}

/** The zones of `name` (or an overlapping name) linked to `vnetId`, across `subscriptions`. */
export async function zonesLinkedTo(
  azure: Azure,
  subscriptions: string[],
  name: string,
  vnetId: string,
): Promise<LinkedZones> {
  const found: LinkedZones = { linked: [], unreadable: [] };
  const zones = (await Promise.all(subscriptions.map((s) => zonesNamedLike(azure, s, name)))).flat();
  for (const z of zones) {
    await call(
      azure,
      `list the virtual network links of private DNS zone ${z.zone}`,
      async (arm, o) => {
        const client = await arm.dns(z.subscriptionId);
        const linked = await all(client.virtualNetworkLinks.list(z.resourceGroup, z.zone, o), (l) =>
          l.virtualNetwork?.id?.toLowerCase() === vnetId.toLowerCase()
            ? { ...z, linkName: l.name ?? "" }
            : undefined,
        );
        found.linked.push(...linked);
      },
      {
        action: "Microsoft.Network/privateDnsZones/virtualNetworkLinks/read",
        scope: z.id,
        forbidden: (err) => {
          found.unreadable.push({ ...z, code: (err as { code?: string }).code ?? "AuthorizationFailed" });
        },
      },
    );
  }
  const exact = (z: ZoneRef) => (z.zone === name.toLowerCase() ? 0 : 1);
  found.linked.sort((a, b) => exact(a) - exact(b));
  return found;
}
