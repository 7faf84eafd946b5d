/**
 * Before `expose` writes: what Azure knows about the NAT subnet and static NAT IPs of the change.
 * The cluster's VNet comes from the agent pools' subnet (the managed cluster), else from the
 * internal load balancer's frontends, else from the one VNet of an AKS-managed network; the
 * addresses in use from the subnet's IP configurations and the nodes' InternalIPs.
 */
import type { Azure } from "../../azure/index.js";
import { loadBalancerFrontends } from "../../azure/pls.js";
import { addressesInUse, listSubnets, listVnetIds, vnetOfSubnet } from "../../azure/subnets.js";
import type { Context } from "../../context.js";
import type { AnnotationChanges } from "../../domain/annotations.js";
import { checkNatPlan, natPlan } from "../../domain/nat-plan.js";
import { parseResourceId } from "../../domain/resource-id.js";
import type { ServiceView } from "../../domain/service.js";
import type { Kube } from "../../kube/index.js";
import { nodeInternalIps } from "../../kube/services.js";
import { clusterOf, INTERNAL_LB, type PlsLocation } from "./locate.js";

const nameOf = (subnetId: string) => /\/subnets\/([^/]+)$/i.exec(subnetId)?.[1];

/** The cluster's VNet id and its default (agent pool) subnet's name, when they can be found. */
export async function clusterVnet(
  ctx: Context,
  azure: Azure,
  location: PlsLocation,
): Promise<{ vnetId: string; defaultSubnet: string | undefined } | undefined> {
  const nodeSubnet = (await clusterOf(ctx, azure, location))?.nodeSubnetIds[0];
  if (nodeSubnet) return { vnetId: vnetOfSubnet(nodeSubnet), defaultSubnet: nameOf(nodeSubnet) };
  const frontends = await loadBalancerFrontends(
    azure,
    location.subscriptionId,
    location.nodeResourceGroup,
    INTERNAL_LB,
  );
  const inVnet = frontends.find((f) => f.subnetId)?.subnetId;
  if (inVnet) return { vnetId: vnetOfSubnet(inVnet), defaultSubnet: undefined };
  const managed = await listVnetIds(azure, location.subscriptionId, location.nodeResourceGroup);
  return managed.length === 1 && managed[0] ? { vnetId: managed[0], defaultSubnet: undefined } : undefined;
}

export async function checkNatWithAzure(
  ctx: Context,
  kube: Kube,
  azure: Azure,
  o: { location: PlsLocation; svc: ServiceView; changes: AnnotationChanges; ownPlsId: string | undefined },
): Promise<void> {
  const plan = natPlan(o.svc.annotations, o.changes);
  if (!plan) return;
  const vnet = await clusterVnet(ctx, azure, o.location);
  const subnets = vnet ? await listSubnets(azure, vnet.vnetId) : undefined;
  if (!vnet || !subnets) {
    ctx.report.warn(
      "Could not find the cluster's virtual network in Azure, so the NAT subnet and static NAT IPs are not checked before writing; the AKS controller reports what Azure refuses.",
      "Pass --cluster <name> --cluster-resource-group <rg> to let plsctl read it.",
    );
    return;
  }
  const vnetId = parseResourceId(vnet.vnetId);
  const defaultSubnet = vnet.defaultSubnet ?? (subnets.length === 1 ? subnets[0]?.name : undefined);
  const target = subnets.find(
    (s) => s.name.toLowerCase() === (plan.subnet ?? defaultSubnet ?? "").toLowerCase(),
  );
  const used = new Map<string, string>();
  if (target && plan.staticIps.length > 0) {
    for (const [ip, owner] of await addressesInUse(azure, target, o.ownPlsId ? [o.ownPlsId] : [])) {
      used.set(ip, owner);
    }
    for (const [ip, node] of await nodeInternalIps(kube)) used.set(ip, `node ${node}`);
  }
  checkNatPlan(plan, {
    vnet: vnetId ? `${vnetId.name} (resource group ${vnetId.resourceGroup})` : vnet.vnetId,
    subnets: subnets.map((s) => ({ name: s.name, prefixes: s.prefixes })),
    defaultSubnet,
    used,
  });
}
