/** Finding a Private Link Service without Kubernetes: by its resource id, or by its alias. */

import type { PlsView } from "../domain/pls.js";
import { ANY_PARENT, type CallOn, call, first } from "./call.js";
import type { Azure } from "./handle.js";
import { toPlsView } from "./pls.js";
import { armList } from "./rest.js";

/** The PLS at this address; undefined when ARM says it does not exist (404). */
export async function readPls(
  azure: Azure,
  at: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<PlsView | undefined> {
  return call(
    azure,
    `read Private Link Service ${at.name} in resource group ${at.resourceGroup}`,
    async (arm, o) =>
      toPlsView(await arm.network(at.subscriptionId).privateLinkServices.get(at.resourceGroup, at.name, o)),
    {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}`,
      // No resource group of that name: no PLS there either (a wrong subscription is an error).
      missing: { value: () => undefined, allow: ["ResourceGroupNotFound"] },
    },
  );
}

/** The first PLS of a listing whose alias this is (case-insensitive), reading page after page. */
async function withAlias(
  list: AsyncIterable<{ alias?: string | undefined } & Parameters<typeof toPlsView>[0]>,
  alias: string,
): Promise<PlsView | undefined> {
  const wanted = alias.trim().toLowerCase();
  return first(list, (p) => (p.alias?.toLowerCase() === wanted ? toPlsView(p) : undefined));
}

/** The subscription's PLS whose alias this is (case-insensitive); every page of the list is read. */
export async function findPlsByAlias(
  azure: Azure,
  subscriptionId: string,
  alias: string,
): Promise<PlsView | undefined> {
  return call(
    azure,
    `list the Private Link Services of subscription ${subscriptionId}`,
    (arm, o) => withAlias(arm.network(subscriptionId).privateLinkServices.listBySubscription(o), alias),
    { action: "Microsoft.Network/privateLinkServices/read", scope: `/subscriptions/${subscriptionId}` },
  );
}

/**
 * The subscriptions this identity has a role in. ARM's `GET /subscriptions` lists only those
 * (learn.microsoft.com/rest/api/resources/subscriptions/list).
 */
export async function listSubscriptionIds(
  azure: Azure,
  what = "list the subscriptions this identity can use",
): Promise<string[]> {
  return call(
    azure,
    what,
    async () => {
      const items = (await armList(azure, "/subscriptions", "2022-12-01")) as Array<{
        subscriptionId?: string;
      }>;
      return items.map((s) => s.subscriptionId ?? "").filter(Boolean);
    },
    { action: "Microsoft.Resources/subscriptions/read", scope: "/subscriptions" },
  );
}

/**
 * The resource groups of a subscription this identity can read: ARM's list (`ResourceGroups_List`,
 * learn.microsoft.com/rest/api/resources/resource-groups/list) leaves out those it has no role on,
 * so an identity whose roles are scoped to resource groups sees its own.
 */
export async function listReadableResourceGroups(
  azure: Azure,
  subscriptionId: string,
  on: Pick<CallOn<string[]>, "forbidden"> = {},
): Promise<string[]> {
  return call(
    azure,
    `list the resource groups of subscription ${subscriptionId}`,
    async () => {
      const path = `/subscriptions/${subscriptionId}/resourcegroups`;
      const items = (await armList(azure, path, "2021-04-01")) as Array<{ name?: string }>;
      return items.map((g) => g.name ?? "").filter(Boolean);
    },
    {
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      scope: `/subscriptions/${subscriptionId}`,
      ...on,
    },
  );
}

/** The PLS of one resource group whose alias this is; undefined when none (or the group cannot be read). */
export async function findPlsByAliasInGroup(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  alias: string,
): Promise<PlsView | undefined> {
  return call(
    azure,
    `list the Private Link Services of resource group ${resourceGroup}`,
    (arm, o) => withAlias(arm.network(subscriptionId).privateLinkServices.list(resourceGroup, o), alias),
    {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
      // Readable as a group, but no right to list its PLSs (a Reader of another kind of resource),
      // or gone since it was listed: not here.
      forbidden: () => undefined,
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}
