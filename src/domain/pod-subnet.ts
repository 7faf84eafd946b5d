/**
 * With `externalTrafficPolicy: Local` the PLS NAT subnet must differ from the pod subnet
 * (cloud-provider-azure docs, "Private Link Service Integration" (pls-integration) restrictions;
 * kubernetes/kubernetes#95555). The controller's default NAT subnet is the load balancer's, the
 * node subnet (cloud-provider-azure pkg/provider/azure_privatelinkservice.go, the ip configuration
 * subnet default), and under Azure CNI in node-subnet mode the pods take their IPs from the node
 * subnet too. Overlay and kubenet pods are outside the VNet: no overlap.
 */

export interface PodNetwork {
  /** `networkProfile.networkPlugin`: azure, kubenet, none. */
  networkPlugin: string | undefined;
  /** `networkProfile.networkPluginMode`: overlay, or none. */
  networkPluginMode: string | undefined;
  nodeSubnetIds: string[];
  /** The pools' `podSubnetID` (Azure CNI with dynamic pod IP allocation). */
  podSubnetIds: string[];
}

/** The VNet subnets the pods take their IPs from (none for overlay, kubenet or an unknown plugin). */
export function podSubnets(n: PodNetwork): string[] {
  if ((n.networkPlugin ?? "").toLowerCase() !== "azure") return [];
  if ((n.networkPluginMode ?? "").toLowerCase() === "overlay") return [];
  return n.podSubnetIds.length > 0 ? n.podSubnetIds : n.nodeSubnetIds;
}

/** The NAT subnet that is also a pod subnet, if any. */
export function natOnPodSubnet(natSubnetIds: string[], n: PodNetwork): string | undefined {
  const pods = new Set(podSubnets(n).map((s) => s.toLowerCase()));
  return natSubnetIds.find((s) => pods.has(s.toLowerCase()));
}

/** How the pods get their IPs, in words. */
export function podNetworkWords(n: PodNetwork): string {
  return n.podSubnetIds.length > 0
    ? "Azure CNI with a pod subnet"
    : "Azure CNI in node-subnet mode: the pods take their IPs from the node subnet";
}
