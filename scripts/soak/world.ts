/**
 * The soak's world: the default sandbox world (provider tenant, cluster, CI identity) plus 50
 * partners — each its own identity, subscription, resource group and VNet — spread over 5 tenants.
 */
import { defaultWorld, type WorldSpec } from "../../src/sandbox/world.js";

export const SERVICE_COUNT = 20;
export const PARTNER_COUNT = 50;
const PARTNER_TENANTS = 5;

const two = (n: number): string => String(n).padStart(2, "0");
const guid = (kind: number, n: number): string =>
  `5a0c${two(kind)}00-0000-4000-8000-${String(n).padStart(12, "0")}`;

export interface Partner {
  /** 1..50 */
  index: number;
  identity: string;
  subscriptionId: string;
  resourceGroup: string;
  vnet: string;
  subnet: string;
  dnsZone: string;
}

export function partner(index: number): Partner {
  return {
    index,
    identity: `partner-${two(index)}`,
    subscriptionId: guid(2, index),
    resourceGroup: `rg-p${two(index)}`,
    vnet: `vnet-p${two(index)}`,
    subnet: "pe-subnet",
    dnsZone: `p${two(index)}.internal`,
  };
}

export const partners = (): Partner[] => Array.from({ length: PARTNER_COUNT }, (_, i) => partner(i + 1));
export const services = (): string[] => Array.from({ length: SERVICE_COUNT }, (_, i) => `svc-${two(i + 1)}`);
export const plsName = (service: string): string => `pls-${service}`;
export const endpointName = (service: string): string => `pe-${service}`;

export function soakWorld(): WorldSpec {
  const world = defaultWorld();
  for (let t = 1; t <= PARTNER_TENANTS; t++) {
    world.tenants.push({
      id: guid(1, t),
      displayName: `Soak partner tenant ${t}`,
      defaultDomain: `soak-partner-${t}.onmicrosoft.com`,
    });
  }
  for (const p of partners()) {
    const tenantId = guid(1, ((p.index - 1) % PARTNER_TENANTS) + 1);
    world.subscriptions.push({ id: p.subscriptionId, tenantId, displayName: `soak-${p.identity}` });
    world.identities.push({
      name: p.identity,
      displayName: `Soak ${p.identity} network admin`,
      tenantId,
      objectId: guid(3, p.index),
      clientId: guid(4, p.index),
      defaultSubscriptionId: p.subscriptionId,
      roleAssignments: [{ role: "Contributor", scope: `/subscriptions/${p.subscriptionId}` }],
    });
    world.resourceGroups.push({
      subscriptionId: p.subscriptionId,
      name: p.resourceGroup,
      location: "westeurope",
    });
    world.virtualNetworks.push({
      subscriptionId: p.subscriptionId,
      resourceGroup: p.resourceGroup,
      name: p.vnet,
      location: "westeurope",
      addressPrefixes: [`10.${p.index}.0.0/16`],
      subnets: [{ name: p.subnet, addressPrefix: `10.${p.index}.0.0/24` }],
    });
  }
  return world;
}
