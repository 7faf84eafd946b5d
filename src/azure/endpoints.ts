/**
 * The partner's private endpoints: read one (with its NIC's private IP), create one (a long-running
 * PUT, manual or automatic connection), delete one (long-running; the NIC goes with it), and the
 * two questions Azure answers before any write — is a PLS alias visible to this subscription
 * (checkPrivateLinkServiceVisibility), and which PLSs of a region approve it automatically
 * (autoApprovedPrivateLinkServices). Also the subnet and VNet the endpoint takes its IP from.
 */
import type { PrivateEndpoint } from "@azure/arm-network";
import type { EndpointSpec } from "../domain/connect-plan.js";
import { parseResourceId, privateEndpointId } from "../domain/resource-id.js";
import { ANY_PARENT, all, call } from "./call.js";
import type { Azure } from "./handle.js";

export interface EndpointAt {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/** A private endpoint as plsctl reads it (`readEndpoint`), for connect, disconnect and verify. */
export interface EndpointView {
  id: string;
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  location: string;
  /** What it connects to: a PLS alias or id, or a PaaS resource id, as it was created. */
  target: string;
  groupIds: string[];
  /** A manual connection (waits for the provider) rather than an automatic one. */
  manual: boolean;
  /** Pending, Approved, Rejected, Disconnected; "Unknown" when ARM says nothing. */
  state: string;
  description: string | null;
  requestMessage: string | null;
  privateIp: string | null;
  subnetId: string;
  nicId: string | null;
  provisioningState: string;
  tags: Record<string, string>;
}

const PE_WRITE = "Microsoft.Network/privateEndpoints/write";

async function nicIp(azure: Azure, nicId: string | undefined): Promise<string | null> {
  const id = nicId ? parseResourceId(nicId) : undefined;
  if (!id) return null;
  return call(
    azure,
    `read network interface ${id.name} of a private endpoint`,
    async (arm, o) => {
      const nic = await arm.network(id.subscriptionId).networkInterfaces.get(id.resourceGroup, id.name, o);
      return nic.ipConfigurations?.find((c) => c.privateIPAddress)?.privateIPAddress ?? null;
    },
    {
      action: "Microsoft.Network/networkInterfaces/read",
      scope: nicId ?? "",
      missing: { value: () => null, allow: ANY_PARENT },
    },
  );
}

async function toView(azure: Azure, at: EndpointAt, pe: PrivateEndpoint): Promise<EndpointView> {
  const manual = (pe.manualPrivateLinkServiceConnections ?? []).length > 0;
  const conn = (manual ? pe.manualPrivateLinkServiceConnections : pe.privateLinkServiceConnections)?.[0];
  const st = conn?.privateLinkServiceConnectionState;
  const nicId = pe.networkInterfaces?.[0]?.id;
  return {
    id: pe.id ?? privateEndpointId(at),
    name: pe.name ?? at.name,
    resourceGroup: at.resourceGroup,
    subscriptionId: at.subscriptionId,
    location: pe.location ?? "",
    target: conn?.privateLinkServiceId ?? "",
    groupIds: conn?.groupIds ?? [],
    manual,
    state: st?.status ?? "Unknown",
    description: st?.description ?? null,
    requestMessage: conn?.requestMessage ?? null,
    privateIp: await nicIp(azure, nicId),
    subnetId: pe.subnet?.id ?? "",
    nicId: nicId ?? null,
    provisioningState: pe.provisioningState ?? "Unknown",
    tags: pe.tags ?? {},
  };
}

/** The endpoint and its NIC's private IP; undefined when it does not exist. */
export async function readEndpoint(azure: Azure, at: EndpointAt): Promise<EndpointView | undefined> {
  const pe = await call(
    azure,
    `read private endpoint ${at.name} in resource group ${at.resourceGroup}`,
    (arm, o): Promise<PrivateEndpoint | undefined> =>
      arm.network(at.subscriptionId).privateEndpoints.get(at.resourceGroup, at.name, o),
    {
      action: "Microsoft.Network/privateEndpoints/read",
      scope: `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}`,
      // No endpoint of that name: undefined. Unlike the other reads (which allow ResourceGroupNotFound),
      // a resource group that does not exist is an error here: it is the partner's own --resource-group,
      // and a typo there is theirs to fix, not "nothing there" (ARM's 404 ResourceGroupNotFound).
      missing: { value: () => undefined },
    },
  );
  return pe && toView(azure, at, pe);
}

/** The endpoint to create: where, to what, manual or automatic (the flow's plan says). */
export type CreateEndpoint = EndpointSpec;

/** ARM's code when the PLS of a new endpoint does not exist or is not visible to its subscription (the PlsctlError's `code`). */
export const NOT_VISIBLE_CODE =
  "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible";

/** Creates the endpoint (long-running PUT) and reads it back with its IP. */
export async function createEndpoint(azure: Azure, e: CreateEndpoint): Promise<EndpointView> {
  const connection = {
    name: e.name,
    privateLinkServiceId: e.target,
    ...(e.groupIds.length > 0 ? { groupIds: e.groupIds } : {}),
    ...(e.manual && e.requestMessage !== undefined ? { requestMessage: e.requestMessage } : {}),
  };
  const pe = await call(
    azure,
    `create private endpoint ${e.name} in resource group ${e.resourceGroup}`,
    (arm, o) =>
      arm.network(e.subscriptionId).privateEndpoints.createOrUpdate(
        e.resourceGroup,
        e.name,
        {
          location: e.location,
          ...(e.tags && Object.keys(e.tags).length > 0 ? { tags: e.tags } : {}),
          subnet: { id: e.subnetId },
          ...(e.manual
            ? { manualPrivateLinkServiceConnections: [connection] }
            : { privateLinkServiceConnections: [connection] }),
        },
        o,
      ),
    {
      action: PE_WRITE,
      scope: `/subscriptions/${e.subscriptionId}/resourceGroups/${e.resourceGroup}`,
      lro: true,
    },
  );
  return toView(azure, e, pe);
}

/** Deletes the endpoint (long-running); false when it was already gone. */
export async function deleteEndpoint(azure: Azure, at: EndpointAt): Promise<boolean> {
  return call(
    azure,
    `delete private endpoint ${at.name} in resource group ${at.resourceGroup}`,
    async (arm, o) => {
      await arm.network(at.subscriptionId).privateEndpoints.delete(at.resourceGroup, at.name, o);
      return true;
    },
    {
      action: "Microsoft.Network/privateEndpoints/delete",
      scope: `/subscriptions/${at.subscriptionId}/resourceGroups/${at.resourceGroup}`,
      lro: true,
      missing: { value: () => false, allow: ANY_PARENT },
    },
  );
}

/** Whether a PLS alias is visible to `subscriptionId` (Azure answers false too when it does not exist). */
export async function isAliasVisible(
  azure: Azure,
  subscriptionId: string,
  location: string,
  alias: string,
): Promise<boolean> {
  return call(
    azure,
    `check whether ${alias} is visible to subscription ${subscriptionId}`,
    async (arm, o) => {
      const r = await arm
        .network(subscriptionId)
        .privateLinkServices.checkPrivateLinkServiceVisibility(
          location,
          { privateLinkServiceAlias: alias },
          o,
        );
      return r.visible === true;
    },
    {
      action: "Microsoft.Network/locations/checkPrivateLinkServiceVisibility/action",
      scope: `/subscriptions/${subscriptionId}`,
      lro: true,
    },
  );
}

/** Ids of the PLSs in `location` that approve endpoints of `subscriptionId` automatically. */
export async function autoApprovedPlsIds(
  azure: Azure,
  subscriptionId: string,
  location: string,
): Promise<string[]> {
  return call(
    azure,
    `list the Private Link Services that auto-approve subscription ${subscriptionId}`,
    (arm, o) =>
      all(
        arm.network(subscriptionId).privateLinkServices.listAutoApprovedPrivateLinkServices(location, o),
        (a) => a.privateLinkService || undefined,
      ),
    {
      action: "Microsoft.Network/locations/autoApprovedPrivateLinkServices/read",
      scope: `/subscriptions/${subscriptionId}`,
    },
  );
}

export interface SubnetLookup {
  /** The VNet, when it exists: its id, name and region. */
  vnet?: { id: string; name: string; location: string; subnetNames: string[] };
  /** The subnet's id as ARM spells it, when it exists. */
  subnetId?: string;
}

/** The VNet of a subnet id (with its region and subnets) and whether the subnet is one of them. */
export async function lookupSubnet(azure: Azure, subnetId: string): Promise<SubnetLookup> {
  const id = parseResourceId(subnetId);
  const [vnetName = "", , subnetName = ""] = (id?.path ?? []).slice(1);
  if (!id) return {};
  return call(
    azure,
    `read virtual network ${vnetName} in resource group ${id.resourceGroup}`,
    async (arm, o): Promise<SubnetLookup> => {
      const v = await arm.network(id.subscriptionId).virtualNetworks.get(id.resourceGroup, vnetName, o);
      const subnets = v.subnets ?? [];
      const found = subnets.find((s) => s.name?.toLowerCase() === subnetName.toLowerCase());
      return {
        vnet: {
          id: v.id ?? "",
          name: v.name ?? vnetName,
          location: v.location ?? "",
          subnetNames: subnets.map((s) => s.name ?? "").filter(Boolean),
        },
        ...(found?.id ? { subnetId: found.id } : {}),
      };
    },
    {
      action: "Microsoft.Network/virtualNetworks/read",
      scope: `/subscriptions/${id.subscriptionId}/resourceGroups/${id.resourceGroup}`,
      missing: { value: () => ({}), allow: ["ResourceGroupNotFound"] },
    },
  );
}
