/**
 * The Private Link Service side: room on the load balancer (Azure allows 8 PLSs per Standard load
 * balancer: learn.microsoft.com/azure/private-link/private-link-service-overview, limits), the PLS
 * name free or this Service's, visibility and auto-approval coherent, proxy protocol with
 * `externalTrafficPolicy: Local`, and the controller's last `SyncLoadBalancerFailed` in words.
 */
import { listPls } from "../../azure/pls.js";
import { ANN, isTrue, splitList } from "../../domain/annotations.js";
import { controllerCause, explainControllerFailure } from "../../domain/controller-errors.js";
import { SYNC_FAILED, warningsSinceLastSuccess } from "../../domain/controller-sync.js";
import { type Finding, fail, pass, warn } from "../../domain/doctor.js";
import { OWNER_TAG, type PlsView } from "../../domain/pls.js";
import { defaultPlsName } from "../../domain/resource-id.js";
import { serviceRef } from "../../domain/service.js";
import { listServiceEvents } from "../../kube/events.js";
import { findPlsForService, INTERNAL_LB } from "../support/locate.js";
import { frontendWhere } from "../support/lookalikes.js";
import type { Facts } from "./facts.js";

const MAX_PLS_PER_LB = 8;

/** The PLSs of the PLS resource group (and the node resource group, where AKS puts them by default). */
async function plsAround(f: Facts): Promise<PlsView[]> {
  const { azure, location } = await f.dep("azure.location", f.located);
  const groups = new Set([location.resourceGroup.toLowerCase(), location.nodeResourceGroup.toLowerCase()]);
  const out: PlsView[] = [];
  for (const g of groups) out.push(...(await listPls(azure, location.subscriptionId, g)));
  return out;
}

async function ownPls(f: Facts): Promise<PlsView | undefined> {
  const svc = await f.dep("service.exists", f.service);
  const { azure, location } = await f.dep("azure.location", f.located);
  return findPlsForService(azure, location, svc);
}

export async function plsCount(f: Facts): Promise<Finding> {
  const { location } = await f.dep("azure.location", f.located);
  const lbId =
    `/subscriptions/${location.subscriptionId}/resourceGroups/${location.nodeResourceGroup}/providers/Microsoft.Network/loadBalancers/${INTERNAL_LB}/`.toLowerCase();
  const onLb = (await plsAround(f)).filter((p) =>
    p.frontendIds.some((id) => id.toLowerCase().startsWith(lbId)),
  );
  const own = f.o.service ? await ownPls(f).catch(() => undefined) : undefined;
  const n = onLb.length;
  if (n < MAX_PLS_PER_LB || (own && onLb.some((p) => p.id === own.id))) {
    return pass(`${n} of ${MAX_PLS_PER_LB} Private Link Services on load balancer ${INTERNAL_LB}.`);
  }
  return fail(
    `Load balancer ${INTERNAL_LB} already carries ${n} Private Link Services, Azure's limit of ${MAX_PLS_PER_LB} per load balancer: a new one is refused.`,
    "Share an existing frontend (give the Service the same loadBalancerIP as an exposed one), or remove PLSs no longer used: plsctl unexpose <service>.",
  );
}

export async function plsName(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const name =
    svc.annotations[ANN.plsName]?.trim() || defaultPlsName(svc.uid, svc.annotations[ANN.internalSubnet]);
  const { location } = await f.dep("azure.location", f.located);
  const taken = (await plsAround(f)).find(
    (p) =>
      p.name.toLowerCase() === name.toLowerCase() &&
      p.resourceGroup.toLowerCase() === location.resourceGroup.toLowerCase(),
  );
  if (!taken) return pass(`${name} is free in resource group ${location.resourceGroup}.`);
  // Only the Service's own frontend proves the PLS is its: tags are the same on every AKS cluster.
  const mine = (await ownPls(f).catch(() => undefined))?.id.toLowerCase() === taken.id.toLowerCase();
  if (mine)
    return pass(`${name} exists and belongs to ${serviceRef(svc)} (it is on its load balancer frontend).`);
  const owner = taken.tags[OWNER_TAG];
  return fail(
    `A Private Link Service named ${name} already exists in ${location.resourceGroup} on another load balancer frontend (${frontendWhere(taken)}${owner ? `, tagged for Service ${owner}` : ""}): it is not this Service's, and the AKS controller refuses a name already used by a PLS on another frontend.`,
    `Pick another name: plsctl expose ${svc.name} -n ${svc.namespace} --pls-name <free name>`,
  );
}

export async function plsVisibility(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const pls = await ownPls(f).catch(() => undefined);
  const visibility = pls?.visibility ?? splitList(svc.annotations[ANN.plsVisibility]);
  const auto = pls?.autoApproval ?? splitList(svc.annotations[ANN.plsAutoApproval]);
  const from = pls ? `Private Link Service ${pls.name}` : "the Service's annotations";
  const unseen = visibility.includes("*")
    ? []
    : auto.filter((s) => !visibility.some((v) => v.toLowerCase() === s.toLowerCase()));
  if (unseen.length > 0) {
    return warn(
      `Auto-approval for ${unseen.join(", ")} has no effect (from ${from}): Azure auto-approves only subscriptions that can see the PLS.`,
      `plsctl expose ${svc.name} -n ${svc.namespace} ${unseen.map((s) => `--visibility ${s}`).join(" ")}`,
    );
  }
  if (visibility.length === 0) {
    return warn(
      `Visible to no subscription (from ${from}): only principals with rights on the PLS itself can connect; a partner's endpoint is refused as "not visible".`,
      `plsctl expose ${svc.name} -n ${svc.namespace} --visibility <partner subscription id>`,
    );
  }
  return pass(
    `Visible to ${visibility.join(", ")}; auto-approved: ${auto.join(", ") || "none (every connection waits for approval)"} (from ${from}).`,
  );
}

export async function proxyProtocol(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const on = isTrue(svc.annotations[ANN.plsProxyProtocol]);
  const probes = Object.keys(svc.annotations).some((k) =>
    k.startsWith("service.beta.kubernetes.io/azure-load-balancer-health-probe-"),
  );
  const etp = svc.externalTrafficPolicy ?? "Cluster";
  if (!on) return pass(`Proxy protocol off (externalTrafficPolicy: ${etp}).`);
  if (etp !== "Local" || probes) {
    return pass(
      `Proxy protocol on with externalTrafficPolicy: ${etp}${probes ? " and custom health-probe annotations" : ""}; the app must read PROXY v2 headers.`,
    );
  }
  return warn(
    "Proxy protocol with externalTrafficPolicy: Local: the load balancer's health probes then carry PROXY headers that kube-proxy's health check rejects, so every backend can look down.",
    "Set custom probe annotations (service.beta.kubernetes.io/azure-load-balancer-health-probe-*), or use externalTrafficPolicy: Cluster.",
  );
}

export async function syncEvents(f: Facts): Promise<Finding> {
  const svc = await f.dep("service.exists", f.service);
  const { events } = await listServiceEvents(await f.kube(), svc);
  const failed = warningsSinceLastSuccess(events).filter((e) => e.reason === SYNC_FAILED);
  const last = failed[failed.length - 1];
  if (!last) {
    return pass(
      events.some((e) => e.reason === SYNC_FAILED)
        ? "The controller's last sync succeeded (earlier failures are resolved)."
        : "No SyncLoadBalancerFailed events.",
    );
  }
  return fail(
    `The AKS controller's last sync failed${last.count > 1 ? ` (${last.count} times)` : ""}: ${controllerCause(last.message)}`,
    explainControllerFailure(last.message) ??
      `See the whole message: kubectl describe service ${svc.name} -n ${svc.namespace}`,
  );
}
