/**
 * `plsctl unexpose`: AKS never deletes a PLS when azure-pls-create is removed, so this does the
 * whole job — annotations off (so the controller cannot recreate it), connections removed, PLS
 * deleted — for the PLS this Service owns, never another Service's.
 */
import { removeConnection } from "../azure/connections.js";
import { deletePls } from "../azure/pls.js";
import type { Context } from "../context.js";
import {
  ANN,
  type AnnotationChanges,
  diffAnnotations,
  hasChanges,
  PLS_ANNOTATIONS,
} from "../domain/annotations.js";
import { type ConnectionSummary, summarizeConnection } from "../domain/connections.js";
import { ExitCode, PlsctlError } from "../domain/errors.js";
import { OWNER_TAG } from "../domain/pls.js";
import type { UnexposeResult } from "../domain/results.js";
import { serviceRef } from "../domain/service.js";
import { getService, patchServiceAnnotations } from "../kube/services.js";
import { type ClusterRef, locatePlsGroup, lookupServicePls } from "./support/locate.js";
import { lookalikeNote } from "./support/lookalikes.js";

export interface UnexposeOptions extends ClusterRef {
  service: string;
  force: boolean;
}

const live = (c: ConnectionSummary) => c.status !== "Disconnected" && c.status !== "Rejected";

export async function runUnexpose(ctx: Context, o: UnexposeOptions): Promise<UnexposeResult> {
  const kube = await ctx.kube();
  const svc = await getService(kube, kube.namespace, o.service);
  const ref = serviceRef(svc);
  const { azure, location } = await locatePlsGroup(ctx, kube, svc, o);
  // Only the PLS on the Service's own frontend is ever touched (see lookupServicePls).
  const { pls, lookalikes } = await lookupServicePls(azure, location, svc);
  const note = lookalikeNote(svc, lookalikes);
  if (note) ctx.report.warn(note.message, note.hint);
  const owned = pls !== undefined && pls.tags[OWNER_TAG]?.toLowerCase() === ref.toLowerCase();
  if (pls && !owned) {
    ctx.report.warn(
      `Private Link Service ${pls.name} belongs to ${pls.tags[OWNER_TAG] ?? "no Service of this cluster"}, not ${ref}; leaving it in place.`,
    );
  }
  const connections = owned ? pls.connections : [];
  const summaries = connections.map(summarizeConnection);
  const active = summaries.filter(live);
  if (active.length > 0 && !o.force) {
    throw new PlsctlError(
      `Private Link Service ${pls?.name} still has ${active.length} active connection(s): ${active.map((c) => `${c.name} (${c.status}, subscription ${c.requesterSubscription ?? "?"})`).join(", ")}.`,
      {
        exitCode: ExitCode.Usage,
        code: "HasConnections",
        hint: "Those partners would lose access. Re-run with --force to remove the connections and the PLS.",
      },
    );
  }
  for (const c of active) {
    ctx.report.warn(
      `${c.requesterSubscription ?? "unknown subscription"} loses access: connection ${c.name} (endpoint ${c.privateEndpointId ?? "?"}).`,
    );
  }

  const wanted: AnnotationChanges = Object.fromEntries(
    [...PLS_ANNOTATIONS, ANN.recordedId, ANN.recordedAlias, ANN.reconcileRequested].map((k) => [k, null]),
  );
  const changes = diffAnnotations(svc.annotations, wanted);
  if (hasChanges(changes)) {
    ctx.progress({ kind: "removing-annotations", service: ref });
    await patchServiceAnnotations(kube, svc, changes);
  }
  if (owned) {
    for (const c of connections) {
      ctx.progress({ kind: "removing-connection", name: c.name });
      await removeConnection(azure, pls, c.name);
    }
    ctx.progress({ kind: "deleting-pls", name: pls.name });
    await deletePls(azure, pls);
  }
  const changed = hasChanges(changes) || owned;
  ctx.progress({ kind: "unexposed", service: ref, changed });
  return {
    service: { namespace: svc.namespace, name: svc.name },
    removedAnnotations: Object.keys(changes),
    pls: pls ? { name: pls.name, id: pls.id } : null,
    deletedConnections: summaries,
    plsDeleted: owned,
    changed,
  };
}
