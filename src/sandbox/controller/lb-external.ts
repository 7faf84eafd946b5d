/**
 * External LoadBalancer Services: a public IP `<cluster>-a<uid>` and a frontend on LB `kubernetes`.
 * When the ARM emulator does not serve publicIPAddresses, the address is simulated from
 * 203.0.113.0/24 (TEST-NET-3) — enough for the external-LB gate and internal/external flips.
 */
import type { ServiceObject } from "./kube-client.js";
import {
  type EnsuredFrontend,
  enc,
  type LbWire,
  lbSignature,
  lower,
  openLb,
  serviceKey,
  setRules,
} from "./lb.js";
import { ArmResponseError, ControllerError } from "./messages.js";
import { defaultLoadBalancerName, loadBalancerName, publicIpPath } from "./names.js";
import type { PlsContext } from "./pls.js";

/** A stable address from 203.0.113.0/24 (TEST-NET-3) when the ARM emulator has no public IPs. */
export function simulatedPublicIp(uid: string): string {
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `203.0.113.${1 + (h % 254)}`;
}

type Pip = { id?: string; properties?: { ipAddress?: string } };

/** The Service's public IP `<cluster>-a<uid>`; simulated when ARM does not serve publicIPAddresses. */
async function ensurePublicIp(ctx: PlsContext, svc: ServiceObject): Promise<{ pip: Pip; wrote: boolean }> {
  const cfg = ctx.cluster.cloudConfig;
  const pipName = `${cfg.clusterName}-${defaultLoadBalancerName(svc.metadata.uid)}`;
  const pipPath = publicIpPath(ctx.cluster.subscriptionId, enc(cfg.resourceGroup), enc(pipName));
  try {
    const existing = await ctx.arm.get<Pip>(pipPath);
    if (existing) return { pip: existing, wrote: false };
    const pip = await ctx.arm.put<Pip>(pipPath, {
      location: cfg.location,
      sku: { name: "Standard", tier: "Regional" },
      tags: { "k8s-azure-service": serviceKey(svc), "k8s-azure-cluster-name": cfg.clusterName },
      properties: { publicIPAllocationMethod: "Static", publicIPAddressVersion: "IPv4" },
    });
    return { pip, wrote: true };
  } catch (err) {
    if (!(err instanceof ArmResponseError) || err.code !== "InvalidResourceType") throw err;
    return {
      pip: { id: pipPath, properties: { ipAddress: simulatedPublicIp(svc.metadata.uid) } },
      wrote: false,
    };
  }
}

/** `reconcileLoadBalancer(wantLb=true)` for an external Service: a public IP and a frontend on `kubernetes`. */
export async function ensureExternalFrontend(ctx: PlsContext, svc: ServiceObject): Promise<EnsuredFrontend> {
  const cfg = ctx.cluster.cloudConfig;
  const lbName = loadBalancerName(cfg, false);
  const base = defaultLoadBalancerName(svc.metadata.uid);
  const { pip, wrote: pipWrote } = await ensurePublicIp(ctx, svc);
  let wrote = pipWrote;
  const { path, lb, props, before } = await openLb(ctx, lbName);
  props.frontendIPConfigurations = props.frontendIPConfigurations ?? [];
  let fip = props.frontendIPConfigurations.find((f) => lower(f.name) === lower(base));
  if (!fip) {
    fip = {
      id: `${lb.id}/frontendIPConfigurations/${base}`,
      name: base,
      properties: { publicIPAddress: { id: pip.id ?? "" } },
    };
    props.frontendIPConfigurations.push(fip);
  }
  setRules(lb, svc, { id: fip.id ?? `${lb.id}/frontendIPConfigurations/${base}` }, false);
  let result = lb;
  if (lbSignature(lb) !== before) {
    result = await ctx.arm.put<LbWire>(path, lb);
    wrote = true;
  }
  const final = (result.properties?.frontendIPConfigurations ?? []).find(
    (f) => lower(f.name) === lower(base),
  );
  if (!final?.id)
    throw new ControllerError(`ensure(${serviceKey(svc)}): lb(${lbName}) - frontend ${base} not found`);
  return { fip: { id: final.id, name: final.name ?? base }, ip: pip.properties?.ipAddress ?? "", wrote };
}

/** Delete this Service's public IP (external path clean-up). */
export async function deletePublicIp(ctx: PlsContext, svc: ServiceObject): Promise<void> {
  const cfg = ctx.cluster.cloudConfig;
  const pipName = `${cfg.clusterName}-${defaultLoadBalancerName(svc.metadata.uid)}`;
  try {
    await ctx.arm.delete(publicIpPath(ctx.cluster.subscriptionId, enc(cfg.resourceGroup), enc(pipName)));
  } catch (err) {
    if (!(err instanceof ArmResponseError) || err.code !== "InvalidResourceType") throw err;
  }
}
