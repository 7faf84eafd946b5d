/** Private Link Services as plsctl sees them (with the connections a read returns), and where AKS puts them. */
import type { ManagedCluster } from "@azure/arm-containerservice";
import type { PrivateEndpointConnection, PrivateLinkService } from "@azure/arm-network";
import { type ConnectionView, connectionView, type PlsView } from "../domain/pls.js";
import { parseResourceId } from "../domain/resource-id.js";
import { ANY_PARENT, all, call, first } from "./call.js";
import type { Azure } from "./handle.js";

export function toConnection(c: PrivateEndpointConnection): ConnectionView {
  const state = c.privateLinkServiceConnectionState;
  return connectionView({
    name: c.name,
    id: c.id,
    privateEndpointId: c.privateEndpoint?.id,
    status: state?.status,
    description: state?.description,
    actionsRequired: state?.actionsRequired,
    provisioningState: c.provisioningState,
    linkIdentifier: c.linkIdentifier,
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
    natIpConfigurations: (p.ipConfigurations ?? []).map((c) => ({
      privateIp: c.privateIPAddress,
      isStatic: c.privateIPAllocationMethod === "Static",
      primary: Boolean(c.primary),
      subnetId: c.subnet?.id,
    })),
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
  return call(
    azure,
    `list Private Link Services in resource group ${resourceGroup}`,
    (arm, o) => all(arm.network(subscriptionId).privateLinkServices.list(resourceGroup, o), toPlsView),
    {
      action: "Microsoft.Network/privateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`,
    },
  );
}

export async function deletePls(azure: Azure, pls: PlsView): Promise<void> {
  await call(
    azure,
    `delete Private Link Service ${pls.name}`,
    (arm, o) => arm.network(pls.subscriptionId).privateLinkServices.delete(pls.resourceGroup, pls.name, o),
    { lro: true, missing: { value: () => undefined, allow: ANY_PARENT } },
  );
}

/** What plsctl needs of an AKS cluster: where AKS puts its resources, and its nodes' subnets. */
export interface ClusterInfo {
  name: string;
  resourceGroup: string;
  /** As ARM spells it (node providerIDs carry it in lower case). */
  nodeResourceGroup: string;
  location: string | undefined;
  /** The agent pools' vnetSubnetID (none with an AKS-managed VNet). */
  nodeSubnetIds: string[];
  /** The control-plane identity's principal (`identity.principalId`): the one the cloud controller acts as. */
  identityPrincipalId?: string | undefined;
  /** The kubelet identity's object id (`identityProfile.kubeletidentity`), a different principal. */
  kubeletObjectId?: string | undefined;
  /** The control-plane identity, whatever its kind (clusterIdentity). */
  controlPlane?: ControlPlaneIdentity | undefined;
  /** `nodeResourceGroupProfile.restrictionLevel` (`ReadOnly`: node resource group lockdown). */
  restrictionLevel?: string | undefined;
  /** `networkProfile.networkPlugin` / `networkPluginMode` ("azure" without a mode: pods in VNet subnets). */
  networkPlugin?: string | undefined;
  networkPluginMode?: string | undefined;
  /** The agent pools' `podSubnetID` (Azure CNI with dynamic pod IP allocation). */
  podSubnetIds?: string[];
  /** `networkProfile.loadBalancerProfile.backendPoolType`: NodeIPConfiguration (default) or NodeIP. */
  backendPoolType?: string | undefined;
}

/**
 * The identity the cloud controller acts as: system-assigned (`identity.principalId`),
 * user-assigned (`identity.userAssignedIdentities`: resource id → principal and client id), or a
 * service principal (`servicePrincipalProfile.clientId`, an app id; `msi` means a managed identity).
 * learn.microsoft.com/azure/aks/use-managed-identity, learn.microsoft.com/rest/api/aks/managed-clusters/get.
 */
export interface ControlPlaneIdentity {
  kind: "SystemAssigned" | "UserAssigned" | "ServicePrincipal";
  /** The principal's object id (not known for a service principal: ARM shows only its app id). */
  principalId: string | undefined;
  clientId: string | undefined;
  /** The user-assigned identity's resource id. */
  resourceId?: string | undefined;
}

function controlPlaneOf(mc: ManagedCluster): ControlPlaneIdentity | undefined {
  const uai = Object.entries(mc.identity?.userAssignedIdentities ?? {})[0];
  if (mc.identity?.type === "UserAssigned" && uai) {
    return {
      kind: "UserAssigned",
      principalId: uai[1].principalId,
      clientId: uai[1].clientId,
      resourceId: uai[0],
    };
  }
  if (mc.identity?.principalId) {
    return { kind: "SystemAssigned", principalId: mc.identity.principalId, clientId: undefined };
  }
  const sp = mc.servicePrincipalProfile?.clientId;
  if (sp && sp.toLowerCase() !== "msi")
    return { kind: "ServicePrincipal", principalId: undefined, clientId: sp };
  return undefined;
}

function clusterInfo(mc: ManagedCluster): ClusterInfo | undefined {
  if (!mc.nodeResourceGroup || !mc.id) return undefined;
  return {
    name: mc.name ?? "",
    resourceGroup: parseResourceId(mc.id)?.resourceGroup ?? "",
    nodeResourceGroup: mc.nodeResourceGroup,
    location: mc.location,
    nodeSubnetIds: [
      ...new Set(
        (mc.agentPoolProfiles ?? []).map((p) => p.vnetSubnetID).filter((s): s is string => Boolean(s)),
      ),
    ],
    identityPrincipalId: controlPlaneOf(mc)?.principalId,
    kubeletObjectId: mc.identityProfile?.kubeletidentity?.objectId,
    controlPlane: controlPlaneOf(mc),
    restrictionLevel: mc.nodeResourceGroupProfile?.restrictionLevel,
    networkPlugin: mc.networkProfile?.networkPlugin,
    networkPluginMode: mc.networkProfile?.networkPluginMode,
    podSubnetIds: [
      ...new Set(
        (mc.agentPoolProfiles ?? []).map((p) => p.podSubnetID).filter((s): s is string => Boolean(s)),
      ),
    ],
    backendPoolType: mc.networkProfile?.loadBalancerProfile?.backendPoolType,
  };
}

/** The managed cluster `--cluster` names. */
export async function getCluster(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  cluster: string,
): Promise<ClusterInfo> {
  return call(azure, `read AKS cluster ${cluster} in resource group ${resourceGroup}`, async (arm, o) => {
    const mc = await (await arm.aks(subscriptionId)).managedClusters.get(resourceGroup, cluster, o);
    const info = clusterInfo(mc);
    if (!info) throw new Error("the cluster reports no nodeResourceGroup");
    return info;
  });
}

/** The managed cluster whose node resource group this is (one list of the subscription's clusters). */
export async function findClusterByNodeResourceGroup(
  azure: Azure,
  subscriptionId: string,
  nodeResourceGroup: string,
): Promise<ClusterInfo | undefined> {
  const wanted = nodeResourceGroup.toLowerCase();
  return call(azure, `list AKS clusters in subscription ${subscriptionId}`, async (arm, o) =>
    first((await arm.aks(subscriptionId)).managedClusters.list(o), (mc) =>
      mc.nodeResourceGroup?.toLowerCase() === wanted ? clusterInfo(mc) : undefined,
    ),
  );
}

export interface FrontendView {
  id: string;
  name: string;
  privateIp: string | undefined;
  subnetId: string | undefined;
  /** IPv4 or IPv6. */
  ipVersion: string | undefined;
}

/** The frontends of a load balancer (the controller's `kubernetes-internal`); none when it does not exist. */
export async function loadBalancerFrontends(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): Promise<FrontendView[]> {
  return call(
    azure,
    `read load balancer ${name}`,
    async (arm, o) => {
      const lb = await arm.network(subscriptionId).loadBalancers.get(resourceGroup, name, o);
      return (lb.frontendIPConfigurations ?? []).map((f) => ({
        id: f.id ?? "",
        name: f.name ?? "",
        privateIp: f.privateIPAddress,
        subnetId: f.subnet?.id,
        ipVersion: f.privateIPAddressVersion,
      }));
    },
    { missing: { value: () => [], allow: ANY_PARENT } },
  );
}
