/**
 * The landing-zone parts of a sandbox world (world.ts re-exports them): how a cluster sits in an
 * enterprise landing zone, management groups, PLSs that exist from the start, and private DNS zones
 * with their VNet links.
 */

/**
 * How a managed cluster sits in a landing zone (each optional; the default is the plain AKS cluster
 * of the walkthrough: system-assigned identity, Azure CNI overlay, no lockdown).
 */
export interface ClusterLandingZoneSpec {
  /**
   * `nodeResourceGroupProfile.restrictionLevel` (learn.microsoft.com/azure/aks/node-resource-group-lockdown):
   * `ReadOnly` puts a deny assignment on the node resource group that blocks every write and delete
   * there but the cluster's own identities'. Default `Unrestricted`.
   */
  nodeResourceGroupRestrictionLevel?: "Unrestricted" | "ReadOnly";
  /**
   * How the managed cluster shows its control-plane identity (`controllerIdentity`): `SystemAssigned`
   * (`identity.principalId`, the default), `UserAssigned` (`identity.userAssignedIdentities`, the
   * identity living in the cluster's resource group) or `ServicePrincipal`
   * (`servicePrincipalProfile.clientId`, no `identity`). learn.microsoft.com/rest/api/aks/managed-clusters/get.
   */
  controlPlaneIdentityType?: "SystemAssigned" | "UserAssigned" | "ServicePrincipal";
  /**
   * The network plugin: `azure-cni-overlay` (default; pods outside the VNet), `azure-cni` (pods take
   * their IPs from the node subnet, or from `podSubnetName` with dynamic pod IP allocation) or
   * `kubenet`. Shown as `networkProfile.networkPlugin`/`networkPluginMode` and the pools' `podSubnetID`.
   */
  network?: "azure-cni-overlay" | "azure-cni" | "kubenet";
  /** With `network: azure-cni`: the pods' subnet in the cluster's VNet (dynamic pod IP allocation). */
  podSubnetName?: string;
  /**
   * Where PLSs go when they must not be in the node resource group (a locked one): a resource group
   * in `resourceGroups` where `controllerIdentity` may write PLSs. `plsctl demo` exposes into it.
   */
  plsResourceGroup?: string;
}

/** A management group and the subscriptions directly under it; role assignments at its scope apply to them. */
export interface ManagementGroupSpec {
  /** The group's name (its id is `/providers/Microsoft.Management/managementGroups/<name>`). */
  name: string;
  displayName: string;
  tenantId: string;
  subscriptions: string[];
}

/** `/providers/Microsoft.Management/managementGroups/<name>` */
export const managementGroupScope = (name: string): string =>
  `/providers/Microsoft.Management/managementGroups/${name}`;

/**
 * A Private Link Service that exists before any plsctl command runs, on its own internal load
 * balancer frontend: e.g. another cluster's in a shared PLS resource group, carrying the same
 * `k8s-azure-cluster-name` / `k8s-azure-owner-service` tags as one of this cluster's Services.
 */
export interface ExistingPlsSpec {
  subscriptionId: string;
  /** Where the PLS is (e.g. a shared `azure-pls-resource-group`). */
  resourceGroup: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
  /** Its load balancer (another cluster's node resource group, say) and the frontend it sits on. */
  loadBalancer: { resourceGroup: string; name: string; frontendName: string; privateIp: string };
  /** The subnet (of `virtualNetworks`) holding the frontend and the NAT IP. */
  subnet: { resourceGroup: string; vnetName: string; name: string };
  natIp: string;
  /** Subscriptions that may connect (default none). */
  visibility?: string[];
}

/** A virtual network link of a private DNS zone (registration off unless said). */
export interface PrivateDnsLinkSpec {
  name: string;
  /** The linked VNet's resource id (one of `virtualNetworks`, in any subscription). */
  virtualNetworkId: string;
  registrationEnabled?: boolean;
}

/**
 * A private DNS zone that exists before any command runs, e.g. a landing zone's central
 * `privatelink.*` zone in a hub subscription, linked to the spokes' VNets. A VNet may be linked to
 * only one zone of a namespace (Azure's rule, enforced on seeding and on every link PUT).
 */
export interface PrivateDnsZoneSpec {
  subscriptionId: string;
  resourceGroup: string;
  /** The zone's DNS name, e.g. privatelink.vaultcore.azure.net. */
  name: string;
  links?: PrivateDnsLinkSpec[];
  tags?: Record<string, string>;
}
