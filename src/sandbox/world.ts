/**
 * The sandbox's world: tenants, subscriptions, identities with their role assignments, and the
 * resources that exist before any plsctl command runs. `defaultWorld()` mirrors the walkthrough in
 * the seed articles (an AKS cluster `aks-demo` in the provider tenant, a partner spoke VNet in a
 * second tenant). Users can load another world from a YAML/JSON file of the same shape.
 *
 * Shared by the ARM emulator, the Kubernetes emulator and the simulated cloud controller; it holds
 * no secrets (tokens are generated per sandbox and kept in its state directory).
 */

import type {
  ClusterLandingZoneSpec,
  ExistingPlsSpec,
  ManagementGroupSpec,
  PrivateDnsZoneSpec,
} from "./world-landing-zone.js";

export type {
  ClusterLandingZoneSpec,
  ExistingPlsSpec,
  ManagementGroupSpec,
  PrivateDnsLinkSpec,
  PrivateDnsZoneSpec,
} from "./world-landing-zone.js";
export { managementGroupScope } from "./world-landing-zone.js";

export interface TenantSpec {
  id: string;
  displayName: string;
  defaultDomain: string;
}

export interface SubscriptionSpec {
  id: string;
  tenantId: string;
  displayName: string;
}

export interface RoleAssignmentSpec {
  /** A role name from `roles` (built-ins: Owner, Contributor, Reader, Network Contributor). */
  role: string;
  /**
   * An ARM scope: `/subscriptions/<id>`, `/subscriptions/<id>/resourceGroups/<rg>`, a resource id, or
   * a management group, `/providers/Microsoft.Management/managementGroups/<name>`.
   */
  scope: string;
}

/** A principal that can call ARM through the sandbox, with one bearer token per sandbox. */
export interface IdentitySpec {
  /** Short name used on the command line: `plsctl sandbox env --as <name>`. */
  name: string;
  displayName: string;
  tenantId: string;
  objectId: string;
  clientId: string;
  /** The subscription `plsctl sandbox env --as <name>` selects. */
  defaultSubscriptionId: string;
  roleAssignments: RoleAssignmentSpec[];
}

export interface RoleSpec {
  name: string;
  /**
   * The role definition's GUID (its `name` in ARM). Built-ins carry Azure's own ids; a custom role
   * without one gets a stable id derived from its name.
   */
  id?: string;
  description?: string;
  /** Where a custom role may be assigned (default: every subscription of the world). */
  assignableScopes?: string[];
  /** Action patterns as in Azure role definitions, `*` wildcards allowed. */
  actions: string[];
  notActions?: string[];
}

export interface ResourceGroupSpec {
  subscriptionId: string;
  name: string;
  location: string;
  tags?: Record<string, string>;
}

export interface SubnetSpec {
  name: string;
  addressPrefix: string;
  privateLinkServiceNetworkPolicies?: "Enabled" | "Disabled";
  privateEndpointNetworkPolicies?: "Enabled" | "Disabled";
  /** Resource ids of what is attached to the subnet (a write of the subnet needs their `join/action`). */
  networkSecurityGroup?: string;
  routeTable?: string;
  natGateway?: string;
}

export interface VirtualNetworkSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  addressPrefixes: string[];
  subnets: SubnetSpec[];
}

export interface NodeSpec {
  name: string;
  /** VM scale set name; the node's providerID points at instance `instanceId` of it. */
  vmssName: string;
  instanceId: string;
  internalIp: string;
}

export interface ManagedClusterSpec extends ClusterLandingZoneSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  nodeResourceGroup: string;
  kubernetesVersion: string;
  /**
   * `networkProfile.networkDataplane`: "azure" (default) or "cilium" (Azure CNI powered by Cilium),
   * where the Kubernetes API also serves cilium.io/v2 CiliumNetworkPolicy.
   */
  networkDataplane?: "azure" | "cilium";
  /**
   * The cluster's control-plane identity (an `identities` name): the managed cluster's
   * `identity.principalId`, and the identity the cloud controller acts as in ARM.
   */
  controllerIdentity: string;
  /**
   * The kubelet identity (an `identities` name): `identityProfile.kubeletidentity`, a distinct
   * principal that the nodes use (e.g. to pull images); by default it has no network rights.
   */
  kubeletIdentity?: string;
  /** The cloud-config (`/etc/kubernetes/azure.json`) values the controller reads. */
  cloudConfig: {
    clusterName: string;
    resourceGroup: string;
    location: string;
    vnetName: string;
    vnetResourceGroup: string;
    subnetName: string;
    loadBalancerName?: string;
    privateLinkServiceResourceGroup?: string;
  };
  /**
   * `networkProfile.loadBalancerProfile.backendPoolType`: "NodeIPConfiguration" (default, NIC-based
   * pools) or "NodeIP" (IP-based pools), where Azure refuses a Private Link Service on the load
   * balancer (`PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer`).
   */
  loadBalancerBackendPoolType?: "NodeIPConfiguration" | "NodeIP";
  nodes: NodeSpec[];
}

/**
 * An Azure PaaS resource that can be a private link target (Key Vault vault, SQL server, Storage
 * account): where it lives. The ARM emulator serves it with its private link resources (group ids)
 * and private endpoint connections.
 */
export interface PaasResourceSpec {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
}

export interface WorldSpec {
  tenants: TenantSpec[];
  subscriptions: SubscriptionSpec[];
  roles?: RoleSpec[];
  identities: IdentitySpec[];
  resourceGroups: ResourceGroupSpec[];
  virtualNetworks: VirtualNetworkSpec[];
  managedClusters: ManagedClusterSpec[];
  /** Management groups (role assignments at their scope apply to their subscriptions). */
  managementGroups?: ManagementGroupSpec[];
  /** Key Vault vaults (`Microsoft.KeyVault/vaults`, group id `vault`). */
  keyVaults?: PaasResourceSpec[];
  /** SQL servers (`Microsoft.Sql/servers`, group id `sqlServer`). */
  sqlServers?: PaasResourceSpec[];
  /** Storage accounts (`Microsoft.Storage/storageAccounts`, group ids `blob`, `file`, `queue`, …). */
  storageAccounts?: PaasResourceSpec[];
  /** Private DNS zones and their VNet links (a hub's central zones). */
  privateDnsZones?: PrivateDnsZoneSpec[];
  /** Private Link Services (each on its own load balancer) that exist from the start. */
  privateLinkServices?: ExistingPlsSpec[];
  /** How the ARM emulator behaves where tests want Azure's harder edges (see EmulatorSettingsSpec). */
  emulator?: EmulatorSettingsSpec;
}

/**
 * ARM emulator settings a world file may set (each optional; the emulator's defaults are Azure's).
 * Start options and the `/_sandbox/settings` admin endpoint override them.
 */
export interface EmulatorSettingsSpec {
  /** Items per page of the paged lists before a `nextLink`, and rows per Resource Graph page (default 1000). */
  pageSize?: number;
  /** Azure Resource Graph queries per identity and window (default 15 per 5 s). */
  graphQuota?: { queries: number; windowSeconds: number };
  /** Re-approving an Approved connection fails instead of answering 200 (default false). */
  strictReapprove?: boolean;
  /** Microsoft.Network's write/delete limit per subscription (default 1000 per 300 s). */
  networkWriteLimit?: { writes: number; windowSeconds: number };
  /** How long a connection PUT/DELETE takes; the PLS is locked meanwhile (default 0). */
  connectionWriteMs?: number;
  /** ARM's per-principal read bucket, per subscription (default burst 250, 25 per second). */
  armReadBucket?: { burst: number; refillPerSecond: number };
  /** ARM's per-principal write bucket, per subscription (default burst 200, 10 per second). */
  armWriteBucket?: { burst: number; refillPerSecond: number };
  /** ARM's per-principal delete bucket, per subscription (default burst 200, 10 per second). */
  armDeleteBucket?: { burst: number; refillPerSecond: number };
  /**
   * How long a new private link service's alias stays unknown (to checkPrivateLinkServiceVisibility
   * and to private endpoint creation) after the PLS is created; its resource id works at once
   * (default 0).
   */
  aliasPropagationMs?: number;
}

export const DEFAULT_IDS = {
  providerTenantId: "7d3f1c2a-9b4e-4f6a-8c1d-2e5b6a7c8d90",
  providerSubscriptionId: "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
  partnerTenantId: "c4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70",
  partnerSubscriptionId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
} as const;

/** The custom role the provider's CI gets: read the PLS, review and decide its connections. */
export const PRIVATE_LINK_APPROVER_ROLE: RoleSpec = {
  name: "Private Link Approver",
  actions: [
    "Microsoft.Network/privateLinkServices/read",
    "Microsoft.Network/privateLinkServices/privateEndpointConnections/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
  ],
};

export function defaultWorld(): WorldSpec {
  const { providerTenantId, providerSubscriptionId, partnerTenantId, partnerSubscriptionId } = DEFAULT_IDS;
  const provSub = `/subscriptions/${providerSubscriptionId}`;
  const nodeRg = "MC_rg-aks_aks-demo_westeurope";
  const data = (name: string): PaasResourceSpec => ({
    subscriptionId: providerSubscriptionId,
    resourceGroup: "rg-data",
    name,
    location: "westeurope",
  });
  return {
    tenants: [
      { id: providerTenantId, displayName: "Contoso (provider)", defaultDomain: "contoso.onmicrosoft.com" },
      { id: partnerTenantId, displayName: "Fabrikam (partner)", defaultDomain: "fabrikam.onmicrosoft.com" },
    ],
    subscriptions: [
      { id: providerSubscriptionId, tenantId: providerTenantId, displayName: "contoso-aks-prod" },
      { id: partnerSubscriptionId, tenantId: partnerTenantId, displayName: "fabrikam-spoke" },
    ],
    roles: [PRIVATE_LINK_APPROVER_ROLE],
    identities: [
      {
        name: "provider",
        displayName: "Contoso cluster operator",
        tenantId: providerTenantId,
        objectId: "3f2a1b0c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        defaultSubscriptionId: providerSubscriptionId,
        roleAssignments: [{ role: "Contributor", scope: provSub }],
      },
      {
        name: "ci",
        displayName: "Contoso provider CI",
        tenantId: providerTenantId,
        objectId: "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e",
        clientId: "6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f",
        defaultSubscriptionId: providerSubscriptionId,
        roleAssignments: [
          { role: "Private Link Approver", scope: `${provSub}/resourceGroups/${nodeRg}` },
          { role: "Reader", scope: `${provSub}/resourceGroups/rg-aks` },
        ],
      },
      {
        name: "partner",
        displayName: "Fabrikam network admin",
        tenantId: partnerTenantId,
        objectId: "8e9f0a1b-2c3d-4e4f-9a5b-6c7d8e9f0a1b",
        clientId: "9f0a1b2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c",
        defaultSubscriptionId: partnerSubscriptionId,
        roleAssignments: [{ role: "Contributor", scope: `/subscriptions/${partnerSubscriptionId}` }],
      },
      {
        name: "aks-controller",
        displayName: "aks-demo cluster identity (cloud controller)",
        tenantId: providerTenantId,
        objectId: "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a",
        clientId: "4f5a6b7c-8d9e-4f0a-8b1c-2d3e4f5a6b7c",
        defaultSubscriptionId: providerSubscriptionId,
        roleAssignments: [
          { role: "Contributor", scope: `${provSub}/resourceGroups/${nodeRg}` },
          { role: "Network Contributor", scope: `${provSub}/resourceGroups/rg-aks` },
        ],
      },
      {
        name: "aks-kubelet",
        displayName: "aks-demo-agentpool (kubelet identity)",
        tenantId: providerTenantId,
        objectId: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
        clientId: "7b8c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
        defaultSubscriptionId: providerSubscriptionId,
        roleAssignments: [],
      },
    ],
    resourceGroups: [
      { subscriptionId: providerSubscriptionId, name: "rg-aks", location: "westeurope" },
      {
        subscriptionId: providerSubscriptionId,
        name: nodeRg,
        location: "westeurope",
        tags: { "aks-managed-cluster-name": "aks-demo", "aks-managed-cluster-rg": "rg-aks" },
      },
      { subscriptionId: providerSubscriptionId, name: "rg-data", location: "westeurope" },
      { subscriptionId: partnerSubscriptionId, name: "rg-partner", location: "westeurope" },
    ],
    virtualNetworks: [
      {
        subscriptionId: providerSubscriptionId,
        resourceGroup: "rg-aks",
        name: "aks-vnet",
        location: "westeurope",
        addressPrefixes: ["10.224.0.0/12"],
        subnets: [
          { name: "aks-subnet", addressPrefix: "10.224.0.0/16" },
          { name: "pls-nat-subnet", addressPrefix: "10.225.0.0/24" },
        ],
      },
      {
        subscriptionId: partnerSubscriptionId,
        resourceGroup: "rg-partner",
        name: "spoke01",
        location: "westeurope",
        addressPrefixes: ["10.0.0.0/16"],
        subnets: [
          { name: "pe-subnet", addressPrefix: "10.0.0.0/24" },
          { name: "workload-subnet", addressPrefix: "10.0.1.0/24" },
        ],
      },
    ],
    managedClusters: [
      {
        subscriptionId: providerSubscriptionId,
        resourceGroup: "rg-aks",
        name: "aks-demo",
        location: "westeurope",
        nodeResourceGroup: nodeRg,
        kubernetesVersion: "1.31.5",
        controllerIdentity: "aks-controller",
        kubeletIdentity: "aks-kubelet",
        cloudConfig: {
          clusterName: "kubernetes",
          resourceGroup: nodeRg,
          location: "westeurope",
          vnetName: "aks-vnet",
          vnetResourceGroup: "rg-aks",
          subnetName: "aks-subnet",
        },
        nodes: [0, 1, 2].map((i) => ({
          name: `aks-nodepool1-11106896-vmss00000${i}`,
          vmssName: "aks-nodepool1-11106896-vmss",
          instanceId: String(i),
          internalIp: `10.224.0.${4 + i}`,
        })),
      },
    ],
    keyVaults: [data("kv-contoso-demo")],
    sqlServers: [data("sql-contoso-demo")],
    storageAccounts: [data("stcontosodemo")],
  };
}
