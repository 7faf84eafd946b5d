/**
 * A Private Link Service's private endpoint connections, as the provider decides them: one paged
 * list (the SDK's iterator follows ARM's `nextLink`), one PUT per approval or rejection (no GET
 * first: the list gave the connection), one DELETE per removal (a long-running operation).
 * Also the subscription's AKS-made PLSs (`--all`), found by the tags the AKS controller puts on them.
 */

import { isPaasTargetId } from "../domain/paas-target.js";
import { type ConnectionView, OWNER_TAG, type PlsView } from "../domain/pls.js";
import { ANY_PARENT, all, call } from "./call.js";
import { type Azure, armOf } from "./handle.js";
import { listPaasConnections, removePaasConnection, setPaasConnectionState } from "./paas-connections.js";
import { toConnection, toPlsView } from "./pls.js";

/**
 * The action ARM checks when a provider approves or rejects: the connection PUT is authorized on
 * the connection's write (learn.microsoft.com/azure/role-based-access-control/permissions/networking,
 * Microsoft.Network/privateLinkServices/privateEndpointConnections/write), not
 * `privateEndpointConnectionsApproval/action`, which is checked (as a linked action) when a
 * consumer's endpoint asks for an automatic connection.
 */
export const APPROVAL_ACTION = "Microsoft.Network/privateLinkServices/privateEndpointConnections/write";

type PlsAt = Pick<PlsView, "subscriptionId" | "resourceGroup" | "name" | "id">;

/** Every connection of the PLS (or of a Key Vault, SQL server, Storage account), every page. */
export async function listConnections(azure: Azure, pls: PlsAt): Promise<ConnectionView[]> {
  if (isPaasTargetId(pls.id)) return listPaasConnections(azure, pls);
  return call(
    azure,
    `list the connections of Private Link Service ${pls.name}`,
    (arm, o) =>
      all(
        arm
          .network(pls.subscriptionId)
          .privateLinkServices.listPrivateEndpointConnections(pls.resourceGroup, pls.name, o),
        toConnection,
      ),
    { action: "Microsoft.Network/privateLinkServices/privateEndpointConnections/read", scope: pls.id },
  );
}

/** Approves or rejects one connection: one PUT, with the state the list showed for the rest. */
export async function setConnectionState(
  azure: Azure,
  pls: PlsAt,
  c: ConnectionView,
  status: "Approved" | "Rejected",
  description: string,
): Promise<void> {
  if (isPaasTargetId(pls.id)) return setPaasConnectionState(azure, pls, c, status, description);
  await call(
    azure,
    `${status === "Approved" ? "approve" : "reject"} connection ${c.name} of ${pls.name}`,
    (arm, o) =>
      arm.network(pls.subscriptionId).privateLinkServices.updatePrivateEndpointConnection(
        pls.resourceGroup,
        pls.name,
        c.name,
        {
          name: c.name,
          id: c.id,
          privateLinkServiceConnectionState: { status, description, actionsRequired: "None" },
        },
        o,
      ),
    { action: APPROVAL_ACTION, scope: pls.id },
  );
}

/** Removes one connection (DELETE, a long-running operation); already gone is done. */
export async function removeConnection(azure: Azure, pls: PlsAt, name: string): Promise<void> {
  if (isPaasTargetId(pls.id)) return removePaasConnection(azure, pls, name);
  await call(
    azure,
    `remove connection ${name} from ${pls.name}`,
    (arm, o) =>
      arm
        .network(pls.subscriptionId)
        .privateLinkServices.deletePrivateEndpointConnection(pls.resourceGroup, pls.name, name, o),
    {
      action: "Microsoft.Network/privateLinkServices/privateEndpointConnections/delete",
      scope: pls.id,
      lro: true,
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}

/** The subscription's PLSs that the AKS controller made (owner tag), optionally of one cluster. */
export async function listAksPls(azure: Azure, subscriptionId: string): Promise<PlsView[]> {
  return call(
    azure,
    `list the Private Link Services of subscription ${subscriptionId}`,
    (arm, o) =>
      all(arm.network(subscriptionId).privateLinkServices.listBySubscription(o), (p) => {
        const view = toPlsView(p);
        return view.tags[OWNER_TAG] !== undefined ? view : undefined;
      }),
    { action: "Microsoft.Network/privateLinkServices/read", scope: `/subscriptions/${subscriptionId}` },
  );
}

/** Requests ARM throttled or found busy so far, through this handle (the adaptive limiter reads it). */
export const throttledSoFar = (azure: Azure): number => armOf(azure).throttled();
