/** `plsctl status`: the Service, its PLS, every connection, and recent warnings. */
import type { Context } from "../context.js";
import { plsRequested } from "../domain/annotations.js";
import { summarizeConnection } from "../domain/connections.js";
import { controllerCause, explainControllerFailure } from "../domain/controller-errors.js";
import { lastSync, SYNC_FAILED, warningsSinceLastSuccess } from "../domain/controller-sync.js";
import { ExitCode, PlsctlError } from "../domain/errors.js";
import { missingPartners } from "../domain/inventory.js";
import { defaultPolicyName } from "../domain/netpol.js";
import { networkPolicyDrift, recordedAllowCidrs } from "../domain/netpol-compare.js";
import type { StatusResult } from "../domain/results.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import { listServiceEvents } from "../kube/events.js";
import { type ExistingPolicy, listPlsctlNetworkPolicies } from "../kube/netpol.js";
import { getService, nodeProviderIds } from "../kube/services.js";
import { toResult } from "./expose/index.js";
import { recordObserved } from "./support/inventory.js";
import { type ClusterRef, locatePlsGroup, lookupServicePls } from "./support/locate.js";
import { lookalikeNote } from "./support/lookalikes.js";

/** At most this many warnings, the newest. */
const MAX_WARNINGS = 10;

export interface StatusOptions extends ClusterRef {
  service: string;
}

export async function runStatus(ctx: Context, o: StatusOptions): Promise<StatusResult> {
  const kube = await ctx.kube();
  // The reads that need only the Service's name go out with the Service's: one round trip less.
  // Each one's failure shows where it is awaited, in the order it always did.
  const providerIds = o.cluster ? undefined : started(nodeProviderIds(kube));
  const policiesRead = started(listPlsctlNetworkPolicies(kube, kube.namespace, o.service));
  started(ctx.azure()); // the Azure adapter loads and is set up while those requests are out
  const svc = await getService(kube, kube.namespace, o.service);
  const { azure, location } = await locatePlsGroup(ctx, kube, svc, o, undefined, providerIds);
  // The events' request first: the PLS look-up sets up the network client before its own goes out.
  const [{ events }, { pls, lookalikes }, policies] = await Promise.all([
    listServiceEvents(kube, svc),
    lookupServicePls(azure, location, svc),
    policiesRead,
  ]);
  const note = lookalikeNote(svc, lookalikes);
  if (note) ctx.report.warn(note.message, note.hint);
  if (!pls) {
    const last = lastSync(events);
    const failure = last?.reason === SYNC_FAILED ? last : undefined;
    const requested = plsRequested(svc.annotations);
    const where = `looked in resource group ${location.resourceGroup}`;
    throw new PlsctlError(
      requested
        ? `Service ${serviceRef(svc)} asks for a Private Link Service, but there is none yet (${where}).`
        : `Service ${serviceRef(svc)} has no Private Link Service (${where}).`,
      {
        exitCode: ExitCode.NotFound,
        code: "PlsNotFound",
        hint: !requested
          ? `Create one with: plsctl expose ${svc.name} -n ${svc.namespace}`
          : failure
            ? `The AKS controller's last error: ${controllerCause(failure.message)}. ${explainControllerFailure(failure.message) ?? ""}`.trim()
            : `The controller may still be creating it; wait for it with: plsctl expose ${svc.name} -n ${svc.namespace}`,
      },
    );
  }
  const { changed: _, ...result } = toResult(svc, location, pls, false);
  const connections = pls.connections.map(summarizeConnection);
  const inventory = await recordObserved(ctx, kube, svc, pls);
  return {
    ...result,
    connections,
    partners: inventory?.partners ?? null,
    missingPartners: inventory ? missingPartners(inventory, pls.id, connections) : [],
    warnings: warningsSinceLastSuccess(events)
      .slice(-MAX_WARNINGS)
      .map((e) => ({ reason: e.reason, message: e.message, count: e.count, lastSeen: e.lastSeen ?? null })),
    policyWarnings: policyWarnings(svc, pls.natIps, policies ?? []),
  };
}

/** A request started before its answer is needed: its failure counts only where it is awaited. */
function started<T>(request: Promise<T>): Promise<T> {
  request.catch(() => {});
  return request;
}

/** plsctl's applied NetworkPolicies for the Service that no longer match its PLS or its ports. */
function policyWarnings(svc: ServiceView, natIps: string[], policies: ExistingPolicy[]) {
  return policies.flatMap((p) => {
    const reasons = networkPolicyDrift(p, { natIps, ports: svc.ports ?? [], selector: svc.selector });
    if (!reasons.length) return [];
    const fix = [
      `plsctl netpol ${svc.name} -n ${svc.namespace} --apply`,
      ...(p.name !== defaultPolicyName(svc.name) ? [`--name ${p.name}`] : []),
      ...recordedAllowCidrs(p.annotations).map((c) => `--allow-cidr ${c}`),
    ].join(" ");
    const policy = `${svc.namespace}/${p.name}`;
    return [{ policy, message: `NetworkPolicy ${policy} is out of date: it ${reasons.join("; ")}.`, fix }];
  });
}
