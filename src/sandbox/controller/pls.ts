/**
 * `reconcilePrivateLinkService` of cloud-provider-azure, against the ARM emulator: gate checks,
 * lookup by frontend in the PLS resource group, ownership and sharing, the desired state, the NAT
 * subnet policy, the PUT; and `safeDeletePLS` (every PE connection, then the PLS).
 */
import type { ManagedClusterSpec } from "../world.js";
import {
  type Annotations,
  floatingIpDisabled,
  hasAdditionalConfigs,
  isInternal,
  plsCreate,
  plsNameAnnotation,
  plsResourceGroup,
  plsSubnetName,
} from "./annotations.js";
import { type ArmClient, isNotFound } from "./arm-client.js";
import { buildDesiredPls, type PlsWire, TAG_CLUSTER, TAG_OWNER } from "./desired.js";
import { ArmResponseError, ControllerError, errorText, MSG } from "./messages.js";
import { defaultPlsName, plsCollectionPath, plsPath, subnetId } from "./names.js";

export interface PlsContext {
  arm: ArmClient;
  cluster: ManagedClusterSpec;
  log?: (line: string) => void;
}

export interface FrontendRef {
  id: string;
  name: string;
}

interface SubnetWire {
  id?: string;
  name?: string;
  properties?: Record<string, unknown> & { privateLinkServiceNetworkPolicies?: string };
}

const enc = encodeURIComponent;

export function plsResourceGroupFor(cluster: ManagedClusterSpec, a: Annotations): string {
  const cfg = cluster.cloudConfig;
  return plsResourceGroup(a, cfg.privateLinkServiceResourceGroup || cfg.resourceGroup);
}

function wrapArm(err: unknown, wrap: (s: string) => string): never {
  if (err instanceof ArmResponseError)
    throw new ArmResponseError(err.statusCode, err.code, wrap(err.message));
  if (err instanceof ControllerError) throw err;
  throw new ControllerError(wrap(errorText(err)));
}

async function listPlsIn(ctx: PlsContext, rg: string): Promise<PlsWire[]> {
  try {
    return await ctx.arm.list<PlsWire>(plsCollectionPath(ctx.cluster.subscriptionId, enc(rg)));
  } catch (err) {
    wrapArm(err, MSG.getPls);
  }
}

/** The first PLS in `rg` whose frontends include `fipId` (case-insensitive), as the repo's cache does. */
export async function findPlsByFrontend(
  ctx: PlsContext,
  rg: string,
  fipId: string,
  listed?: PlsWire[],
): Promise<PlsWire | undefined> {
  const all = listed ?? (await listPlsIn(ctx, rg));
  const want = fipId.toLowerCase();
  return all.find((p) =>
    (p.properties?.loadBalancerFrontendIpConfigurations ?? []).some(
      (f) => (f.id ?? "").toLowerCase() === want,
    ),
  );
}

function vnetRg(cluster: ManagedClusterSpec): string {
  return cluster.cloudConfig.vnetResourceGroup || cluster.cloudConfig.resourceGroup;
}

function natSubnetPath(cluster: ManagedClusterSpec, subnet: string): string {
  const cfg = cluster.cloudConfig;
  return subnetId(cluster.subscriptionId, enc(vnetRg(cluster)), enc(cfg.vnetName), enc(subnet));
}

async function getNatSubnet(ctx: PlsContext, subnet: string, onMissing: () => string): Promise<SubnetWire> {
  try {
    return await ctx.arm.getStrict<SubnetWire>(natSubnetPath(ctx.cluster, subnet));
  } catch (err) {
    if (isNotFound(err)) throw new ControllerError(onMissing());
    throw err;
  }
}

/** `disablePLSNetworkPolicy`: GET the NAT subnet, PUT it with the policy Disabled when needed. */
async function disablePlsNetworkPolicy(ctx: PlsContext, subnetName: string, svcKey: string): Promise<void> {
  const subnet = await getNatSubnet(ctx, subnetName, () => MSG.policySubnetMissing(subnetName, svcKey));
  if (subnet.properties?.privateLinkServiceNetworkPolicies === "Disabled") return;
  const body = {
    ...(subnet.id ? { id: subnet.id } : {}),
    ...(subnet.name ? { name: subnet.name } : {}),
    properties: { ...(subnet.properties ?? {}), privateLinkServiceNetworkPolicies: "Disabled" },
  };
  await ctx.arm.put(natSubnetPath(ctx.cluster, subnetName), body);
}

export interface PlsServiceInfo {
  key: string; // <ns>/<name>
  annotations: Annotations;
  /** Single-stack IPv6 Service (its frontend would be IPv6). */
  ipv6Only: boolean;
}

/** Gate 1 (IPv6) as far as the sandbox models it: single-stack IPv6 with azure-pls-create fails. */
export function checkIpv6Gate(svc: PlsServiceInfo): void {
  if (svc.ipv6Only && plsCreate(svc.annotations)) throw new ControllerError(MSG.ipv6());
}

/** `reconcilePrivateLinkService(wantPLS=true)`. Returns true when it wrote the PLS. */
export async function ensurePls(
  ctx: PlsContext,
  svc: PlsServiceInfo,
  fip: FrontendRef,
  ipv6FrontendIds: string[] = [],
): Promise<boolean> {
  const a = svc.annotations;
  checkIpv6Gate(svc);
  if (!plsCreate(a)) return false;
  if (!isInternal(a) && !floatingIpDisabled(a)) throw new ControllerError(MSG.floatingIp(svc.key));
  const cfg = ctx.cluster.cloudConfig;
  const rg = plsResourceGroupFor(ctx.cluster, a);
  const all = await listPlsIn(ctx, rg);
  const existing = await findPlsByFrontend(ctx, rg, fip.id, all);
  if (existing) {
    const cluster = existing.tags?.[TAG_CLUSTER];
    if (cluster === undefined || cluster.trim().toLowerCase() !== cfg.clusterName.toLowerCase()) {
      throw new ControllerError(MSG.unmanaged(svc.key, fip.id, existing.id ?? ""));
    }
    const owner = existing.tags?.[TAG_OWNER] ?? "";
    if (owner.toLowerCase() !== svc.key.toLowerCase()) {
      if (hasAdditionalConfigs(a))
        throw new ControllerError(MSG.ownedBy(svc.key, fip.id, existing.name ?? "", owner));
      ctx.log?.(`controller: ${svc.key} shares private link service ${existing.name} owned by ${owner}`);
      return false;
    }
  }
  // getPrivateLinkServiceName
  const annotated = plsNameAnnotation(a);
  let plsName: string;
  if (annotated !== undefined) {
    if (existing?.name !== undefined && existing.name.toLowerCase() !== annotated.toLowerCase()) {
      throw new ControllerError(MSG.rename(svc.key, existing.name, annotated));
    }
    plsName = annotated;
  } else {
    plsName = existing?.name ?? defaultPlsName(fip.name);
  }
  if (!existing) checkNameFree(svc, plsName, all);
  // cloud-provider-azure docs, topics/pls-integration.md, Restrictions: no new PLS on a load
  // balancer that carries an IPv6 Service (dual-stack clusters).
  const v6 = ipv6FrontendIds[0];
  if (!existing && v6 !== undefined) {
    const lb = /\/loadBalancers\/([^/]+)\//i.exec(fip.id)?.[1] ?? "";
    throw new ControllerError(MSG.ipv6OnLb(svc.key, lb, v6));
  }
  const subnetName = plsSubnetName(a) ?? cfg.subnetName;
  const subnet = await getNatSubnet(ctx, subnetName, () => MSG.natSubnetMissing(subnetName, svc.key));
  const desired = buildDesiredPls({
    existing,
    plsName,
    location: cfg.location,
    clusterName: cfg.clusterName,
    serviceKey: svc.key,
    annotations: a,
    frontendId: fip.id,
    natSubnet: {
      id: subnet.id ?? natSubnetPath(ctx.cluster, subnetName),
      name: subnet.name ?? subnetName,
    },
  });
  if (!desired.dirty) return false;
  await disablePlsNetworkPolicy(ctx, subnetName, svc.key);
  const name = desired.body.name ?? plsName;
  // The generated Go client refuses an empty path parameter before sending anything.
  if (name === "") throw new ControllerError(MSG.putPls("parameter serviceName cannot be empty"));
  try {
    await ctx.arm.put(plsPath(ctx.cluster.subscriptionId, enc(rg), enc(name)), desired.body);
  } catch (err) {
    wrapArm(err, MSG.putPls);
  }
  ctx.log?.(`controller: ${svc.key}: private link service ${rg}/${name} written`);
  return true;
}

/**
 * PR kubernetes-sigs/cloud-provider-azure#10943: a new PLS whose name is already used by a PLS on
 * another frontend is rejected (before it, the PUT re-pointed that PLS to this Service's frontend).
 * "A Service's own PLS is exempt via the k8s-azure-owner-service tag" — so a PLS tagged for this
 * Service (another cluster's, with the same tags) is still taken over, as on AKS.
 */
function checkNameFree(svc: PlsServiceInfo, plsName: string, all: PlsWire[]): void {
  const taken = all.find((p) => (p.name ?? "").toLowerCase() === plsName.toLowerCase());
  if (!taken) return;
  if ((taken.tags?.[TAG_OWNER] ?? "").toLowerCase() === svc.key.toLowerCase()) return;
  const otherFip = taken.properties?.loadBalancerFrontendIpConfigurations?.[0]?.id ?? "";
  throw new ControllerError(MSG.nameInUse(svc.key, plsName, taken.id ?? "", otherFip));
}

/** `reconcilePrivateLinkService(wantPLS=false)` + `safeDeletePLS`. Returns true if a PLS was deleted. */
export async function deletePlsOfFrontend(ctx: PlsContext, a: Annotations, fipId: string): Promise<boolean> {
  const rg = plsResourceGroupFor(ctx.cluster, a);
  const pls = await findPlsByFrontend(ctx, rg, fipId);
  if (!pls?.name) return false;
  const path = plsPath(ctx.cluster.subscriptionId, enc(rg), enc(pls.name));
  for (const conn of pls.properties?.privateEndpointConnections ?? []) {
    if (!conn.name) continue;
    try {
      await ctx.arm.delete(`${path}/privateEndpointConnections/${enc(conn.name)}`);
    } catch (err) {
      wrapArm(err, MSG.deletePeConnection);
    }
  }
  try {
    await ctx.arm.delete(path);
  } catch (err) {
    wrapArm(err, MSG.deletePls);
  }
  ctx.log?.(`controller: private link service ${rg}/${pls.name} deleted`);
  return true;
}
