/**
 * The identities a running sandbox offers to act as (sandbox.json, `plsctl sandbox env --as`):
 * every world identity but the clusters' own, with its token, the kubeconfig when it is of the
 * cluster's tenant, and the VNet its partner-proxy connections come from.
 */
import type { ArmEmulator } from "./arm/index.js";
import type { WorldSpec } from "./world.js";

export interface IdentityEnv {
  name: string;
  displayName: string;
  tenantId: string;
  subscriptionId: string;
  token: string;
  /** Only identities of the cluster's tenant get the kubeconfig. */
  kubeconfig: string | undefined;
  /**
   * The VNet this identity's connections come from through the partner proxy (its name, or its
   * URL-encoded resource id when the name is not unique): the one VNet of its default subscription
   * that is not the cluster's. Absent when there is not exactly one.
   */
  vnet?: string;
}

/** The one VNet of `subscriptionId` that is no cluster's, as a proxy user names it. */
function vnetOf(world: WorldSpec, subscriptionId: string): string | undefined {
  const clusterVnet = (name: string, rg: string) =>
    world.managedClusters.some(
      (m) => m.cloudConfig.vnetName === name && m.cloudConfig.vnetResourceGroup === rg,
    );
  const own = world.virtualNetworks.filter(
    (v) => v.subscriptionId === subscriptionId && !clusterVnet(v.name, v.resourceGroup),
  );
  const v = own.length === 1 ? own[0] : undefined;
  if (!v) return undefined;
  const unique =
    world.virtualNetworks.filter((x) => x.name.toLowerCase() === v.name.toLowerCase()).length === 1;
  if (unique) return v.name;
  const id = `/subscriptions/${v.subscriptionId}/resourceGroups/${v.resourceGroup}/providers/Microsoft.Network/virtualNetworks/${v.name}`;
  return encodeURIComponent(id);
}

export function identities(world: WorldSpec, arm: ArmEmulator, kubeconfig: string): IdentityEnv[] {
  const clusterTenant = world.subscriptions.find(
    (s) => s.id === world.managedClusters[0]?.subscriptionId,
  )?.tenantId;
  // The clusters' own identities (control plane, kubelet) are not people one acts as.
  const own = new Set(world.managedClusters.flatMap((c) => [c.controllerIdentity, c.kubeletIdentity]));
  return world.identities
    .filter((i) => !own.has(i.name))
    .map((i) => ({
      name: i.name,
      displayName: i.displayName,
      tenantId: i.tenantId,
      subscriptionId: i.defaultSubscriptionId,
      token: arm.tokens[i.name] ?? "",
      kubeconfig: i.tenantId === clusterTenant ? kubeconfig : undefined,
      ...(vnetOf(world, i.defaultSubscriptionId) ? { vnet: vnetOf(world, i.defaultSubscriptionId) } : {}),
    }));
}
