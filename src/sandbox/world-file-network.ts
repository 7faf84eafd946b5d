/**
 * The network parts of a sandbox world file: virtual networks and their subnets, managed clusters
 * (resource groups, identities, cloud config, nodes) and the PaaS resources. Split from world-file.ts.
 */
import { cidrContains, ipToInt, parseCidr } from "./arm/ipam.js";
import type { Checker } from "./world-file-check.js";
import { isRec, type Rec } from "./world-file-landing-zone.js";

/** Subnet "sub/rg/vnet/subnet" (lower case) → its prefix, and every VNet's id (lower case). */
export function virtualNetworkProblems(v: Checker, rgs: Set<string>) {
  const subnets = new Map<string, string>();
  const vnetIds = new Set<string>();
  v.list("virtualNetworks").forEach((vn, i) => {
    const w = `virtualNetworks[${i}]`;
    const sub = v.str(vn, "subscriptionId", w);
    const rg = v.str(vn, "resourceGroup", w);
    if (sub && rg && !rgs.has(`${sub}/${rg}`.toLowerCase()))
      v.bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
    const name = v.str(vn, "name", w);
    vnetIds.add(
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`.toLowerCase(),
    );
    v.str(vn, "location", w);
    const prefixes = Array.isArray(vn.addressPrefixes) ? vn.addressPrefixes.map(String) : [];
    if (prefixes.length === 0)
      v.bad(`${w}.addressPrefixes`, "must list at least one CIDR such as 10.0.0.0/16");
    prefixes.forEach((p, j) => {
      if (!parseCidr(p)) v.bad(`${w}.addressPrefixes[${j}]`, `"${p}" is not a CIDR`);
    });
    if (!Array.isArray(vn.subnets)) {
      v.bad(`${w}.subnets`, "must be a list");
      return;
    }
    vn.subnets.forEach((s: unknown, j: number) => {
      const ap = subnetProblems(v, s, `${w}.subnets[${j}]`, prefixes);
      if (ap !== undefined) subnets.set(`${sub}/${rg}/${name}/${ap.name}`.toLowerCase(), ap.prefix);
    });
  });
  return { subnets, vnetIds };
}

function subnetProblems(v: Checker, s: unknown, sw: string, prefixes: string[]) {
  if (!isRec(s)) {
    v.bad(sw, "must be a mapping");
    return undefined;
  }
  const name = v.str(s, "name", sw);
  const prefix = v.str(s, "addressPrefix", sw);
  if (prefix && !parseCidr(prefix)) v.bad(`${sw}.addressPrefix`, `"${prefix}" is not a CIDR`);
  else if (prefix && !prefixes.some((p) => parseCidr(p) && cidrContains(p, prefix))) {
    v.bad(`${sw}.addressPrefix`, `"${prefix}" is not inside the VNet's addressPrefixes`);
  }
  for (const k of ["privateLinkServiceNetworkPolicies", "privateEndpointNetworkPolicies"]) {
    if (s[k] !== undefined && s[k] !== "Enabled" && s[k] !== "Disabled")
      v.bad(`${sw}.${k}`, 'must be "Enabled" or "Disabled"');
  }
  return { name, prefix };
}

function clusterIdentityProblems(v: Checker, m: Rec, w: string, names: Set<string>): void {
  const ctl = v.str(m, "controllerIdentity", w);
  if (ctl && !names.has(ctl)) v.bad(`${w}.controllerIdentity`, `"${ctl}" is not the name of any identity`);
  if (m.kubeletIdentity === undefined) return;
  const kubelet = v.str(m, "kubeletIdentity", w);
  if (kubelet && !names.has(kubelet))
    v.bad(`${w}.kubeletIdentity`, `"${kubelet}" is not the name of any identity`);
  else if (kubelet && kubelet === ctl)
    v.bad(
      `${w}.kubeletIdentity`,
      "must be another identity than controllerIdentity (AKS gives them distinct principals)",
    );
}

/** The cloud config's fields; returns the cluster subnet's prefix (undefined when it is not in the world). */
function cloudConfigProblems(v: Checker, m: Rec, w: string, sub: string, subnets: Map<string, string>) {
  if (!isRec(m.cloudConfig)) v.bad(`${w}.cloudConfig`, "is required");
  const cc: Rec = isRec(m.cloudConfig) ? m.cloudConfig : {};
  for (const k of ["clusterName", "resourceGroup", "location", "vnetName", "vnetResourceGroup", "subnetName"])
    v.str(cc, k, `${w}.cloudConfig`);
  const prefix = subnets.get(`${sub}/${cc.vnetResourceGroup}/${cc.vnetName}/${cc.subnetName}`.toLowerCase());
  if (cc.subnetName && prefix === undefined)
    v.bad(
      `${w}.cloudConfig`,
      `subnet ${cc.vnetName}/${cc.subnetName} in ${cc.vnetResourceGroup} is not in virtualNetworks`,
    );
  return prefix;
}

function nodeProblems(v: Checker, n: unknown, nw: string, prefix: string | undefined): void {
  if (!isRec(n)) {
    v.bad(nw, "must be a mapping");
    return;
  }
  v.str(n, "name", nw);
  v.str(n, "vmssName", nw);
  if (typeof n.instanceId === "number") n.instanceId = String(n.instanceId);
  v.str(n, "instanceId", nw);
  const ip = v.str(n, "internalIp", nw);
  if (ip && ipToInt(ip) === undefined) v.bad(`${nw}.internalIp`, `"${ip}" is not an IPv4 address`);
  else if (ip && prefix && !cidrContains(prefix, ip))
    v.bad(`${nw}.internalIp`, `"${ip}" is not inside the cluster subnet ${prefix}`);
}

interface Known {
  rgs: Set<string>;
  subnets: Map<string, string>;
  names: Set<string>;
}

/** One managed cluster; `taken`: its name is another cluster's. */
function clusterProblem(v: Checker, m: Rec, w: string, k: Known, taken: boolean) {
  const sub = v.str(m, "subscriptionId", w);
  // Each cluster is a kubeconfig context named after it: names must differ.
  if (taken) v.bad(`${w}.name`, `"${String(m.name)}" is the name of another managed cluster`);
  for (const f of ["resourceGroup", "nodeResourceGroup"]) {
    const rg = v.str(m, f, w);
    if (rg && !k.rgs.has(`${sub}/${rg}`.toLowerCase()))
      v.bad(`${w}.${f}`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
  }
  v.str(m, "name", w);
  v.str(m, "location", w);
  v.str(m, "kubernetesVersion", w);
  if (m.networkDataplane !== undefined && m.networkDataplane !== "azure" && m.networkDataplane !== "cilium")
    v.bad(`${w}.networkDataplane`, 'must be "azure" or "cilium"');
  if (
    m.loadBalancerBackendPoolType !== undefined &&
    m.loadBalancerBackendPoolType !== "NodeIPConfiguration" &&
    m.loadBalancerBackendPoolType !== "NodeIP"
  )
    v.bad(`${w}.loadBalancerBackendPoolType`, 'must be "NodeIPConfiguration" or "NodeIP"');
  clusterIdentityProblems(v, m, w, k.names);
  const prefix = cloudConfigProblems(v, m, w, sub, k.subnets);
  if (!Array.isArray(m.nodes)) {
    v.bad(`${w}.nodes`, "must be a list");
    return;
  }
  m.nodes.forEach((n: unknown, j: number) => {
    nodeProblems(v, n, `${w}.nodes[${j}]`, prefix);
  });
}

export function clusterProblems(v: Checker, k: Known): void {
  const clusterNames = new Set<string>();
  v.list("managedClusters", false).forEach((m, i) => {
    const taken = typeof m.name === "string" && clusterNames.has(m.name.toLowerCase());
    if (typeof m.name === "string") clusterNames.add(m.name.toLowerCase());
    clusterProblem(v, m, `managedClusters[${i}]`, k, taken);
  });
}

export function paasProblems(v: Checker, rgs: Set<string>): void {
  for (const k of ["keyVaults", "sqlServers", "storageAccounts"]) {
    v.list(k, false).forEach((r, i) => {
      const w = `${k}[${i}]`;
      const sub = v.str(r, "subscriptionId", w);
      const rg = v.str(r, "resourceGroup", w);
      if (sub && rg && !rgs.has(`${sub}/${rg}`.toLowerCase()))
        v.bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
      v.str(r, "name", w);
      v.str(r, "location", w);
    });
  }
}
