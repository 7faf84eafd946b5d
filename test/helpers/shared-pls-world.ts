/**
 * A landing-zone world in small: the PLS resource group `rg-pls-shared` is shared with another AKS
 * cluster, whose PLS `pls-web` (on its own load balancer frontend, in its own node resource group)
 * carries exactly the tags this cluster's Service default/web would get.
 */
import { DEFAULT_IDS, defaultWorld, type WorldSpec } from "../../src/sandbox/world.js";

export const SHARED_RG = "rg-pls-shared";
export const OTHER_NODE_RG = "MC_rg-other_aks-other_westeurope";
export const FOREIGN_PLS = "pls-web";

export function sharedPlsWorld(owner = "default/web"): WorldSpec {
  const w = defaultWorld();
  const sub = DEFAULT_IDS.providerSubscriptionId;
  w.resourceGroups.push(
    { subscriptionId: sub, name: SHARED_RG, location: "westeurope" },
    { subscriptionId: sub, name: "rg-other", location: "westeurope" },
    { subscriptionId: sub, name: OTHER_NODE_RG, location: "westeurope" },
  );
  w.virtualNetworks.push({
    subscriptionId: sub,
    resourceGroup: "rg-other",
    name: "other-vnet",
    location: "westeurope",
    addressPrefixes: ["10.50.0.0/16"],
    subnets: [
      { name: "other-subnet", addressPrefix: "10.50.0.0/24", privateLinkServiceNetworkPolicies: "Disabled" },
    ],
  });
  w.privateLinkServices = [
    {
      subscriptionId: sub,
      resourceGroup: SHARED_RG,
      name: FOREIGN_PLS,
      location: "westeurope",
      tags: { "k8s-azure-cluster-name": "kubernetes", "k8s-azure-owner-service": owner },
      loadBalancer: {
        resourceGroup: OTHER_NODE_RG,
        name: "kubernetes-internal",
        frontendName: "a0f3c2b1d4e5f60718293a4b5c6d7e8f",
        privateIp: "10.50.0.10",
      },
      subnet: { resourceGroup: "rg-other", vnetName: "other-vnet", name: "other-subnet" },
      natIp: "10.50.0.11",
      visibility: [DEFAULT_IDS.partnerSubscriptionId],
    },
  ];
  // The cluster identity may write PLSs in the shared group, as a landing zone grants it.
  const ctl = w.identities.find((i) => i.name === "aks-controller");
  ctl?.roleAssignments.push({
    role: "Network Contributor",
    scope: `/subscriptions/${sub}/resourceGroups/${SHARED_RG}`,
  });
  return w;
}
