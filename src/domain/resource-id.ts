/** ARM resource ids, PLS aliases, node provider ids, and the controller's naming of frontends. */

export interface ResourceId {
  subscriptionId: string;
  resourceGroup: string;
  provider: string;
  /** e.g. ["privateLinkServices", "pls"], ["privateLinkServices", "pls", "privateEndpointConnections", "c"] */
  path: string[];
  name: string;
}

export function parseResourceId(id: string): ResourceId | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i.exec(id.trim());
  if (!m) return undefined;
  const path = (m[4] ?? "").split("/").filter(Boolean);
  if (path.length < 2 || path.length % 2 !== 0) return undefined;
  return {
    subscriptionId: m[1] as string,
    resourceGroup: m[2] as string,
    provider: m[3] as string,
    path,
    name: path[path.length - 1] as string,
  };
}

/** Where a resource lives: its subscription, resource group and name. */
export interface ResourceAt {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const rgPrefix = (subscriptionId: string, resourceGroup: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;

/** A private endpoint's resource id. */
export const privateEndpointId = (at: ResourceAt): string =>
  `${rgPrefix(at.subscriptionId, at.resourceGroup)}/providers/Microsoft.Network/privateEndpoints/${at.name}`;

/** A subnet's resource id (`name` is the virtual network's). */
export const subnetResourceId = (vnet: ResourceAt, subnet: string): string =>
  `${rgPrefix(vnet.subscriptionId, vnet.resourceGroup)}/providers/Microsoft.Network/virtualNetworks/${vnet.name}/subnets/${subnet}`;

/** `<name>.<guid>.<region>.azure.privatelinkservice` — what partners connect to. */
export const isPlsAlias = (value: string): boolean => /\.azure\.privatelinkservice$/i.test(value.trim());

/** `azure:///subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Compute/…` as AKS sets it. */
export function parseProviderId(
  providerId: string,
): { subscriptionId: string; resourceGroup: string } | undefined {
  const m = /^azure:\/\/\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(providerId);
  return m ? { subscriptionId: (m[1] as string).toLowerCase(), resourceGroup: m[2] as string } : undefined;
}

/** The requester's subscription, from a private endpoint id. */
export const subscriptionOf = (id: string): string | undefined =>
  /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase();

/**
 * The LB frontend name the controller gives a Service's internal frontend: `a` + UID without dashes
 * cut to 32 characters, plus `-<subnet>` with azure-load-balancer-internal-subnet (cut to 75; a cut
 * ending in a character other than a letter, digit or `_` gets `_`). cloud-provider-azure naming.
 */
export function frontendName(uid: string, internalSubnet?: string): string {
  const base = `a${uid.replace(/-/g, "")}`.slice(0, 32);
  if (!internalSubnet || internalSubnet.trim() === "") return base;
  const full = `${base}-${internalSubnet}`;
  if (full.length <= 75) return full;
  const cut = full.slice(0, 75);
  return /[A-Za-z0-9_]$/.test(cut) ? cut : `${cut.slice(0, 74)}_`;
}

export const defaultPlsName = (uid: string, internalSubnet?: string): string =>
  `pls-${frontendName(uid, internalSubnet)}`;
