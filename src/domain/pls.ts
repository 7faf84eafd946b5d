/** plsctl's own view of a Private Link Service and its connections (no SDK types). */
import { subscriptionOf } from "./resource-id.js";

export type ConnectionStatus = "Pending" | "Approved" | "Rejected" | "Disconnected" | string;

export interface ConnectionView {
  name: string;
  id: string;
  privateEndpointId: string | undefined;
  requesterSubscription: string | undefined;
  status: ConnectionStatus;
  description: string | undefined;
  actionsRequired: string | undefined;
  provisioningState: string | undefined;
  /** Azure's `linkIdentifier`: the 32-bit link id (a decimal string) proxy protocol v2 carries. */
  linkIdentifier?: string | undefined;
}

/** One NAT IP configuration of a PLS. */
export interface NatIpConfigView {
  privateIp: string | undefined;
  isStatic: boolean;
  primary: boolean;
  subnetId: string | undefined;
}

export interface PlsView {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string | undefined;
  alias: string | undefined;
  provisioningState: string | undefined;
  visibility: string[];
  autoApproval: string[];
  fqdns: string[];
  proxyProtocol: boolean;
  natIps: string[];
  natSubnetIds: string[];
  natIpConfigurations: NatIpConfigView[];
  frontendIds: string[];
  tags: Record<string, string>;
  connections: ConnectionView[];
}

export const OWNER_TAG = "k8s-azure-owner-service";
export const CLUSTER_TAG = "k8s-azure-cluster-name";

export function connectionView(c: {
  name?: string | undefined;
  id?: string | undefined;
  privateEndpointId?: string | undefined;
  status?: string | undefined;
  description?: string | undefined;
  actionsRequired?: string | undefined;
  provisioningState?: string | undefined;
  linkIdentifier?: string | undefined;
}): ConnectionView {
  return {
    name: c.name ?? "",
    id: c.id ?? "",
    privateEndpointId: c.privateEndpointId,
    requesterSubscription: c.privateEndpointId ? subscriptionOf(c.privateEndpointId) : undefined,
    status: c.status ?? "Unknown",
    description: c.description,
    actionsRequired: c.actionsRequired,
    provisioningState: c.provisioningState,
    ...(c.linkIdentifier ? { linkIdentifier: c.linkIdentifier } : {}),
  };
}

const eq = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * The PLS of a Service, found the way the AKS controller finds it: the one whose
 * loadBalancerFrontendIpConfigurations include the Service's own frontend (kubernetes-sigs/
 * cloud-provider-azure pkg/provider/privatelinkservice/cache.go and repo.go: the PLS cache is keyed
 * by frontend id; pkg/provider/azure_privatelinkservice.go, reconcilePrivateLinkService, looks the
 * PLS up by frontend). Tags and names prove nothing: every AKS cluster tags
 * `k8s-azure-cluster-name: kubernetes`, so two clusters sharing a PLS resource group carry the same
 * tags, and a name is only a name.
 */
export function plsOnFrontend(all: PlsView[], frontendIds: string[]): PlsView | undefined {
  return all.find((p) => p.frontendIds.some((f) => frontendIds.some((id) => eq(f, id))));
}

/**
 * PLSs that look like the Service's — its owner tag or the name it asks for — but sit on another
 * frontend: another cluster's (same tags in a shared resource group) or a stranger's. Never the
 * Service's; `status` mentions them so nobody mistakes one for it.
 */
export function lookalikePls(
  all: PlsView[],
  by: { owner: string; name: string | undefined },
  own: PlsView | undefined,
): PlsView[] {
  return all.filter(
    (p) =>
      p.id.toLowerCase() !== own?.id.toLowerCase() &&
      (eq(p.tags[OWNER_TAG], by.owner) || eq(p.name, by.name)),
  );
}
