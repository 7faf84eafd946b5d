/**
 * The managedClusters resource rendered from the world (GET only; the cluster itself is static).
 * Two principals, as AKS has them: the control-plane identity (`identity`, SystemAssigned: the one
 * the cloud controller acts as) and the kubelet identity (`identityProfile.kubeletidentity`, a
 * user-assigned identity in the node resource group). Shape: learn.microsoft.com/rest/api/aks/
 * managed-clusters/get (ManagedClusterIdentity, identityProfile).
 */
import type { IdentitySpec, ManagedClusterSpec, WorldSpec } from "../../world.js";
import { derivedGuid } from "../rbac.js";
import type { Resource } from "../types.js";
import { providerId } from "../util.js";

export function managedClusterResource(mc: ManagedClusterSpec, world: WorldSpec): Resource {
  const id = providerId(
    mc.subscriptionId,
    mc.resourceGroup,
    "Microsoft.ContainerService/managedClusters",
    mc.name,
  );
  const ctl = world.identities.find((i) => i.name === mc.controllerIdentity);
  const kubelet = world.identities.find((i) => i.name === mc.kubeletIdentity);
  const nodeRgId = `/subscriptions/${mc.subscriptionId}/resourceGroups/${mc.nodeResourceGroup}`;
  const subnetId = `/subscriptions/${mc.subscriptionId}/resourceGroups/${mc.cloudConfig.vnetResourceGroup}/providers/Microsoft.Network/virtualNetworks/${mc.cloudConfig.vnetName}/subnets/${mc.cloudConfig.subnetName}`;
  const dnsPrefix = `${mc.name}-dns`;
  const fqdn = `${dnsPrefix}-${mc.subscriptionId.slice(0, 8)}.hcp.${mc.location}.azmk8s.io`;
  const pools = new Map<string, number>();
  for (const n of mc.nodes) {
    const pool = n.vmssName.split("-")[1] ?? "nodepool1";
    pools.set(pool, (pools.get(pool) ?? 0) + 1);
  }
  return {
    id,
    name: mc.name,
    type: "Microsoft.ContainerService/ManagedClusters",
    location: mc.location,
    eTag: crypto.randomUUID(),
    tags: {},
    sku: { name: "Base", tier: "Free" },
    ...controlPlaneIdentity(mc, world, ctl),
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: mc.kubernetesVersion,
      currentKubernetesVersion: mc.kubernetesVersion,
      dnsPrefix,
      fqdn,
      azurePortalFQDN: `${dnsPrefix}-portal.hcp.${mc.location}.azmk8s.io`,
      maxAgentPools: 100,
      agentPoolProfiles: [...pools].map(([name, count]) => ({
        name,
        count,
        vmSize: "Standard_D2s_v3",
        maxPods: 250,
        osType: "Linux",
        type: "VirtualMachineScaleSets",
        mode: "System",
        availabilityZones: ["1", "2", "3"],
        vnetSubnetID: subnetId,
        ...(mc.network === "azure-cni" && mc.podSubnetName
          ? { podSubnetID: subnetId.replace(/[^/]+$/, mc.podSubnetName) }
          : {}),
        orchestratorVersion: mc.kubernetesVersion,
        currentOrchestratorVersion: mc.kubernetesVersion,
        nodeImageVersion: "AKSUbuntu-2204gen2containerd-202501.12.0",
        provisioningState: "Succeeded",
        eTag: crypto.randomUUID(),
        upgradeSettings: { maxSurge: "10%" },
      })),
      linuxProfile: {
        adminUsername: "azureuser",
        ssh: { publicKeys: [{ keyData: "ssh-rsa AAAAB3Nza sandbox" }] },
      },
      servicePrincipalProfile: {
        clientId: mc.controlPlaneIdentityType === "ServicePrincipal" ? (ctl?.clientId ?? "") : "msi",
      },
      nodeResourceGroup: mc.nodeResourceGroup,
      ...(mc.nodeResourceGroupRestrictionLevel
        ? { nodeResourceGroupProfile: { restrictionLevel: mc.nodeResourceGroupRestrictionLevel } }
        : {}),
      enableRBAC: true,
      diskEncryptionSetID: `${nodeRgId}/providers/Microsoft.Compute/diskEncryptionSets/des`,
      networkProfile: {
        ...networkPlugin(mc),
        ...(mc.networkDataplane === "cilium" ? { networkDataplane: "cilium", networkPolicy: "cilium" } : {}),
        loadBalancerSku: "standard",
        outboundType: "loadBalancer",
        ...(mc.network === "azure-cni" ? {} : { podCidr: "10.244.0.0/16", podCidrs: ["10.244.0.0/16"] }),
        serviceCidr: "10.0.0.0/16",
        dnsServiceIP: "10.0.0.10",
        serviceCidrs: ["10.0.0.0/16"],
        ipFamilies: ["IPv4"],
        loadBalancerProfile: {
          // learn.microsoft.com/rest/api/aks/managed-clusters/get: ManagedClusterLoadBalancerProfile.
          backendPoolType: mc.loadBalancerBackendPoolType ?? "NodeIPConfiguration",
          managedOutboundIPs: { count: 1 },
          outboundIPs: {
            publicIPs: [{ id: `${nodeRgId}/providers/Microsoft.Network/publicIPAddresses/outbound` }],
          },
          effectiveOutboundIPs: [
            { id: `${nodeRgId}/providers/Microsoft.Network/publicIPAddresses/outbound` },
          ],
          allocatedOutboundPorts: 0,
          idleTimeoutInMinutes: 30,
        },
      },
      upgradeSettings: { overrideSettings: { forceUpgrade: false, until: "2099-01-01T00:00:00Z" } },
      identityProfile: {
        kubeletidentity: {
          resourceId: `${nodeRgId}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${mc.name}-agentpool`,
          // A world without a kubelet identity still gets one distinct from the control plane's.
          clientId: kubelet?.clientId ?? derivedGuid(`kubelet-client:${id.toLowerCase()}`),
          objectId: kubelet?.objectId ?? derivedGuid(`kubelet-object:${id.toLowerCase()}`),
        },
      },
    },
  };
}

/**
 * `identity` as ARM shows each kind of control-plane identity: SystemAssigned with its principal,
 * UserAssigned with the identity's resource id → principal and client ids (no top-level principal),
 * none for a service principal (`servicePrincipalProfile.clientId` carries it).
 */
function controlPlaneIdentity(
  mc: ManagedClusterSpec,
  world: WorldSpec,
  ctl: IdentitySpec | undefined,
): Record<string, unknown> {
  const tenantId = ctl?.tenantId ?? world.tenants[0]?.id ?? "";
  const principalId = ctl?.objectId ?? crypto.randomUUID();
  switch (mc.controlPlaneIdentityType ?? "SystemAssigned") {
    case "ServicePrincipal":
      return {};
    case "UserAssigned": {
      const uami = `/subscriptions/${mc.subscriptionId}/resourceGroups/${mc.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${mc.controllerIdentity}`;
      return {
        identity: {
          type: "UserAssigned",
          userAssignedIdentities: { [uami]: { principalId, clientId: ctl?.clientId ?? "" } },
        },
      };
    }
    default:
      return { identity: { type: "SystemAssigned", principalId, tenantId } };
  }
}

/** `networkPlugin`/`networkPluginMode` of the world's `network` (learn.microsoft.com/azure/aks/concepts-network-cni-overview). */
function networkPlugin(mc: ManagedClusterSpec): Record<string, string> {
  switch (mc.network ?? "azure-cni-overlay") {
    case "kubenet":
      return { networkPlugin: "kubenet" };
    case "azure-cni":
      return { networkPlugin: "azure" };
    default:
      return { networkPlugin: "azure", networkPluginMode: "overlay" };
  }
}
