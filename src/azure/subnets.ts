/**
 * Subnets of the cluster's virtual network and the private addresses taken in them, read through
 * ARM before `expose` writes anything. A subnet lists the ids of the IP configurations in it
 * (load balancer frontends, PLS NAT configurations, NICs); their addresses come from one read of
 * each parent resource.
 */
import { parseResourceId } from "../domain/resource-id.js";
import { ANY_PARENT, all, type CallOptions, call } from "./call.js";
import type { ArmClients, Azure } from "./handle.js";

export interface SubnetView {
  id: string;
  name: string;
  prefixes: string[];
  ipConfigurationIds: string[];
  /** `privateLinkServiceNetworkPolicies` ("Enabled" blocks a PLS unless the controller can disable it). */
  plsNetworkPolicies?: string | undefined;
  /** What is attached to the subnet: a write of it needs `join/action` on each. */
  nsgId?: string | undefined;
  routeTableId?: string | undefined;
  natGatewayId?: string | undefined;
}

/** `/subscriptions/…/virtualNetworks/<vnet>` of a subnet id. */
export const vnetOfSubnet = (subnetId: string): string => subnetId.replace(/\/subnets\/[^/]+$/i, "");

/** Every subnet of a virtual network; undefined when the VNet does not exist. */
export async function listSubnets(azure: Azure, vnetId: string): Promise<SubnetView[] | undefined> {
  const id = parseResourceId(vnetId);
  if (!id) return undefined;
  return call(
    azure,
    `list the subnets of virtual network ${id.name}`,
    (arm, o) =>
      all(arm.network(id.subscriptionId).subnets.list(id.resourceGroup, id.name, o), (s) => ({
        id: s.id ?? "",
        name: s.name ?? "",
        prefixes: s.addressPrefix ? [s.addressPrefix] : (s.addressPrefixes ?? []),
        ipConfigurationIds: (s.ipConfigurations ?? []).map((c) => c.id ?? "").filter(Boolean),
        plsNetworkPolicies: s.privateLinkServiceNetworkPolicies,
        nsgId: s.networkSecurityGroup?.id,
        routeTableId: s.routeTable?.id,
        natGatewayId: s.natGateway?.id,
      })),
    {
      action: "Microsoft.Network/virtualNetworks/subnets/read",
      scope: vnetId,
      missing: { value: () => undefined, allow: ANY_PARENT },
    },
  );
}

/** Virtual networks in a resource group (an AKS-managed VNet lives in the node resource group). */
export async function listVnetIds(
  azure: Azure,
  subscriptionId: string,
  resourceGroup: string,
): Promise<string[]> {
  return call(
    azure,
    `list virtual networks in resource group ${resourceGroup}`,
    (arm, o) =>
      all(arm.network(subscriptionId).virtualNetworks.list(resourceGroup, o), (v) => v.id || undefined),
    { missing: { value: () => [], allow: ANY_PARENT } },
  );
}

const PARENT =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/(loadBalancers|privateLinkServices|networkInterfaces)\/[^/]+)(\/|$)/i;

interface IpConfig {
  privateIPAddress?: string | undefined;
  subnet?: { id?: string | undefined } | undefined;
}

async function configsOf(
  arm: ArmClients,
  o: CallOptions,
  parentId: string,
  kind: string,
): Promise<IpConfig[]> {
  const id = parseResourceId(parentId);
  if (!id) return [];
  const net = arm.network(id.subscriptionId);
  switch (kind.toLowerCase()) {
    case "loadbalancers":
      return (await net.loadBalancers.get(id.resourceGroup, id.name, o)).frontendIPConfigurations ?? [];
    case "privatelinkservices":
      return (await net.privateLinkServices.get(id.resourceGroup, id.name, o)).ipConfigurations ?? [];
    default:
      return (await net.networkInterfaces.get(id.resourceGroup, id.name, o)).ipConfigurations ?? [];
  }
}

const LABEL: Record<string, string> = {
  loadbalancers: "load balancer",
  privatelinkservices: "Private Link Service",
  networkinterfaces: "network interface",
};

/**
 * The private addresses taken in `subnet`, each with what holds it ("Private Link Service pls-x").
 * Resources in `except` (this Service's own PLS) are left out; kinds plsctl cannot read (VM scale
 * set NICs) are skipped — the caller adds the nodes' addresses from Kubernetes.
 */
export async function addressesInUse(
  azure: Azure,
  subnet: SubnetView,
  except: readonly string[],
): Promise<Map<string, string>> {
  const parents = new Map<string, string>();
  for (const cfg of subnet.ipConfigurationIds) {
    const m = PARENT.exec(cfg);
    if (!m?.[1] || !m[2]) continue;
    if (except.some((e) => e.toLowerCase() === m[1]?.toLowerCase())) continue;
    parents.set(m[1].toLowerCase(), `${m[2]}\n${m[1]}`);
  }
  const used = new Map<string, string>();
  for (const entry of parents.values()) {
    const [kind = "", parentId = ""] = entry.split("\n");
    const configs = await call(azure, `read ${parentId}`, (arm, o) => configsOf(arm, o, parentId, kind), {
      missing: { value: () => [], allow: ANY_PARENT },
    });
    const label = `${LABEL[kind.toLowerCase()] ?? kind} ${parseResourceId(parentId)?.name ?? parentId}`;
    for (const c of configs) {
      if (c.privateIPAddress && c.subnet?.id?.toLowerCase() === subnet.id.toLowerCase()) {
        used.set(c.privateIPAddress, label);
      }
    }
  }
  return used;
}
