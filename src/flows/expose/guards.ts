/**
 * What `expose` checks in Azure before it writes, beyond the NAT preflight: the Service's own PLS
 * (found by its frontend only), a name already in use elsewhere, the rules that make AKS refuse a
 * new PLS (IP-based backend pools, an IPv6 frontend on the load balancer), and changes that would
 * make AKS delete the PLS and create a new one (src/domain/teardown.ts) — refused unless
 * `--recreate-pls` says so.
 */

import { removeConnection } from "../../azure/connections.js";
import type { Azure } from "../../azure/index.js";
import { deletePls, loadBalancerFrontends } from "../../azure/pls.js";
import type { Context } from "../../context.js";
import { ANN, type AnnotationChanges, isInternal } from "../../domain/annotations.js";
import { type ConnectionSummary, summarizeConnection } from "../../domain/connections.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";
import type { ExposeSpec } from "../../domain/expose.js";
import { OWNER_TAG, type PlsView } from "../../domain/pls.js";
import { checkBackendPoolType, checkNameInUse, checkNoIpv6Frontend } from "../../domain/pls-guards.js";
import { defaultPlsName, parseResourceId } from "../../domain/resource-id.js";
import { checkResourceGroupChange, type ServiceView, serviceRef } from "../../domain/service.js";
import { partnerList, recreateRefusal, recreatingChanges } from "../../domain/teardown.js";
import {
  clusterOf,
  EXTERNAL_LB,
  INTERNAL_LB,
  lookupServicePls,
  type PlsLocation,
} from "../support/locate.js";

/** A PLS `expose --recreate-pls` lets go: who must be told. */
export interface Recreation {
  previous: { name: string; id: string; alias: string | null };
  changes: string[];
  /** Partners whose connections go with it: they must connect again to the new alias. */
  partners: ConnectionSummary[];
  /** A move to another resource group: plsctl deletes the old PLS itself (AKS would not). */
  deleteFirst: boolean;
  pls: PlsView;
}

export interface Guarded {
  existing: PlsView | undefined;
  recreation: Recreation | undefined;
  /** The refusal of a recreating change, thrown after the input checks (a bad subnet says more). */
  refusal?: PlsctlError;
}

const live = (c: ConnectionSummary) => c.status !== "Disconnected" && c.status !== "Rejected";

/** The name the controller will give the PLS (getPrivateLinkServiceName) once the annotations are written. */
function wantedName(svc: ServiceView, spec: ExposeSpec): string {
  return (
    spec.plsName ??
    svc.annotations[ANN.plsName]?.trim() ??
    defaultPlsName(svc.uid, spec.internalSubnet ?? svc.annotations[ANN.internalSubnet])
  );
}

/** The resource group the Service's PLS is in now, when `--pls-resource-group` names another one. */
function movedFrom(svc: ServiceView, location: PlsLocation, spec: ExposeSpec): string | undefined {
  if (!spec.plsResourceGroup) return undefined;
  const recorded = svc.annotations[ANN.recordedId];
  const current =
    svc.annotations[ANN.plsResourceGroup]?.trim() ||
    (recorded ? parseResourceId(recorded)?.resourceGroup : undefined) ||
    location.nodeResourceGroup;
  return current.toLowerCase() === spec.plsResourceGroup.toLowerCase() ? undefined : current;
}

function moveRefusal(svc: ServiceView, from: string, to: string, pls: PlsView): PlsctlError {
  const partners = pls.connections.map(summarizeConnection).filter(live);
  return new PlsctlError(
    `Service ${serviceRef(svc)} already has its Private Link Service in resource group ${from}; AKS cannot move it to ${to} (it would try to create a second one on the same frontend, which Azure refuses). Moving it means a new PLS: alias ${pls.alias ?? "(unknown)"} would change${partners.length ? `, and these partners would lose access: ${partnerList(partners)}` : ""}.`,
    {
      exitCode: ExitCode.Usage,
      code: "PlsMoveNotSupported",
      hint: `Keep --pls-resource-group ${from}; or re-run with --recreate-pls: plsctl then deletes the old PLS (its connections first) and AKS creates a new one in ${to}.`,
    },
  );
}

async function checkNewPls(
  ctx: Context,
  azure: Azure,
  location: PlsLocation,
  svc: ServiceView,
  spec: ExposeSpec,
) {
  const cluster = await clusterOf(ctx, azure, location);
  if (cluster) checkBackendPoolType(cluster);
  const internal = spec.makeInternal || isInternal(svc.annotations);
  const lb = internal ? INTERNAL_LB : EXTERNAL_LB;
  const frontends = await loadBalancerFrontends(
    azure,
    location.subscriptionId,
    location.nodeResourceGroup,
    lb,
  ).catch((err: unknown) => {
    // Not allowed to read it: the controller's own error will say so, if it comes to that.
    if (!(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) throw err;
    ctx.report.debug(`cannot check ${lb} for IPv6 frontends: ${err.message}`);
    return [];
  });
  checkNoIpv6Frontend(
    lb,
    frontends.filter((f) => f.ipVersion === "IPv6").map((f) => f.name),
  );
}

export async function guardExpose(
  ctx: Context,
  azure: Azure,
  location: PlsLocation,
  svc: ServiceView,
  spec: ExposeSpec,
  wanted: AnnotationChanges,
  recreate: boolean,
): Promise<Guarded> {
  const from = movedFrom(svc, location, spec);
  if (from && spec.plsResourceGroup) {
    const old = await lookupServicePls(azure, { ...location, resourceGroup: from }, svc);
    if (old.pls) {
      if (!recreate) throw moveRefusal(svc, from, spec.plsResourceGroup, old.pls);
      const change = `azure-pls-resource-group "${from}" → "${spec.plsResourceGroup}"`;
      return { existing: undefined, recreation: recreation(old.pls, [change], true) };
    }
    if (!recreate) checkResourceGroupChange(svc, spec.plsResourceGroup, svc.annotations[ANN.recordedId]);
  }
  const name = wantedName(svc, spec);
  const { pls: existing, lookalikes } = await lookupServicePls(azure, location, svc, name);
  if (!existing) {
    checkNameInUse(name, location.resourceGroup, lookalikes, { service: svc.name, namespace: svc.namespace });
    await checkNewPls(ctx, azure, location, svc, spec);
    return { existing, recreation: undefined };
  }
  const changes = recreatingChanges(svc.annotations, wanted);
  if (changes.length === 0) return { existing, recreation: undefined };
  if (!recreate) {
    const refusal = recreateRefusal(existing, changes, existing.connections.map(summarizeConnection));
    return { existing, recreation: undefined, refusal };
  }
  return { existing, recreation: recreation(existing, changes, false) };
}

function recreation(pls: PlsView, changes: string[], deleteFirst: boolean): Recreation {
  return {
    previous: { name: pls.name, id: pls.id, alias: pls.alias ?? null },
    changes,
    partners: pls.connections.map(summarizeConnection).filter(live),
    deleteFirst,
    pls,
  };
}

/** Who must be told, one line each (stderr). */
export function tellPartners(ctx: Context, r: Recreation, newAlias: string | undefined): void {
  const alias = newAlias ? `the new alias ${newAlias}` : "the new alias (plsctl status prints it)";
  for (const c of r.partners) {
    ctx.report.warn(
      `Tell subscription ${c.requesterSubscription ?? "unknown"}: its connection ${c.name} (${c.status}) to ${r.previous.alias ?? r.previous.name} is gone; it must connect again to ${alias}.`,
    );
  }
}

/**
 * `--recreate-pls`: says what goes, and — for a move to another resource group, which AKS cannot
 * do itself — deletes the old PLS (its connections first, as the controller's safeDeletePLS does).
 * Only a PLS on the Service's own frontend and tagged for this Service gets here.
 */
export async function letGo(ctx: Context, azure: Azure, r: Recreation, svc: ServiceView): Promise<void> {
  ctx.report.warn(
    `--recreate-pls: AKS will delete Private Link Service ${r.previous.name} (alias ${r.previous.alias ?? "unknown"}) and create a new one (${r.changes.join("; ")}); ${r.partners.length ? `${r.partners.length} partner connection(s) go with it: ${partnerList(r.partners)}` : "no partner is connected now"}.`,
  );
  if (!r.deleteFirst) return;
  if (r.pls.tags[OWNER_TAG]?.toLowerCase() !== serviceRef(svc).toLowerCase()) {
    throw new PlsctlError(
      `Private Link Service ${r.pls.name} is on the frontend of ${serviceRef(svc)} but belongs to Service ${r.pls.tags[OWNER_TAG] ?? "(none)"}; plsctl does not delete it.`,
      {
        exitCode: ExitCode.Usage,
        code: "OwnedByAnotherService",
        hint: "Move it through the Service that owns it.",
      },
    );
  }
  for (const c of r.pls.connections) {
    ctx.progress({ kind: "removing-connection", name: c.name });
    await removeConnection(azure, r.pls, c.name);
  }
  ctx.progress({ kind: "deleting-pls", name: r.pls.name });
  await deletePls(azure, r.pls);
}
