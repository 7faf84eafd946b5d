/**
 * One Service sync, as the upstream service controller (`syncLoadBalancerIfNeeded`) drives the Azure
 * provider: finalizer, `EnsuringLoadBalancer`, the LB + PLS reconcile, `EnsuredLoadBalancer`, then
 * the status patch (so the ingress IP appears only when everything succeeded); or the clean-up path
 * behind the finalizer `service.kubernetes.io/load-balancer-cleanup`.
 */
import { type Annotations, isInternal } from "./annotations.js";
import type { ArmClient } from "./arm-client.js";
import type { KubeClient, ServiceObject } from "./kube-client.js";
import { ensureInternalFrontend, removeServiceFromLb, serviceHasLoadBalancer, serviceKey } from "./lb.js";
import { deletePublicIp, ensureExternalFrontend } from "./lb-external.js";
import {
  ArmResponseError,
  EVENT,
  type EventSpec,
  errorText,
  syncFailedCheck,
  syncFailedDelete,
  syncFailedEnsure,
} from "./messages.js";
import { loadBalancerName } from "./names.js";
import { checkIpv6Gate, ensurePls, type PlsContext, type PlsServiceInfo } from "./pls.js";

export const FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

export interface SyncDeps extends PlsContext {
  arm: ArmClient;
  kube: KubeClient;
  signal: AbortSignal;
}

export function wantsLoadBalancer(svc: ServiceObject): boolean {
  return svc.spec?.type === "LoadBalancer" && !svc.spec.loadBalancerClass;
}

export function hasFinalizer(svc: ServiceObject): boolean {
  return (svc.metadata.finalizers ?? []).includes(FINALIZER);
}

export function needsCleanup(svc: ServiceObject): boolean {
  return hasFinalizer(svc) && (svc.metadata.deletionTimestamp !== undefined || !wantsLoadBalancer(svc));
}

function info(svc: ServiceObject): PlsServiceInfo {
  const families = svc.spec?.ipFamilies ?? [];
  return {
    key: serviceKey(svc),
    annotations: (svc.metadata.annotations ?? {}) as Annotations,
    ipv6Only: families.length === 1 && families[0] === "IPv6",
  };
}

/**
 * `EnsureLoadBalancer` → the ingress IP. Each ARM write waits for its long-running operation, so the
 * time Azure takes to provision the load balancer and the PLS passes here, as on AKS.
 */
async function ensure(deps: SyncDeps, svc: ServiceObject): Promise<string> {
  const i = info(svc);
  checkIpv6Gate(i); // the sandbox allocates IPv4 frontends only; refuse before touching the LB
  const internal = isInternal(i.annotations);
  const front = internal ? await ensureInternalFrontend(deps, svc) : await ensureExternalFrontend(deps, svc);
  await ensurePls(deps, i, front.fip, front.ipv6FrontendIds);
  // The opposite LB no longer carries this Service (internal <-> external flip).
  const flipped = await removeServiceFromLb(deps, svc, loadBalancerName(deps.cluster.cloudConfig, !internal));
  if (internal && flipped) await deletePublicIp(deps, svc);
  return front.ip;
}

/** `EnsureLoadBalancerDeleted`; 403/404 from ARM are ignored as the real one does. */
async function ensureDeleted(deps: SyncDeps, svc: ServiceObject): Promise<void> {
  const cfg = deps.cluster.cloudConfig;
  let hadExternal = false;
  const kept: string[] = [];
  for (const internal of [true, false]) {
    try {
      const removed = await removeServiceFromLb(deps, svc, loadBalancerName(cfg, internal), (message) =>
        kept.push(message),
      );
      if (!internal) hadExternal = removed;
    } catch (err) {
      if (err instanceof ArmResponseError && (err.statusCode === 403 || err.statusCode === 404)) continue;
      throw err;
    }
  }
  for (const message of kept)
    await event(deps, svc, { type: "Warning", reason: "DeletingFrontendIPConfiguration", message });
  if (hadExternal || !isInternal(svc.metadata.annotations ?? {})) await deletePublicIp(deps, svc);
}

async function event(deps: SyncDeps, svc: ServiceObject, e: EventSpec): Promise<void> {
  try {
    await deps.kube.recordEvent(svc, e.type, e.reason, e.message);
  } catch (err) {
    deps.log?.(`controller: event ${e.reason} for ${serviceKey(svc)} not recorded: ${errorText(err)}`);
  }
}

function sameIngress(svc: ServiceObject, ip: string): boolean {
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  return ingress.length === 1 && ingress[0]?.ip === ip;
}

/** Returns true on success; false means "retry with backoff". */
export async function syncService(deps: SyncDeps, svc: ServiceObject): Promise<boolean> {
  const { namespace, name } = svc.metadata;
  const key = serviceKey(svc);
  if (needsCleanup(svc)) {
    let exists: boolean;
    try {
      exists = await serviceHasLoadBalancer(deps, svc);
    } catch (err) {
      await event(deps, svc, syncFailedCheck(errorText(err)));
      return false;
    }
    if (exists) {
      await event(deps, svc, EVENT.deleting);
      try {
        await ensureDeleted(deps, svc);
      } catch (err) {
        deps.log?.(`controller: ${key}: delete failed: ${errorText(err)}`);
        await event(deps, svc, syncFailedDelete(errorText(err)));
        return false;
      }
    }
    const finalizers = (svc.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    await deps.kube.patchService(namespace, name, { metadata: { finalizers } });
    await event(deps, svc, EVENT.deleted);
    if (
      svc.metadata.deletionTimestamp === undefined &&
      (svc.status?.loadBalancer?.ingress ?? []).length > 0
    ) {
      await deps.kube.patchServiceStatus(namespace, name, { status: { loadBalancer: { ingress: null } } });
    }
    deps.log?.(`controller: ${key}: load balancer deleted`);
    return true;
  }
  if (!wantsLoadBalancer(svc) || svc.metadata.deletionTimestamp !== undefined) return true;
  await event(deps, svc, EVENT.ensuring);
  if (!hasFinalizer(svc)) {
    const finalizers = [...(svc.metadata.finalizers ?? []), FINALIZER];
    await deps.kube.patchService(namespace, name, { metadata: { finalizers } });
  }
  let ip: string;
  try {
    ip = await ensure(deps, svc);
  } catch (err) {
    deps.log?.(`controller: ${key}: ensure failed: ${errorText(err)}`);
    await event(deps, svc, syncFailedEnsure(errorText(err)));
    return false;
  }
  await event(deps, svc, EVENT.ensured);
  if (!sameIngress(svc, ip)) {
    await deps.kube.patchServiceStatus(namespace, name, {
      status: { loadBalancer: { ingress: [{ ip, ipMode: "VIP" }] } },
    });
  }
  deps.log?.(`controller: ${key}: ensured load balancer, ingress ${ip}`);
  return true;
}
