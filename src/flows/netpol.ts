/**
 * `plsctl netpol`: the policy that admits only the Private Link Service's NAT IPs (plus any
 * `--allow-cidr`) to the Service's pods on its target ports; printed, or applied idempotently
 * (read, compare by meaning, then create, replace or leave alone).
 */
import type { Context } from "../context.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import {
  buildPolicy,
  defaultPolicyName,
  type Flavor,
  MANAGED_BY,
  type PolicyObject,
  parseAllowCidr,
  requirePolicyName,
} from "../domain/netpol.js";
import { samePolicy } from "../domain/netpol-compare.js";
import { natOnPodSubnet, podNetworkWords } from "../domain/pod-subnet.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import { readPolicy, servesCiliumPolicies, writePolicy } from "../kube/netpol.js";
import { type ClusterRef, clusterOf } from "./support/locate.js";
import { findPlsOfService, type ResolvedPls } from "./support/resolve-pls.js";

export interface NetpolOptions extends ClusterRef {
  service: string;
  flavor: Flavor;
  name?: string | undefined;
  allowCidrs: string[];
  apply: boolean;
  /** With --apply: apply even a policy plsctl knows would block the partners. */
  force?: boolean | undefined;
}

export interface NetpolResult {
  policy: PolicyObject;
  /** With --apply: what was done; null when only printed. */
  action: "created" | "replaced" | "unchanged" | null;
}

export async function runNetpol(ctx: Context, o: NetpolOptions): Promise<NetpolResult> {
  const name = requirePolicyName(o.name ?? defaultPolicyName(o.service));
  const allowCidrs = [...new Set(o.allowCidrs.map(parseAllowCidr))];
  const resolved = await plsOf(ctx, o);
  const { pls, service: svc } = resolved;
  if (!svc) throw new Error("findPlsOfService returned no Service");
  const ref = serviceRef(svc);
  const selector = svc.selector ?? {};
  if (Object.keys(selector).length === 0) {
    throw usageError(
      `Service ${ref} has no selector, so no policy can name its pods (its endpoints are managed by hand).`,
      "Write the NetworkPolicy for those pods yourself, allowing the NAT IPs that `plsctl status` shows.",
    );
  }
  if (!svc.ports?.length) throw usageError(`Service ${ref} has no ports.`);
  if (pls.natIps.length === 0) {
    throw new PlsctlError(
      `Private Link Service ${pls.name} has no NAT IPs yet (state ${pls.provisioningState ?? "unknown"}); a policy now would admit nobody through it.`,
      {
        exitCode: ExitCode.NotFound,
        code: "NoNatIps",
        hint: `Wait for it with: plsctl expose ${svc.name} -n ${svc.namespace}, then run this again.`,
      },
    );
  }
  if (o.apply) refuseBlockingApply(svc, o);
  warnAboutSources(ctx, svc, await natOverlap(ctx, resolved));
  const policy = buildPolicy(o.flavor, {
    namespace: svc.namespace,
    service: svc.name,
    name,
    selector,
    ports: svc.ports,
    natIps: pls.natIps,
    allowCidrs,
    plsId: pls.id,
  });
  if (!o.apply) return { policy, action: null };
  return { policy, action: await applyPolicy(ctx, o.flavor, policy) };
}

async function plsOf(ctx: Context, o: NetpolOptions): Promise<ResolvedPls> {
  try {
    return await findPlsOfService(ctx, o.service, o);
  } catch (err) {
    if (!(err instanceof PlsctlError) || err.code !== "PlsNotFound") throw err;
    const kube = await ctx.kube();
    throw new PlsctlError(`${err.message} The policy admits its NAT IPs, so it needs the PLS first.`, {
      exitCode: ExitCode.NotFound,
      code: "PlsNotFound",
      cause: err,
      hint: `Expose the Service first: plsctl expose ${o.service} -n ${kube.namespace}; then run plsctl netpol again.`,
    });
  }
}

interface NatOverlap {
  subnetId: string;
  words: string;
}

/** The PLS's NAT subnet when the pods take their IPs from it too (domain/pod-subnet.ts). */
async function natOverlap(ctx: Context, r: ResolvedPls): Promise<NatOverlap | undefined> {
  if (!r.location) return undefined;
  const cluster = await clusterOf(ctx, r.azure, r.location);
  if (!cluster) return undefined;
  const net = {
    networkPlugin: cluster.networkPlugin,
    networkPluginMode: cluster.networkPluginMode,
    nodeSubnetIds: cluster.nodeSubnetIds,
    podSubnetIds: cluster.podSubnetIds ?? [],
  };
  const subnetId = natOnPodSubnet(r.pls.natSubnetIds, net);
  return subnetId ? { subnetId, words: podNetworkWords(net) } : undefined;
}

/**
 * The pods see the NAT IPs only when the nodes keep the source address (`externalTrafficPolicy:
 * Local`), and Local needs a NAT subnet other than the pods' (domain/pod-subnet.ts).
 */
function warnAboutSources(ctx: Context, svc: ServiceView, overlap: NatOverlap | undefined): void {
  const patch = `kubectl patch svc ${svc.name} -n ${svc.namespace} -p '{"spec":{"externalTrafficPolicy":"Local"}}'`;
  const nat = overlap?.subnetId.split("/").pop();
  const dedicated = `plsctl expose ${svc.name} -n ${svc.namespace} --nat-subnet <dedicated subnet>`;
  const sameSubnet = overlap
    ? `the PLS NAT subnet ${nat} is also the pods' subnet (${overlap.words}), and with externalTrafficPolicy: Local the NAT subnet must differ from the pod subnet (cloud-provider-azure pls-integration docs; kubernetes/kubernetes#95555)`
    : undefined;
  if (blocksPartners(svc)) {
    ctx.report.warn(
      `Service ${serviceRef(svc)} has externalTrafficPolicy: ${svc.externalTrafficPolicy ?? "Cluster"}: the nodes rewrite the source address to a node IP, so the pods never see the NAT IPs and this policy would block the partner.${sameSubnet ? ` And ${sameSubnet}.` : ""}`,
      sameSubnet
        ? `Fix: first move the NAT IPs to a subnet of their own: ${dedicated}; then: ${patch}`
        : `Fix: ${patch}`,
    );
  } else if (sameSubnet) {
    ctx.report.warn(
      `Service ${serviceRef(svc)} has externalTrafficPolicy: Local, but ${sameSubnet}: partners' traffic may not reach the pods.`,
      `Fix: ${dedicated}`,
    );
  }
}

/**
 * Applying a policy the warning above says blocks the partners would cut live traffic: refused
 * (exit 2, before any write) unless --force. Printing it stays allowed.
 */
function refuseBlockingApply(svc: ServiceView, o: NetpolOptions): void {
  if (!blocksPartners(svc) || o.force) return;
  throw new PlsctlError(
    `Not applied: Service ${serviceRef(svc)} has externalTrafficPolicy: ${svc.externalTrafficPolicy ?? "Cluster"}, so this policy would block every partner's traffic (the pods see node IPs, not the NAT IPs). Nothing was changed.`,
    {
      exitCode: ExitCode.Usage,
      code: "PolicyWouldBlockPartners",
      hint: `Set externalTrafficPolicy: Local first (kubectl patch svc ${svc.name} -n ${svc.namespace} -p '{"spec":{"externalTrafficPolicy":"Local"}}'), then run this again; or pass --force to apply it anyway.`,
    },
  );
}

/** The pods see the NAT IPs only when the nodes keep the source address. */
function blocksPartners(svc: ServiceView): boolean {
  return svc.externalTrafficPolicy !== "Local";
}

async function applyPolicy(
  ctx: Context,
  flavor: Flavor,
  policy: PolicyObject,
): Promise<NonNullable<NetpolResult["action"]>> {
  const kube = await ctx.kube();
  const { name, namespace } = policy.metadata;
  const ref = `${namespace}/${name}`;
  if (flavor === "cilium" && !(await servesCiliumPolicies(kube))) {
    throw new PlsctlError(
      `The cluster does not serve cilium.io/v2 CiliumNetworkPolicy (no Cilium installed), so --flavor cilium cannot be applied.`,
      {
        exitCode: ExitCode.NotFound,
        code: "CiliumNotServed",
        hint: "Drop --flavor cilium (a networking.k8s.io NetworkPolicy works with every AKS network policy engine), or run Cilium (AKS: az aks create/update --network-dataplane cilium).",
      },
    );
  }
  const found = await readPolicy(kube, flavor, namespace, name);
  let action: NonNullable<NetpolResult["action"]>;
  if (!found) {
    await writePolicy(kube, flavor, policy);
    action = "created";
  } else if (found.labels[MANAGED_BY] !== "plsctl") {
    throw usageError(
      `${policy.kind} ${ref} exists and was not written by plsctl (no ${MANAGED_BY}: plsctl label); it is left alone.`,
      "Pass --name to write plsctl's policy under another name, or delete that one first.",
    );
  } else if (samePolicy(found, policy)) {
    action = "unchanged";
  } else {
    await writePolicy(kube, flavor, policy, found.resourceVersion);
    action = "replaced";
  }
  ctx.progress({ kind: "policy-applied", policyKind: policy.kind, policy: ref, action });
  return action;
}
