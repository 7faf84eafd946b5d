/**
 * `plsctl expose`: annotate the Service so the AKS controller creates its Private Link Service,
 * wait for it, record the result on the Service, and return what to hand to partners.
 */
import type { Context } from "../../context.js";
import {
  ANN,
  type AnnotationChanges,
  diffAnnotations,
  hasChanges,
  splitList,
} from "../../domain/annotations.js";
import { type ExposeFlags, exposeAnnotations, parseExposeFlags } from "../../domain/expose.js";
import type { Inventory } from "../../domain/inventory.js";
import type { PlsView } from "../../domain/pls.js";
import type { AliasChange, ExposeResult } from "../../domain/results.js";
import {
  checkExistingPls,
  checkRename,
  checkServiceForExpose,
  needsTypeChange,
  type ServiceView,
  serviceRef,
} from "../../domain/service.js";
import type { Kube } from "../../kube/index.js";
import {
  getService,
  isConflict,
  listLoadBalancerServices,
  patchServiceAnnotations,
} from "../../kube/services.js";
import { type ClusterRef, clusterOf, locatePlsGroup } from "../support/locate.js";
import { checkNatWithAzure } from "../support/nat-preflight.js";
import { guardExpose, letGo, type Recreation, tellPartners } from "./guards.js";
import { refuseLockedNodeGroup } from "./lockdown.js";
import { finishPartners, planPartners } from "./partners.js";
import { eventBaseline, waitForPls } from "./wait-pls.js";

export interface ExposeOptions extends ClusterRef {
  service: string;
  flags: ExposeFlags;
  wait: boolean;
  timeoutMs: number;
  record: boolean;
  /** Allow a change that makes AKS delete the PLS and create a new one (new alias, connections gone). */
  recreatePls: boolean;
  /** Put the recorded partners who lost their connection on the new PLS's visibility and auto-approval. */
  restorePartners?: boolean | undefined;
  /** Partners known elsewhere (migrate: the source cluster's inventory), merged into this cluster's. */
  inventorySeed?: Inventory | undefined;
}

/** The line partners run (src/commands/connect.ts): the `<your-…>` words are theirs to fill in. */
export function connectCommand(alias: string | undefined): string | null {
  return alias
    ? `plsctl connect --pls ${alias} --resource-group <your-resource-group> --vnet <your-vnet> --subnet <your-subnet> --request-message '<who you are>'`
    : null;
}

export function toResult(
  svc: ServiceView,
  location: { subscriptionId: string; resourceGroup: string },
  pls: PlsView | undefined,
  changed: boolean,
): ExposeResult {
  const a = svc.annotations;
  return {
    name: pls?.name ?? null,
    id: pls?.id ?? null,
    alias: pls?.alias ?? null,
    resourceGroup: pls?.resourceGroup ?? location.resourceGroup,
    subscriptionId: pls?.subscriptionId ?? location.subscriptionId,
    location: pls?.location ?? null,
    service: { namespace: svc.namespace, name: svc.name },
    loadBalancerIp: svc.ingressIps[0] ?? null,
    natIps: pls?.natIps ?? [],
    visibility: pls?.visibility ?? splitList(a[ANN.plsVisibility]),
    autoApproval: pls?.autoApproval ?? splitList(a[ANN.plsAutoApproval]),
    fqdns: pls?.fqdns ?? splitList(a[ANN.plsFqdns]),
    proxyProtocol: pls?.proxyProtocol ?? false,
    provisioningState: pls?.provisioningState ?? "NotCreated",
    changed,
    connectCommand: connectCommand(pls?.alias),
  };
}

/**
 * Writes the changed annotations — with `type: LoadBalancer` in the same patch when the Service is
 * not one yet — and on a concurrent edit (409) re-reads and re-diffs, up to 3 times.
 */
async function applyAnnotations(
  kube: Kube,
  svc: ServiceView,
  wanted: AnnotationChanges,
): Promise<{ svc: ServiceView; changed: boolean }> {
  let current = svc;
  for (let attempt = 0; ; attempt++) {
    const changes = diffAnnotations(current.annotations, wanted);
    const typeChange = needsTypeChange(current) ? ("LoadBalancer" as const) : undefined;
    if (!hasChanges(changes) && !typeChange) return { svc: current, changed: false };
    try {
      return {
        svc: await patchServiceAnnotations(kube, current, changes, current.resourceVersion, typeChange),
        changed: true,
      };
    } catch (err) {
      if (!isConflict(err) || attempt >= 2) throw err;
      current = await getService(kube, svc.namespace, svc.name);
    }
  }
}

export async function runExpose(ctx: Context, o: ExposeOptions): Promise<ExposeResult> {
  const spec = parseExposeFlags(o.flags);
  const kube = await ctx.kube();
  let svc = await getService(kube, kube.namespace, o.service);
  const ref = serviceRef(svc);
  const others = await listLoadBalancerServices(kube, svc.namespace);
  for (const n of checkServiceForExpose(svc, spec, others)) ctx.report.warn(n.message, n.hint);

  const { azure, location } = await locatePlsGroup(ctx, kube, svc, o, spec.plsResourceGroup);
  ctx.report.debug(
    `PLS resource group ${location.resourceGroup} in subscription ${location.subscriptionId} (from ${location.source})`,
  );
  await refuseLockedNodeGroup(ctx, azure, location, svc);
  const wanted = exposeAnnotations(spec);
  const { existing, recreation, refusal } = await guardExpose(
    ctx,
    azure,
    location,
    svc,
    spec,
    wanted,
    o.recreatePls,
  );
  checkExistingPls(existing, svc, spec);
  checkRename(existing?.name, spec.plsName, ref);
  await checkNatWithAzure(ctx, kube, azure, {
    location,
    svc,
    changes: diffAnnotations(svc.annotations, wanted),
    ownPlsId: existing?.id,
  });
  if (refusal) throw refusal;
  const partners = await planPartners(
    ctx,
    kube,
    svc,
    existing,
    Boolean(o.restorePartners),
    wanted,
    o.inventorySeed,
  );
  if (recreation) await letGo(ctx, azure, recreation, svc);

  const baseline = await eventBaseline(kube, svc);
  const unchanged = !needsTypeChange(svc) && !hasChanges(diffAnnotations(svc.annotations, wanted));
  if (!existing && unchanged && baseline.controllerIdle) {
    // Nothing to change and the controller is done with the Service, yet there is no PLS (deleted
    // by hand, say): the controller will not look at this Service again by itself.
    wanted[ANN.reconcileRequested] = new Date(ctx.clock.now()).toISOString();
    ctx.progress({ kind: "reconcile-requested", service: ref });
  }
  const applied = await applyAnnotations(kube, svc, wanted);
  svc = applied.svc;
  ctx.progress({ kind: "annotated", service: ref, changed: applied.changed });
  if (!o.wait) {
    ctx.progress({ kind: "not-waiting", service: ref });
    // Without a PLS, the resource group's spelling comes from ARM (node providerIDs lower-case it).
    if (!existing) await clusterOf(ctx, azure, location);
    if (recreation) tellPartners(ctx, recreation, undefined);
    const current = recreation ? undefined : existing;
    return withAliasChange(
      withRecreation(toResult(svc, location, current, applied.changed), recreation),
      await finishPartners(ctx, kube, svc, current, partners, o.inventorySeed),
    );
  }

  const { pls, service } = await waitForPls(ctx, kube, azure, {
    svc,
    location,
    baseline,
    changed: applied.changed,
    wantedName: spec.plsName,
    timeoutMs: o.timeoutMs,
  });
  svc = service;
  ctx.progress({ kind: "pls-ready", name: pls.name });
  const after: AnnotationChanges = { [ANN.reconcileRequested]: null };
  if (o.record) {
    after[ANN.recordedId] = pls.id;
    if (pls.alias) after[ANN.recordedAlias] = pls.alias;
  }
  svc = (await applyAnnotations(kube, svc, after)).svc;
  if (recreation) tellPartners(ctx, recreation, pls.alias);
  return withAliasChange(
    withRecreation(toResult(svc, location, pls, applied.changed), recreation),
    await finishPartners(ctx, kube, svc, pls, partners, o.inventorySeed),
  );
}

const withAliasChange = (result: ExposeResult, aliasChanged: AliasChange | undefined): ExposeResult =>
  aliasChanged ? { ...result, aliasChanged } : result;

/** `recreated` in the result: the PLS that went, and the partners who must be told. */
function withRecreation(result: ExposeResult, r: Recreation | undefined): ExposeResult {
  if (!r) return result;
  return {
    ...result,
    recreated: {
      previousName: r.previous.name,
      previousId: r.previous.id,
      previousAlias: r.previous.alias,
      changes: r.changes,
      mustBeTold: r.partners,
    },
  };
}
