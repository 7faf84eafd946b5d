/**
 * The landing-zone parts of a sandbox world file: management groups, the clusters' and subnets'
 * landing-zone fields, and private DNS zones with their VNet links. Split from world-file.ts.
 */
import { namespacesOverlap } from "./arm/handlers/dns-model.js";
import { cidrContains, ipToInt } from "./arm/ipam.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

export const MG_SCOPE = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/?$/i;

const ATTACHED: Array<[string, string]> = [
  ["networkSecurityGroup", "Microsoft.Network/networkSecurityGroups"],
  ["routeTable", "Microsoft.Network/routeTables"],
  ["natGateway", "Microsoft.Network/natGateways"],
];

export function managementGroupNames(doc: Rec): Set<string> {
  const groups = Array.isArray(doc.managementGroups) ? doc.managementGroups : [];
  return new Set(groups.filter(isRec).map((g) => String(g.name ?? "").toLowerCase()));
}

/**
 * Management groups, and the landing-zone fields of managed clusters and subnets (world.ts
 * ClusterLandingZoneSpec, ManagementGroupSpec, SubnetSpec attachments).
 */
export function landingZoneProblems(
  doc: Rec,
  subs: Map<string, string>,
  tenantIds: Set<string>,
  rgs: Set<string>,
): string[] {
  const problems: string[] = [];
  const bad = (where: string, what: string): void => {
    problems.push(`${where}: ${what}`);
  };
  const groups = doc.managementGroups;
  if (groups !== undefined && !Array.isArray(groups)) bad("managementGroups", "must be a list");
  (Array.isArray(groups) ? groups : []).forEach((g: unknown, i: number) => {
    const w = `managementGroups[${i}]`;
    if (!isRec(g)) {
      bad(w, "must be a mapping with name, displayName, tenantId, subscriptions");
      return;
    }
    if (typeof g.name !== "string" || !/^[-\w.()]{1,90}$/.test(g.name))
      bad(`${w}.name`, "is required (letters, digits, '-', '_', '.', '(', ')')");
    if (typeof g.displayName !== "string" || !g.displayName) bad(`${w}.displayName`, "is required");
    const tid = typeof g.tenantId === "string" ? g.tenantId : "";
    if (!tenantIds.has(tid)) bad(`${w}.tenantId`, `"${tid}" is not the id of any entry in tenants`);
    if (!Array.isArray(g.subscriptions)) {
      bad(`${w}.subscriptions`, "must be a list of subscription ids");
      return;
    }
    g.subscriptions.forEach((s: unknown, j: number) => {
      const sub = String(s).toLowerCase();
      if (!subs.has(sub)) bad(`${w}.subscriptions[${j}]`, `"${String(s)}" is not one of the subscriptions`);
      else if (subs.get(sub) !== tid) bad(`${w}.subscriptions[${j}]`, "is in another tenant than the group");
    });
  });
  const vnets = Array.isArray(doc.virtualNetworks) ? doc.virtualNetworks.filter(isRec) : [];
  vnets.forEach((v, i) => {
    (Array.isArray(v.subnets) ? v.subnets : []).forEach((s: unknown, j: number) => {
      if (!isRec(s)) return;
      for (const [k, type] of ATTACHED) {
        const id = s[k];
        if (
          id !== undefined &&
          (typeof id !== "string" || !new RegExp(`/providers/${type}/[^/]+$`, "i").test(id))
        )
          bad(
            `virtualNetworks[${i}].subnets[${j}].${k}`,
            `must be a resource id ending in /providers/${type}/<name>`,
          );
      }
    });
  });
  const clusters = Array.isArray(doc.managedClusters) ? doc.managedClusters.filter(isRec) : [];
  clusters.forEach((m, i) => {
    const w = `managedClusters[${i}]`;
    const oneOf = (k: string, values: string[]) => {
      if (m[k] !== undefined && !values.includes(m[k] as string))
        bad(`${w}.${k}`, `must be one of ${values.map((v) => `"${v}"`).join(", ")}`);
    };
    oneOf("nodeResourceGroupRestrictionLevel", ["Unrestricted", "ReadOnly"]);
    oneOf("controlPlaneIdentityType", ["SystemAssigned", "UserAssigned", "ServicePrincipal"]);
    oneOf("network", ["azure-cni-overlay", "azure-cni", "kubenet"]);
    if (m.podSubnetName !== undefined && m.network !== "azure-cni")
      bad(`${w}.podSubnetName`, 'needs network: "azure-cni" (pods in a VNet subnet)');
    const rg = m.plsResourceGroup;
    if (rg !== undefined) {
      if (typeof rg !== "string" || !rgs.has(`${m.subscriptionId}/${rg}`.toLowerCase()))
        bad(
          `${w}.plsResourceGroup`,
          `"${String(rg)}" is not in resourceGroups for subscription ${String(m.subscriptionId)}`,
        );
      else if (rg.toLowerCase() === String(m.nodeResourceGroup).toLowerCase())
        bad(`${w}.plsResourceGroup`, "must be another resource group than the node resource group");
    }
  });
  return problems;
}

const ZONE_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/**
 * `privateDnsZones`: each in a known resource group, a DNS name of two labels or more, links to VNets
 * of `virtualNetworks`, and no VNet linked to two zones of overlapping names (Azure refuses it).
 */
export function dnsZoneProblems(
  zones: Rec[],
  k: {
    rgs: Set<string>;
    vnetIds: Set<string>;
    str: (o: Rec, key: string, where: string, re?: RegExp, hint?: string) => string;
    bad: (where: string, what: string) => void;
  },
): void {
  const linked = new Map<string, { zone: string; where: string }[]>();
  zones.forEach((z, i) => {
    const w = `privateDnsZones[${i}]`;
    const sub = k.str(z, "subscriptionId", w);
    const rg = k.str(z, "resourceGroup", w);
    if (sub && rg && !k.rgs.has(`${sub}/${rg}`.toLowerCase()))
      k.bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
    const name = k.str(z, "name", w, ZONE_NAME, "a DNS zone name such as privatelink.vaultcore.azure.net");
    if (z.links === undefined) return;
    if (!Array.isArray(z.links)) {
      k.bad(`${w}.links`, "must be a list");
      return;
    }
    const names = new Set<string>();
    z.links.forEach((l: unknown, j: number) => {
      const lw = `${w}.links[${j}]`;
      if (!isRec(l)) {
        k.bad(lw, "must be a mapping with name and virtualNetworkId");
        return;
      }
      const ln = k.str(l, "name", lw);
      if (names.has(ln.toLowerCase())) k.bad(`${lw}.name`, `duplicate link name ${ln} in zone ${name}`);
      names.add(ln.toLowerCase());
      const vnet = k.str(l, "virtualNetworkId", lw);
      if (vnet && !k.vnetIds.has(vnet.toLowerCase()))
        k.bad(`${lw}.virtualNetworkId`, `"${vnet}" is not the id of any entry in virtualNetworks`);
      if (l.registrationEnabled !== undefined && typeof l.registrationEnabled !== "boolean")
        k.bad(`${lw}.registrationEnabled`, "must be true or false");
      const others = linked.get(vnet.toLowerCase()) ?? [];
      const clash = others.find((o) => namespacesOverlap(o.zone, name));
      if (vnet && name && clash)
        k.bad(
          `${lw}.virtualNetworkId`,
          `the VNet is already linked to zone ${clash.zone} (${clash.where}): Azure links a VNet to only one zone of overlapping names`,
        );
      linked.set(vnet.toLowerCase(), [...others, { zone: name, where: w }]);
    });
  });
}

/**
 * `privateLinkServices`: a PLS that exists from the start on its own load balancer frontend (another
 * cluster's, say), in known resource groups, its IPs inside its subnet.
 */
export function existingPlsProblems(
  plss: Rec[],
  k: {
    rgs: Set<string>;
    subnets: Map<string, string>;
    str: (o: Rec, key: string, where: string, re?: RegExp, hint?: string) => string;
    bad: (where: string, what: string) => void;
  },
): void {
  plss.forEach((p, i) => {
    const w = `privateLinkServices[${i}]`;
    const sub = k.str(p, "subscriptionId", w);
    const rg = k.str(p, "resourceGroup", w);
    if (sub && rg && !k.rgs.has(`${sub}/${rg}`.toLowerCase()))
      k.bad(`${w}.resourceGroup`, `"${rg}" is not in resourceGroups for subscription ${sub}`);
    k.str(p, "name", w, /^[A-Za-z0-9][-\w.]{0,78}\w$/, "a valid Private Link Service name");
    k.str(p, "location", w);
    if (
      p.tags !== undefined &&
      (!isRec(p.tags) || !Object.values(p.tags).every((v) => typeof v === "string"))
    )
      k.bad(`${w}.tags`, "must be a mapping of strings");
    if (
      p.visibility !== undefined &&
      (!Array.isArray(p.visibility) ||
        !p.visibility.every((v) => typeof v === "string" && (v === "*" || GUID.test(v))))
    )
      k.bad(`${w}.visibility`, "must be a list of subscription ids (or *)");
    const lb: Rec = isRec(p.loadBalancer) ? p.loadBalancer : {};
    if (!isRec(p.loadBalancer))
      k.bad(`${w}.loadBalancer`, "is required (resourceGroup, name, frontendName, privateIp)");
    const lbRg = k.str(lb, "resourceGroup", `${w}.loadBalancer`);
    if (sub && lbRg && !k.rgs.has(`${sub}/${lbRg}`.toLowerCase()))
      k.bad(`${w}.loadBalancer.resourceGroup`, `"${lbRg}" is not in resourceGroups for subscription ${sub}`);
    k.str(lb, "name", `${w}.loadBalancer`);
    k.str(lb, "frontendName", `${w}.loadBalancer`);
    const sn: Rec = isRec(p.subnet) ? p.subnet : {};
    if (!isRec(p.subnet)) k.bad(`${w}.subnet`, "is required (resourceGroup, vnetName, name)");
    const prefix = k.subnets.get(
      `${sub}/${k.str(sn, "resourceGroup", `${w}.subnet`)}/${k.str(sn, "vnetName", `${w}.subnet`)}/${k.str(sn, "name", `${w}.subnet`)}`.toLowerCase(),
    );
    if (isRec(p.subnet) && prefix === undefined) k.bad(`${w}.subnet`, "is not a subnet of virtualNetworks");
    for (const [where, ip] of [
      [`${w}.loadBalancer.privateIp`, k.str(lb, "privateIp", `${w}.loadBalancer`)],
      [`${w}.natIp`, k.str(p, "natIp", w)],
    ] as const) {
      if (ip && ipToInt(ip) === undefined) k.bad(where, `"${ip}" is not an IPv4 address`);
      else if (ip && prefix && !cidrContains(prefix, ip))
        k.bad(where, `"${ip}" is not inside the subnet ${prefix}`);
    }
  });
}
