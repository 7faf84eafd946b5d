/**
 * The namespace controller: a terminating Namespace loses its contents (deleted at once, grace 0),
 * then disappears once nothing is left in it.
 */
import { type ApiCtx, deleteObject, finalizeDelete } from "../api.js";
import { RESOURCES } from "../resources.js";
import type { StoreEvent } from "../store.js";
import { NAMESPACES } from "./defs.js";
import type { ControllerDef } from "./loop.js";

const NAMESPACED = RESOURCES.filter((x) => x.namespaced);

export function reconcileNamespaces(ctx: ApiCtx): void {
  for (const ns of ctx.store.list(NAMESPACES)) {
    if (!ns.metadata.deletionTimestamp) continue;
    const name = ns.metadata.name ?? "";
    let remaining = 0;
    for (const r of NAMESPACED) {
      for (const o of ctx.store.list(r, name)) {
        remaining++;
        if (!o.metadata.deletionTimestamp)
          deleteObject(ctx, r, name, o.metadata.name ?? "", { gracePeriodSeconds: 0 });
      }
    }
    if (remaining === 0) finalizeDelete(ctx, NAMESPACES, ns);
  }
}

/** A Namespace changed, or something left a namespace (which may now be empty). */
const wants = (e: StoreEvent) =>
  e.resource.kind === "Namespace" || (e.type === "DELETED" && e.resource.namespaced);

export const namespaceController: ControllerDef = {
  name: "namespace",
  wants,
  reconcile: reconcileNamespaces,
};
