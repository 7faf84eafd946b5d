/**
 * The EndpointSlice controller: the same Pods as the endpoints controller sees, as one IPv4 slice
 * per Service named `<service>-<suffix>` (managed-by endpointslice-controller.k8s.io); a slice
 * whose Service is gone is removed.
 */
import { type ApiCtx, createObject, finalizeDelete, updateObject } from "../api.js";
import { canonical, type Dict, list } from "../kinds/types.js";
import type { KObj } from "../resources.js";
import { SERVICES, SLICES } from "./defs.js";
import { desiredSubsets, liveServices, selectorOf } from "./endpoints.js";
import { type ControllerDef, ofKinds } from "./loop.js";

const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
const CONTROLLER = "endpointslice-controller.k8s.io";
const SERVICE_NAME = "kubernetes.io/service-name";

/** The slice's endpoints and ports for the Endpoints subsets of the same Service. */
export function sliceEndpoints(subsets: Dict[]): { endpoints: Dict[]; ports: Dict[] } {
  const toEndpoint = (ready: boolean) => (a: Dict) => ({
    addresses: [a.ip],
    conditions: { ready, serving: ready, terminating: false },
    nodeName: a.nodeName,
    targetRef: a.targetRef,
  });
  const endpoints = subsets.flatMap((s) => [
    ...list(s, "addresses").map(toEndpoint(true)),
    ...list(s, "notReadyAddresses").map(toEndpoint(false)),
  ]);
  return { endpoints, ports: subsets[0] ? list(subsets[0], "ports") : [] };
}

function syncSlice(ctx: ApiCtx, svc: KObj, sel: Record<string, string>): void {
  const ns = svc.metadata.namespace ?? "";
  const name = svc.metadata.name ?? "";
  const { endpoints, ports } = sliceEndpoints(desiredSubsets(ctx, svc, sel));
  const labels = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: CONTROLLER, [SERVICE_NAME]: name };
  const existing = ctx.store
    .list(SLICES, ns)
    .find(
      (x) => x.metadata.labels?.[SERVICE_NAME] === name && x.metadata.labels?.[MANAGED_BY] === CONTROLLER,
    );
  const owner = { apiVersion: "v1", kind: "Service", name, uid: svc.metadata.uid };
  const body: KObj = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      ...(existing?.metadata ?? { generateName: `${name}-`, namespace: ns }),
      labels,
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
    },
    addressType: "IPv4",
    endpoints,
    ports: ports.length ? ports : null,
  };
  if (!existing) createObject(ctx, SLICES, ns, body);
  else if (
    canonical({ ...existing, metadata: null }) !== canonical({ ...body, metadata: null }) ||
    canonical(existing.metadata.labels) !== canonical(labels)
  ) {
    updateObject(ctx, SLICES, ns, existing.metadata.name ?? "", body);
  }
}

export function reconcileEndpointSlices(ctx: ApiCtx): void {
  for (const svc of liveServices(ctx)) {
    const sel = selectorOf(svc);
    if (sel) syncSlice(ctx, svc, sel);
  }
  for (const sl of ctx.store.list(SLICES)) {
    const owner = sl.metadata.labels?.[SERVICE_NAME];
    if (owner && !ctx.store.get(SERVICES, sl.metadata.namespace ?? "", owner))
      finalizeDelete(ctx, SLICES, sl);
  }
}

export const endpointSliceController: ControllerDef = {
  name: "endpointslices",
  wants: ofKinds("Pod", "Service", "Namespace"),
  reconcile: reconcileEndpointSlices,
};
