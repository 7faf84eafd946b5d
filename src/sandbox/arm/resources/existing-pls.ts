/**
 * The world's pre-existing Private Link Services, each with the internal load balancer it sits on:
 * what another cluster's controller would have made (one frontend, one static NAT IP), rendered in
 * the wire shape the emulator's own PUTs store (learn.microsoft.com/rest/api/virtualnetwork/
 * private-link-services/get, load-balancers/get).
 */
import type { ExistingPlsSpec } from "../../world.js";
import type { Resource } from "../types.js";
import { guid, providerId, rgId, weakEtag } from "../util.js";

const NET = "Microsoft.Network";

export function existingPlsResources(p: ExistingPlsSpec): Resource[] {
  const lb = p.loadBalancer;
  const lbId = providerId(p.subscriptionId, lb.resourceGroup, `${NET}/loadBalancers`, lb.name);
  const frontendId = `${lbId}/frontendIPConfigurations/${lb.frontendName}`;
  const subnetId = `${providerId(p.subscriptionId, p.subnet.resourceGroup, `${NET}/virtualNetworks`, p.subnet.vnetName)}/subnets/${p.subnet.name}`;
  const plsId = providerId(p.subscriptionId, p.resourceGroup, `${NET}/privateLinkServices`, p.name);
  const etag = weakEtag();
  const loadBalancer: Resource = {
    id: lbId,
    name: lb.name,
    type: `${NET}/loadBalancers`,
    location: p.location,
    etag,
    sku: { name: "Standard", tier: "Regional" },
    properties: {
      provisioningState: "Succeeded",
      frontendIPConfigurations: [
        {
          id: frontendId,
          name: lb.frontendName,
          etag,
          type: `${NET}/loadBalancers/frontendIPConfigurations`,
          properties: {
            provisioningState: "Succeeded",
            privateIPAddress: lb.privateIp,
            privateIPAllocationMethod: "Static",
            privateIPAddressVersion: "IPv4",
            subnet: { id: subnetId },
          },
        },
      ],
      backendAddressPools: [],
      loadBalancingRules: [],
      probes: [],
    },
  };
  const ipcName = `${p.subnet.name}-${p.name}-static-${p.natIp}`;
  const pls: Resource = {
    id: plsId,
    name: p.name,
    type: `${NET}/privateLinkServices`,
    location: p.location,
    etag,
    ...(p.tags ? { tags: { ...p.tags } } : {}),
    properties: {
      provisioningState: "Succeeded",
      fqdns: [],
      alias: `${p.name.toLowerCase()}.${guid()}.${p.location}.azure.privatelinkservice`,
      visibility: { subscriptions: [...(p.visibility ?? [])] },
      autoApproval: { subscriptions: [] },
      enableProxyProtocol: false,
      loadBalancerFrontendIpConfigurations: [{ id: frontendId }],
      ipConfigurations: [
        {
          name: ipcName,
          id: `${plsId}/ipConfigurations/${ipcName}`,
          etag,
          type: `${NET}/privateLinkServices/ipConfigurations`,
          properties: {
            provisioningState: "Succeeded",
            privateIPAllocationMethod: "Static",
            privateIPAddress: p.natIp,
            privateIPAddressVersion: "IPv4",
            primary: true,
            subnet: { id: subnetId },
          },
        },
      ],
      privateEndpointConnections: [],
      networkInterfaces: [
        {
          id: `${rgId(p.subscriptionId, p.resourceGroup)}/providers/${NET}/networkInterfaces/${p.name}.nic.${guid()}`,
        },
      ],
    },
  };
  return [loadBalancer, pls];
}
