/**
 * Loading a sandbox world from a YAML or JSON file (same shape as `WorldSpec`), with validation
 * that names every problem by its path in the file, so a user can fix the file in one go.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { cidrContains, ipToInt, parseCidr } from "./arm/ipam.js";
import { BUILTIN_ROLES } from "./arm/rbac.js";
import { settingsProblems } from "./arm/settings.js";
import type { WorldSpec } from "./world.js";
import {
  dnsZoneProblems,
  existingPlsProblems,
  isRec,
  landingZoneProblems,
  MG_SCOPE,
  managementGroupNames,
  type Rec,
} from "./world-file-landing-zone.js";

export class WorldFileError extends Error {
  /** What to do: printed once, after the problems. */
  readonly hint =
    "Fix the file (examples/world.yaml is a complete example: the default world) and try again.";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid sandbox world in ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function loadWorldFile(path: string): WorldSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new WorldFileError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (e) {
    throw new WorldFileError(path, [`not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`]);
  }
  return validateWorld(doc, path);
}

/** Checks a parsed world document; throws WorldFileError listing every problem. */
export function validateWorld(doc: unknown, source = "world"): WorldSpec {
  const problems: string[] = [];
  const bad = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  if (!isRec(doc))
    throw new WorldFileError(source, [
      "the document must be a mapping with tenants, subscriptions, identities, …",
    ]);
  const list = (k: string, required = true): Rec[] => {
    const v = doc[k];
    if (v === undefined && !required) return [];
    if (!Array.isArray(v)) {
      bad(k, "must be a list");
      return [];
    }
    return v.map((x, i) => {
      if (!isRec(x)) bad(`${k}[${i}]`, "must be a mapping");
      return isRec(x) ? x : {};
    });
  };
  const str = (o: Rec, k: string, where: string, re?: RegExp, hint?: string): string => {
    const v = o[k];
    if (typeof v !== "string" || v === "") {
      bad(`${where}.${k}`, "is required (a non-empty string)");
      return "";
    }
    if (re && !re.test(v)) bad(`${where}.${k}`, `"${v}" is not ${hint ?? "valid"}`);
    return v;
  };
  const tenants = list("tenants");
  const tenantIds = new Set<string>();
  tenants.forEach((t, i) => {
    const id = str(t, "id", `tenants[${i}]`, GUID, "a GUID");
    if (tenantIds.has(id)) bad(`tenants[${i}].id`, `duplicate tenant id ${id}`);
    tenantIds.add(id);
    str(t, "displayName", `tenants[${i}]`);
    str(t, "defaultDomain", `tenants[${i}]`);
  });
  const subs = new Map<string, string>();
  list("subscriptions").forEach((s, i) => {
    const w = `subscriptions[${i}]`;
    const id = str(s, "id", w, GUID, "a GUID");
    const tid = str(s, "tenantId", w);
    if (tid && !tenantIds.has(tid)) bad(`${w}.tenantId`, `"${tid}" is not the id of any entry in tenants`);
    if (subs.has(id.toLowerCase())) bad(`${w}.id`, `duplicate subscription id ${id}`);
    subs.set(id.toLowerCase(), tid);
    str(s, "displayName", w);
  });
  const roleNames = new Set(BUILTIN_ROLES.map((r) => r.name.toLowerCase()));
  list("roles", false).forEach((r, i) => {
    const name = str(r, "name", `roles[${i}]`);
    roleNames.add(name.toLowerCase());
    if (!Array.isArray(r.actions) || !r.actions.every((a) => typeof a === "string")) {
      bad(`roles[${i}].actions`, "must be a list of action patterns such as Microsoft.Network/*/read");
    }
    if (r.id !== undefined && (typeof r.id !== "string" || !GUID_RE.test(r.id)))
      bad(`roles[${i}].id`, "must be a GUID (the role definition's name in ARM)");
  });
  const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const subOfScope = (scope: string) => /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase();
  const groups = managementGroupNames(doc);
  const names = new Set<string>();
  list("identities").forEach((d, i) => {
    const w = `identities[${i}]`;
    const name = str(d, "name", w, /^[a-z0-9][a-z0-9-]*$/, "a lower-case name (letters, digits, '-')");
    if (names.has(name)) bad(`${w}.name`, `duplicate identity name ${name}`);
    names.add(name);
    str(d, "displayName", w);
    const tid = str(d, "tenantId", w);
    if (tid && !tenantIds.has(tid)) bad(`${w}.tenantId`, `"${tid}" is not the id of any entry in tenants`);
    str(d, "objectId", w, GUID, "a GUID");
    str(d, "clientId", w, GUID, "a GUID");
    const def = str(d, "defaultSubscriptionId", w);
    if (def && subs.get(def.toLowerCase()) !== tid) {
      bad(`${w}.defaultSubscriptionId`, `"${def}" is not a subscription of the identity's tenant ${tid}`);
    }
    if (!Array.isArray(d.roleAssignments)) bad(`${w}.roleAssignments`, "must be a list (may be empty)");
    else
      d.roleAssignments.forEach((ra: unknown, j: number) => {
        const rw = `${w}.roleAssignments[${j}]`;
        if (!isRec(ra)) {
          bad(rw, "must be a mapping with role and scope");
          return;
        }
        const role = str(ra, "role", rw);
        if (role && !roleNames.has(role.toLowerCase())) {
          bad(
            `${rw}.role`,
            `"${role}" is neither a built-in role (Owner, Contributor, Reader, Network Contributor, Private DNS Zone Contributor) nor defined in roles`,
          );
        }
        const scope = str(ra, "scope", rw);
        const sub = subOfScope(scope);
        const group = MG_SCOPE.exec(scope)?.[1];
        if (group !== undefined) {
          if (!groups.has(group.toLowerCase()))
            bad(`${rw}.scope`, `"${scope}" names no management group of managementGroups`);
        } else if (scope && (!sub || !subs.has(sub)))
          bad(`${rw}.scope`, `"${scope}" must start with /subscriptions/<one of the subscriptions>`);
        else if (scope && subs.get(sub ?? "") !== tid)
          bad(`${rw}.scope`, `"${scope}" is in another tenant than the identity`);
      });
  });
  const rgs = new Set<string>();
  list("resourceGroups").forEach((g, i) => {
    const w = `resourceGroups[${i}]`;
    const sub = str(g, "subscriptionId", w);
    if (sub && !subs.has(sub.toLowerCase()))
      bad(`${w}.subscriptionId`, `"${sub}" is not one of the subscriptions`);
    const name = str(g, "name", w, /^[-\w._()]{1,90}$/, "a valid resource group name");
    rgs.add(`${sub}/${name}`.toLowerCase());
    str(g, "location", w);
  });
  const subnets = new Map<string, string>();
  const vnetIds = new Set<string>();
  list("virtualNetworks").forEach((v, i) => {
    const w = `virtualNetworks[${i}]`;
    const sub = str(v, "subscriptionId", w);
    const rg = str(v, "resourceGroup", w);
    if (sub && rg && !rgs.has(`${sub}/${rg}`.toLowerCase()))
      bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
    const name = str(v, "name", w);
    vnetIds.add(
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`.toLowerCase(),
    );
    str(v, "location", w);
    const prefixes = Array.isArray(v.addressPrefixes) ? v.addressPrefixes.map(String) : [];
    if (prefixes.length === 0) bad(`${w}.addressPrefixes`, "must list at least one CIDR such as 10.0.0.0/16");
    prefixes.forEach((p, j) => {
      if (!parseCidr(p)) bad(`${w}.addressPrefixes[${j}]`, `"${p}" is not a CIDR`);
    });
    if (!Array.isArray(v.subnets)) {
      bad(`${w}.subnets`, "must be a list");
      return;
    }
    v.subnets.forEach((s: unknown, j: number) => {
      const sw = `${w}.subnets[${j}]`;
      if (!isRec(s)) {
        bad(sw, "must be a mapping");
        return;
      }
      const sn = str(s, "name", sw);
      const ap = str(s, "addressPrefix", sw);
      if (ap && !parseCidr(ap)) bad(`${sw}.addressPrefix`, `"${ap}" is not a CIDR`);
      else if (ap && !prefixes.some((p) => parseCidr(p) && cidrContains(p, ap))) {
        bad(`${sw}.addressPrefix`, `"${ap}" is not inside the VNet's addressPrefixes`);
      }
      for (const k of ["privateLinkServiceNetworkPolicies", "privateEndpointNetworkPolicies"]) {
        if (s[k] !== undefined && s[k] !== "Enabled" && s[k] !== "Disabled")
          bad(`${sw}.${k}`, 'must be "Enabled" or "Disabled"');
      }
      subnets.set(`${sub}/${rg}/${name}/${sn}`.toLowerCase(), ap);
    });
  });
  const clusterNames = new Set<string>();
  list("managedClusters", false).forEach((m, i) => {
    const w = `managedClusters[${i}]`;
    const sub = str(m, "subscriptionId", w);
    // Each cluster is a kubeconfig context named after it: names must differ.
    if (typeof m.name === "string" && clusterNames.has(m.name.toLowerCase()))
      bad(`${w}.name`, `"${m.name}" is the name of another managed cluster`);
    if (typeof m.name === "string") clusterNames.add(m.name.toLowerCase());
    for (const k of ["resourceGroup", "nodeResourceGroup"]) {
      const rg = str(m, k, w);
      if (rg && !rgs.has(`${sub}/${rg}`.toLowerCase()))
        bad(`${w}.${k}`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
    }
    str(m, "name", w);
    str(m, "location", w);
    str(m, "kubernetesVersion", w);
    if (m.networkDataplane !== undefined && m.networkDataplane !== "azure" && m.networkDataplane !== "cilium")
      bad(`${w}.networkDataplane`, 'must be "azure" or "cilium"');
    if (
      m.loadBalancerBackendPoolType !== undefined &&
      m.loadBalancerBackendPoolType !== "NodeIPConfiguration" &&
      m.loadBalancerBackendPoolType !== "NodeIP"
    )
      bad(`${w}.loadBalancerBackendPoolType`, 'must be "NodeIPConfiguration" or "NodeIP"');
    const ctl = str(m, "controllerIdentity", w);
    if (ctl && !names.has(ctl)) bad(`${w}.controllerIdentity`, `"${ctl}" is not the name of any identity`);
    if (m.kubeletIdentity !== undefined) {
      const kubelet = str(m, "kubeletIdentity", w);
      if (kubelet && !names.has(kubelet))
        bad(`${w}.kubeletIdentity`, `"${kubelet}" is not the name of any identity`);
      else if (kubelet && kubelet === ctl)
        bad(
          `${w}.kubeletIdentity`,
          "must be another identity than controllerIdentity (AKS gives them distinct principals)",
        );
    }
    if (!isRec(m.cloudConfig)) bad(`${w}.cloudConfig`, "is required");
    const cc: Rec = isRec(m.cloudConfig) ? m.cloudConfig : {};
    for (const k of [
      "clusterName",
      "resourceGroup",
      "location",
      "vnetName",
      "vnetResourceGroup",
      "subnetName",
    ])
      str(cc, k, `${w}.cloudConfig`);
    const prefix = subnets.get(
      `${sub}/${cc.vnetResourceGroup}/${cc.vnetName}/${cc.subnetName}`.toLowerCase(),
    );
    if (cc.subnetName && prefix === undefined)
      bad(
        `${w}.cloudConfig`,
        `subnet ${cc.vnetName}/${cc.subnetName} in ${cc.vnetResourceGroup} is not in virtualNetworks`,
      );
    if (!Array.isArray(m.nodes)) {
      bad(`${w}.nodes`, "must be a list");
      return;
    }
    m.nodes.forEach((n: unknown, j: number) => {
      const nw = `${w}.nodes[${j}]`;
      if (!isRec(n)) {
        bad(nw, "must be a mapping");
        return;
      }
      str(n, "name", nw);
      str(n, "vmssName", nw);
      if (typeof n.instanceId === "number") n.instanceId = String(n.instanceId);
      str(n, "instanceId", nw);
      const ip = str(n, "internalIp", nw);
      if (ip && ipToInt(ip) === undefined) bad(`${nw}.internalIp`, `"${ip}" is not an IPv4 address`);
      else if (ip && prefix && !cidrContains(prefix, ip))
        bad(`${nw}.internalIp`, `"${ip}" is not inside the cluster subnet ${prefix}`);
    });
  });
  for (const k of ["keyVaults", "sqlServers", "storageAccounts"]) {
    list(k, false).forEach((r, i) => {
      const w = `${k}[${i}]`;
      const sub = str(r, "subscriptionId", w);
      const rg = str(r, "resourceGroup", w);
      if (sub && rg && !rgs.has(`${sub}/${rg}`.toLowerCase()))
        bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
      str(r, "name", w);
      str(r, "location", w);
    });
  }
  dnsZoneProblems(list("privateDnsZones", false), { rgs, vnetIds, str, bad });
  existingPlsProblems(list("privateLinkServices", false), { rgs, subnets, str, bad });
  if (doc.emulator !== undefined) problems.push(...settingsProblems(doc.emulator, "emulator"));
  problems.push(...landingZoneProblems(doc, subs, tenantIds, rgs));
  if (problems.length) throw new WorldFileError(source, problems);
  const w = doc as unknown as WorldSpec;
  return { ...w, managedClusters: w.managedClusters ?? [], roles: w.roles ?? [] };
}
