/** Finding a Private Link Service without Kubernetes: by its resource id, or by its alias. */

import type { PlsView } from "../domain/pls.js";
import { azureError, isNotFound } from "./errors.js";
import { armOf } from "./handle.js";
import type { Azure } from "./index.js";
import { toPlsView } from "./pls.js";
import { armList } from "./rest.js";

/** The PLS at this address; undefined when ARM says it does not exist (404). */
export async function readPls(
  azure: Azure,
  at: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<PlsView | undefined> {
  try {
    return toPlsView(
      await armOf(azure)
        .network(at.subscriptionId)
        .privateLinkServices.get(at.resourceGroup, at.name, { abortSignal: armOf(azure).signal }),
    );
  } catch (err) {
    if (isNotFound(err) && (err as { code?: string }).code !== "SubscriptionNotFound") return undefined;
    throw azureError(err, `read Private Link Service ${at.name} in resource group ${at.resourceGroup}`, {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}`,
    });
  }
}

/** The first PLS of a listing whose alias this is (case-insensitive), reading page after page. */
async function withAlias(
  list: AsyncIterable<{ alias?: string | undefined } & Parameters<typeof toPlsView>[0]>,
  alias: string,
): Promise<PlsView | undefined> {
  const wanted = alias.trim().toLowerCase();
  for await (const p of list) if (p.alias?.toLowerCase() === wanted) return toPlsView(p);
  return undefined;
}

/** The subscription's PLS whose alias this is (case-insensitive); every page of the list is read. */
export async function findPlsByAlias(
  azure: Azure,
  subscriptionId: string,
  alias: string,
): Promise<PlsView | undefined> {
  try {
    return await withAlias(
      armOf(azure)
        .network(subscriptionId)
        .privateLinkServices.listBySubscription({
          abortSignal: armOf(azure).signal,
        }),
      alias,
    );
  } catch (err) {
    throw azureError(err, `list the Private Link Services of subscription ${subscriptionId}`, {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}`,
    });
  }
}

/**
 * The subscriptions this identity has a role in. ARM's `GET /subscriptions` lists only those
 * (learn.microsoft.com/rest/api/resources/subscriptions/list).
 */
export async function listSubscriptionIds(azure: Azure): Promise<string[]> {
  try {
    const items = (await armList(azure, "/subscriptions", "2022-12-01")) as Array<{
      subscriptionId?: string;
    }>;
    return items.map((s) => s.subscriptionId ?? "").filter(Boolean);
  } catch (err) {
    throw azureError(err, "list the subscriptions this identity can use", {
      action: "Microsoft.Resources/subscriptions/read",
      scope: "/subscriptions",
    });
  }
}

/**
 * The resource groups of a subscription this identity can read: ARM's list (`ResourceGroups_List`,
 * learn.microsoft.com/rest/api/resources/resource-groups/list) leaves out those it has no role on,
 * so an identity whose roles are scoped to resource groups sees its own.
 */
export async function listReadableResourceGroups(azure: Azure, subscriptionId: string): Promise<string[]> {
  try {
    const items = (await armList(
      azure,
      `/subscriptions/${subscriptionId}/resourcegroups`,
      "2021-04-01",
    )) as Array<{ name?: string }>;
    return items.map((g) => g.name ?? "").filter(Boolean);
  } catch (err) {
    throw azureError(err, `list the resource groups of subscription ${subscriptionId}`, {
      action: "Microsoft.Resources/subscriptions/resourceGroups/read",
      scope: `/subscriptions/${subscriptionId}`,
    });
  }
}

/** The PLS of one resource group whose alias this is; undefined when none (or the group cannot be read). */
export async function findPlsByAliasInGroup(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  alias: string,
): Promise<PlsView | undefined> {
  try {
    return await withAlias(
      armOf(azure)
        .network(subscriptionId)
        .privateLinkServices.list(resourceGroup, {
          abortSignal: armOf(azure).signal,
        }),
      alias,
    );
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    // Readable as a group, but no right to list its PLSs (a Reader of another kind of resource): not here.
    if (status === 403 || status === 404) return undefined;
    throw azureError(err, `list the Private Link Services of resource group ${resourceGroup}`, {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
    });
  }
}
