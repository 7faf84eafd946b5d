/**
 * The endpoints controller: the Endpoints of every Service with a selector follow its Pods (ready
 * ones in `addresses`, others in `notReadyAddresses`, grouped by their resolved ports), outside
 * terminating namespaces; an Endpoints whose Service is gone is removed.
 */
import { type ApiCtx, createObject, finalizeDelete, updateObject } from "../api.js";
import { canonical, type Dict, isDict, list } from "../kinds/types.js";
import type { KObj } from "../resources.js";
import { matchLabels } from "../selectors.js";
import { ENDPOINTS, NAMESPACES, PODS, SERVICES, stamp } from "./defs.js";
import { type ControllerDef, ofKinds } from "./loop.js";

function podReady(p: KObj): boolean {
  const st = (p.status as Dict) ?? {};
  return (
    !p.metadata.deletionTimestamp &&
    list(st, "conditions").some((c) => c.type === "Ready" && c.status === "True")
  );
}

/** The selector of a Service the controller manages (none: ExternalName, or no selector). */
export function selectorOf(svc: KObj): Record<string, string> | undefined {
  const sp = (svc.spec as Dict) ?? {};
  const sel = isDict(sp.selector) ? (sp.selector as Record<string, string>) : undefined;
  if (!sel || Object.keys(sel).length === 0 || sp.type === "ExternalName") return undefined;
  return sel;
}

/** The Services whose endpoints are kept: those outside terminating namespaces. */
export function liveServices(ctx: ApiCtx): KObj[] {
  const terminating = new Set(
    ctx.store
      .list(NAMESPACES)
      .filter((n) => n.metadata.deletionTimestamp)
      .map((n) => n.metadata.name),
  );
  return ctx.store.list(SERVICES).filter((s) => !terminating.has(s.metadata.namespace));
}

/** The Service's ports as this Pod serves them (a named targetPort resolved on its containers). */
function podPorts(svc: KObj, p: KObj): Dict[] {
  const containerPorts = list((p.spec as Dict) ?? {}, "containers").flatMap((c) => list(c, "ports"));
  const ports: Dict[] = [];
  for (const sp of list((svc.spec as Dict) ?? {}, "ports")) {
    const tp = sp.targetPort;
    const port = typeof tp === "string" ? containerPorts.find((c) => c.name === tp)?.containerPort : tp;
    if (port === undefined) continue;
    const e: Dict = { port, protocol: sp.protocol ?? "TCP" };
    if (sp.name) e.name = sp.name;
    ports.push(e);
  }
  return ports;
}

const addressOf = (p: KObj, ip: unknown) => ({
  ip,
  nodeName: (p.spec as Dict)?.nodeName,
  targetRef: { kind: "Pod", namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
});

/** The Endpoints subsets of a Service with selector `sel`, from the Pods in the store. */
export function desiredSubsets(ctx: ApiCtx, svc: KObj, sel: Record<string, string>): Dict[] {
  const reqs = Object.entries(sel).map(([key, v]) => ({ key, op: "=" as const, values: [v] as [string] }));
  const groups = new Map<string, { ports: Dict[]; addresses: Dict[]; notReadyAddresses: Dict[] }>();
  for (const p of ctx.store.list(PODS, svc.metadata.namespace)) {
    const st = (p.status as Dict) ?? {};
    if (!matchLabels(reqs, p.metadata.labels) || !st.podIP) continue;
    const ports = podPorts(svc, p);
    if (ports.length === 0) continue;
    const key = JSON.stringify(ports);
    const g = groups.get(key) ?? { ports, addresses: [], notReadyAddresses: [] };
    (podReady(p) ? g.addresses : g.notReadyAddresses).push(addressOf(p, st.podIP));
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const s: Dict = {};
    if (g.addresses.length) s.addresses = g.addresses;
    if (g.notReadyAddresses.length) s.notReadyAddresses = g.notReadyAddresses;
    s.ports = g.ports;
    return s;
  });
}

function syncEndpoints(ctx: ApiCtx, svc: KObj, sel: Record<string, string>): void {
  const ns = svc.metadata.namespace ?? "";
  const name = svc.metadata.name ?? "";
  const subsets = desiredSubsets(ctx, svc, sel);
  const labels = { ...(svc.metadata.labels ?? {}) };
  if ((svc.spec as Dict)?.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  const cur = ctx.store.get(ENDPOINTS, ns, name);
  const body: KObj = { apiVersion: "v1", kind: "Endpoints", metadata: { name, namespace: ns, labels } };
  if (subsets.length) body.subsets = subsets;
  const trigger = { "endpoints.kubernetes.io/last-change-trigger-time": stamp(ctx.now()) };
  if (!cur) {
    body.metadata.annotations = trigger;
    createObject(ctx, ENDPOINTS, ns, body);
  } else if (
    canonical(cur.subsets) !== canonical(body.subsets) ||
    canonical(cur.metadata.labels ?? {}) !== canonical(labels)
  ) {
    updateObject(ctx, ENDPOINTS, ns, name, {
      ...body,
      metadata: { ...cur.metadata, labels, annotations: trigger },
    });
  }
}

export function reconcileEndpoints(ctx: ApiCtx): void {
  for (const svc of liveServices(ctx)) {
    const sel = selectorOf(svc);
    if (sel) syncEndpoints(ctx, svc, sel);
  }
  for (const ep of ctx.store.list(ENDPOINTS)) {
    const ns = ep.metadata.namespace ?? "";
    if (!ctx.store.get(SERVICES, ns, ep.metadata.name ?? "")) finalizeDelete(ctx, ENDPOINTS, ep);
  }
}

export const endpointsController: ControllerDef = {
  name: "endpoints",
  wants: ofKinds("Pod", "Service", "Namespace"),
  reconcile: reconcileEndpoints,
};
