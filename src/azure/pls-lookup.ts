/** Finding a Private Link Service without Kubernetes: by its resource id, or by its alias. */

import type { PlsView } from "../domain/pls.js";
import { azureError, isNotFound } from "./errors.js";
import { armOf } from "./handle.js";
import type { Azure } from "./index.js";
import { toPlsView } from "./pls.js";

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

/** The subscription's PLS whose alias this is (case-insensitive); every page of the list is read. */
export async function findPlsByAlias(
  azure: Azure,
  subscriptionId: string,
  alias: string,
): Promise<PlsView | undefined> {
  const wanted = alias.trim().toLowerCase();
  try {
    for await (const p of armOf(azure)
      .network(subscriptionId)
      .privateLinkServices.listBySubscription({ abortSignal: armOf(azure).signal })) {
      if (p.alias?.toLowerCase() === wanted) return toPlsView(p);
    }
    return undefined;
  } catch (err) {
    throw azureError(err, `list the Private Link Services of subscription ${subscriptionId}`, {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}`,
    });
  }
}
