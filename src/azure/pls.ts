/** Private Link Services and their connections, and where AKS puts them. */
import type { PrivateEndpointConnection, PrivateLinkService } from "@azure/arm-network";
import { type ConnectionView, connectionView, type PlsView } from "../domain/pls.js";
import { parseResourceId } from "../domain/resource-id.js";
import { azureError } from "./errors.js";
import type { Azure } from "./index.js";

const isNotFound = (err: unknown) => (err as { statusCode?: unknown }).statusCode === 404;

function toConnection(c: PrivateEndpointConnection): ConnectionView {
  const state = c.privateLinkServiceConnectionState;
  return connectionView({
    name: c.name,
    id: c.id,
    privateEndpointId: c.privateEndpoint?.id,
    status: state?.status,
    description: state?.description,
    actionsRequired: state?.actionsRequired,
    provisioningState: c.provisioningState,
  });
}

export function toPlsView(p: PrivateLinkService): PlsView {
  const id = p.id ?? "";
  const parsed = parseResourceId(id);
  return {
    id,
    name: p.name ?? parsed?.name ?? "",
    subscriptionId: parsed?.subscriptionId ?? "",
    resourceGroup: parsed?.resourceGroup ?? "",
    location: p.location,
    alias: p.alias,
    provisioningState: p.provisioningState,
    visibility: p.visibility?.subscriptions ?? [],
    autoApproval: p.autoApproval?.subscriptions ?? [],
    fqdns: p.fqdns ?? [],
    proxyProtocol: Boolean(p.enableProxyProtocol),
    natIps: (p.ipConfigurations ?? [])
      .map((c) => c.privateIPAddress)
      .filter((ip): ip is string => Boolean(ip)),
    natSubnetIds: [
      ...new Set((p.ipConfigurations ?? []).map((c) => c.subnet?.id).filter((s): s is string => Boolean(s))),
    ],
    frontendIds: (p.loadBalancerFrontendIpConfigurations ?? [])
      .map((f) => f.id)
      .filter((f): f is string => Boolean(f)),
    tags: p.tags ?? {},
    connections: (p.privateEndpointConnections ?? []).map(toConnection),
  };
}

export async function listPls(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
): Promise<PlsView[]> {
  const out: PlsView[] = [];
  try {
    for await (const p of azure.sdk
      .network(subscriptionId)
      .privateLinkServices.list(resourceGroup, { abortSignal: azure.signal })) {
      out.push(toPlsView(p));
    }
  } catch (err) {
    throw azureError(err, `list Private Link Services in resource group ${resourceGroup}`, {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
    });
  }
  return out;
}

export async function findPls(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): Promise<PlsView | undefined> {
  try {
    return toPlsView(
      await azure.sdk
        .network(subscriptionId)
        .privateLinkServices.get(resourceGroup, name, { abortSignal: azure.signal }),
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw azureError(err, `read Private Link Service ${name}`);
  }
}

export async function deleteConnection(azure: Azure, pls: PlsView, connectionName: string): Promise<void> {
  try {
    await azure.sdk
      .network(pls.subscriptionId)
      .privateLinkServices.deletePrivateEndpointConnection(pls.resourceGroup, pls.name, connectionName, {
        abortSignal: azure.signal,
        updateIntervalInMs: 1000,
      });
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureError(err, `remove connection ${connectionName} from ${pls.name}`);
  }
}

export async function deletePls(azure: Azure, pls: PlsView): Promise<void> {
  try {
    await azure.sdk.network(pls.subscriptionId).privateLinkServices.delete(pls.resourceGroup, pls.name, {
      abortSignal: azure.signal,
      updateIntervalInMs: 1000,
    });
  } catch (err) {
    if (isNotFound(err)) return;
    throw azureError(err, `delete Private Link Service ${pls.name}`);
  }
}

/** The node resource group of a managed cluster (where AKS puts the PLS by default). */
export async function clusterNodeResourceGroup(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  cluster: string,
): Promise<{ nodeResourceGroup: string; location: string | undefined }> {
  try {
    const aks = await azure.sdk.aks(subscriptionId);
    const mc = await aks.managedClusters.get(resourceGroup, cluster, { abortSignal: azure.signal });
    if (!mc.nodeResourceGroup) throw new Error("the cluster reports no nodeResourceGroup");
    return { nodeResourceGroup: mc.nodeResourceGroup, location: mc.location };
  } catch (err) {
    throw azureError(err, `read AKS cluster ${cluster} in resource group ${resourceGroup}`);
  }
}

/** The frontends of a load balancer (the controller's `kubernetes-internal`), by private IP. */
export async function loadBalancerFrontends(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): Promise<Array<{ id: string; name: string; privateIp: string | undefined }>> {
  try {
    const lb = await azure.sdk
      .network(subscriptionId)
      .loadBalancers.get(resourceGroup, name, { abortSignal: azure.signal });
    return (lb.frontendIPConfigurations ?? []).map((f) => ({
      id: f.id ?? "",
      name: f.name ?? "",
      privateIp: f.privateIPAddress,
    }));
  } catch (err) {
    if (isNotFound(err)) return [];
    throw azureError(err, `read load balancer ${name}`);
  }
}
