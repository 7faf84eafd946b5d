/**
 * Parts of the simulated controller's load balancers that depend on the cluster or the Service's IP
 * families: the backend pool (NIC-based, or IP-based with backendPoolType NodeIP) and a dual-stack
 * Service's IPv6 frontend.
 */

import type { ServiceObject } from "./kube-client.js";
import { subnetId } from "./names.js";
import type { PlsContext } from "./pls.js";

const enc = encodeURIComponent;

/** A frontend IP configuration as the controller writes it (the shape of lb.ts's FipWire). */
interface Frontend {
  id: string;
  name: string;
  properties: {
    privateIPAllocationMethod: string;
    privateIPAddress: string;
    privateIPAddressVersion: string;
    subnet: { id: string };
  };
}

interface SubResource {
  name?: string;
  properties?: Record<string, unknown>;
}

/** A dual-stack Service (both families): it gets an IPv4 and an IPv6 frontend. */
export function dualStack(svc: ServiceObject): boolean {
  const f = svc.spec?.ipFamilies ?? [];
  return f.includes("IPv4") && f.includes("IPv6");
}

/**
 * The IPv6 frontend of a dual-stack Service: `<frontend name>-IPv6` (cloud-provider-azure
 * pkg/provider/azure_loadbalancer.go, getDefaultFrontendIPConfigName with the IP family suffix). The
 * sandbox allocates no IPv6 ranges: it takes a unique-local address derived from the UID, and
 * writes no IPv6 rules (enough to model what matters for Private Link: the frontend exists).
 */
export function ipv6Frontend(lbId: string, name: string, uid: string, subnetId: string): Frontend {
  const hex = uid.replaceAll("-", "");
  return {
    id: `${lbId}/frontendIPConfigurations/${name}`,
    name,
    properties: {
      privateIPAllocationMethod: "Dynamic",
      privateIPAddress: `fd00::${hex.slice(0, 4)}:${hex.slice(4, 8)}`,
      privateIPAddressVersion: "IPv6",
      subnet: { id: subnetId },
    },
  };
}

/**
 * The backend pool: NIC-based by default; with the cluster's backendPoolType NodeIP (AKS
 * networkProfile.loadBalancerProfile.backendPoolType; cloud-config loadBalancerBackendPoolConfigurationType
 * nodeIP) it lists the nodes' IP addresses, which makes it an IP-based load balancer
 * (learn.microsoft.com/azure/load-balancer/backend-pool-management, "Configure backend pool by IP address").
 */
export function backendPool(ctx: PlsContext): SubResource {
  const cfg = ctx.cluster.cloudConfig;
  const name = cfg.loadBalancerName || cfg.clusterName;
  if (ctx.cluster.loadBalancerBackendPoolType !== "NodeIP") return { name };
  const vnet = {
    id: subnetId(
      ctx.cluster.subscriptionId,
      enc(cfg.vnetResourceGroup || cfg.resourceGroup),
      enc(cfg.vnetName),
      "",
    ).replace(/\/subnets\/$/, ""),
  };
  return {
    name,
    properties: {
      virtualNetwork: vnet,
      loadBalancerBackendAddresses: ctx.cluster.nodes.map((n) => ({
        name: n.name,
        properties: { ipAddress: n.internalIp, virtualNetwork: vnet },
      })),
    },
  };
}
