/**
 * Names and ids the AKS cloud controller derives, as kubernetes-sigs/cloud-provider-azure does:
 * pkg/provider/azure_loadbalancer.go (getAzureLoadBalancerName, getDefaultFrontendIPConfigName),
 * azure_standard.go (getLoadBalancerRuleName) and azure_privatelinkservice.go
 * (getPrivateLinkServiceName, reconcilePLSIpConfigs).
 */
import { ControllerError, MSG } from "./messages.js";

export const FRONTEND_NAME_MAX = 80;
const IP_FAMILY_SUFFIX_LENGTH = 5;
export const INTERNAL_LB_SUFFIX = "-internal";

export interface CloudConfigLike {
  clusterName: string;
  loadBalancerName?: string;
}

/** `<loadBalancerName or clusterName>` for external, `+ "-internal"` for internal Services. */
export function loadBalancerName(cfg: CloudConfigLike, internal: boolean): string {
  const base = cfg.loadBalancerName || cfg.clusterName;
  return internal ? `${base}${INTERNAL_LB_SUFFIX}` : base;
}

/** `cloudprovider.DefaultLoadBalancerName`: "a" + UID without dashes, cut to 32 characters. */
export function defaultLoadBalancerName(uid: string): string {
  return `a${uid.replaceAll("-", "")}`.slice(0, 32);
}

function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

/**
 * Frontend IP configuration name: the base name, or `<base>-<internal subnet>` cut to 75 chars; a cut
 * that ends in a non-letter other than `_` gets its last char replaced by `_` (cloud-provider-azure
 * pkg/provider/azure_loadbalancer.go, func getDefaultFrontendIPConfigName).
 */
export function frontendName(uid: string, internalSubnet?: string): string {
  const base = defaultLoadBalancerName(uid);
  if (internalSubnet === undefined) return base;
  let name = `${base}-${internalSubnet}`;
  const max = FRONTEND_NAME_MAX - IP_FAMILY_SUFFIX_LENGTH;
  if (name.length > max) {
    name = name.slice(0, max);
    const last = name.slice(-1);
    if (!isLetter(last) && last !== "_") name = `${name.slice(0, -1)}_`;
  }
  return name;
}

/**
 * Default PLS name: `pls-<frontend name>` (cloud-provider-azure
 * pkg/provider/azure_privatelinkservice.go, func getPrivateLinkServiceName).
 */
export function defaultPlsName(frontend: string): string {
  return `pls-${frontend}`;
}

/** PLS ipConfiguration name: `<subnet>-<plsName>` cut so that prefix + suffix fits in 80. */
export function plsIpConfigName(subnetName: string, plsName: string, suffix: string): string {
  const maxPrefix = FRONTEND_NAME_MAX - suffix.length;
  if (maxPrefix <= 0) throw new ControllerError(MSG.ipConfigSuffixTooLong(suffix));
  let prefix = `${subnetName}-${plsName}`;
  if (prefix.length > maxPrefix) prefix = prefix.slice(0, maxPrefix);
  return prefix + suffix;
}

/** Load-balancing rule (and probe) name: `<base>[-<subnet>]-<PROTOCOL>-<port>`, at most 80 chars. */
export function lbRuleName(uid: string, protocol: string, port: number, internalSubnet?: string): string {
  const base = defaultLoadBalancerName(uid);
  const suffix = `-${protocol}-${port}`;
  if (internalSubnet === undefined) return `${base}${suffix}`;
  const prefix = `${base}-${internalSubnet}`.slice(0, FRONTEND_NAME_MAX - suffix.length);
  return `${prefix}${suffix}`;
}

const NET = "providers/Microsoft.Network";

export function rgId(sub: string, rg: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}`;
}

export function subnetId(sub: string, rg: string, vnet: string, subnet: string): string {
  return `${rgId(sub, rg)}/${NET}/virtualNetworks/${vnet}/subnets/${subnet}`;
}

export function lbId(sub: string, rg: string, lb: string): string {
  return `${rgId(sub, rg)}/${NET}/loadBalancers/${lb}`;
}

export function plsCollectionPath(sub: string, rg: string): string {
  return `${rgId(sub, rg)}/${NET}/privateLinkServices`;
}

export function plsPath(sub: string, rg: string, name: string): string {
  return `${plsCollectionPath(sub, rg)}/${name}`;
}

export function publicIpPath(sub: string, rg: string, name: string): string {
  return `${rgId(sub, rg)}/${NET}/publicIPAddresses/${name}`;
}
