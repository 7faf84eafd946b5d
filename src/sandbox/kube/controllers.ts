/**
 * The in-cluster controllers a user of `kubectl` relies on, emulated on top of the store:
 * - scheduler + kubelet: a new Pod is bound to the node with the fewest pods, gets an IP from that
 *   node's podCIDR (10.244.<n>.0/24, kubenet as on AKS) and runs (Ready) right away; a gracefully
 *   deleted Pod is removed once "terminated" (immediately);
 * - endpoints controller: Endpoints of every Service with a selector follow the ready Pods;
 * - namespace controller: a terminating Namespace loses its contents, then disappears.
 * Work is coalesced and runs on the next turn of the event loop, never inside a request.
 */
import { randomBytes } from "node:crypto";
import { type ApiCtx, createObject, deleteObject, finalizeDelete, updateObject } from "./api.js";
import { canonical, type Dict, intToIp, ipToInt, isDict, list } from "./kinds/types.js";
import { findResource, type KObj, RESOURCES, type ResourceDef } from "./resources.js";
import { matchLabels } from "./selectors.js";

function must(plural: string): ResourceDef {
  const r = findResource("", "v1", plural);
  if (!r) throw new Error(`resource ${plural} missing`);
  return r;
}

const stamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

export function startControllers(ctx: ApiCtx, log: (line: string) => void): { stop(): void; kick(): void } {
  const pods = must("pods");
  const nodes = must("nodes");
  const services = must("services");
  const endpoints = must("endpoints");
  const namespaces = must("namespaces");
  const slices = findResource("discovery.k8s.io", "v1", "endpointslices") ?? must("endpoints");
  let timer: NodeJS.Immediate | undefined;
  let stopped = false;

  function schedule(): void {
    if (stopped || timer) return;
    timer = setImmediate(() => {
      timer = undefined;
      reconcile();
    });
  }

  function runPod(pod: KObj): void {
    const sp = pod.spec as Dict;
    const all = ctx.store.list(pods);
    const nodeList = ctx.store.list(nodes);
    let node = nodeList.find((n) => n.metadata.name === sp.nodeName);
    if (!node) {
      const load = (n: KObj) => all.filter((p) => (p.spec as Dict)?.nodeName === n.metadata.name).length;
      node = [...nodeList].sort((a, b) => load(a) - load(b))[0];
    }
    if (!node) return;
    const cidr = String((node.spec as Dict)?.podCIDR ?? "10.244.0.0/24").split("/")[0] ?? "10.244.0.0";
    const used = new Set(all.map((p) => String((p.status as Dict | undefined)?.podIP ?? "")));
    let ip = "";
    for (let i = 4; i < 255 && !ip; i++) {
      const cand = intToIp(ipToInt(cidr) + i);
      if (!used.has(cand)) ip = cand;
    }
    const hostIp = list((node.status as Dict) ?? {}, "addresses").find(
      (a) => a.type === "InternalIP",
    )?.address;
    const now = stamp(ctx.now());
    const containers = list(sp, "containers");
    const cond = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
    const next = structuredClone(pod);
    (next.spec as Dict).nodeName = node.metadata.name;
    next.status = {
      phase: "Running",
      conditions: [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
      ].map(cond),
      hostIP: hostIp,
      hostIPs: [{ ip: hostIp }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      qosClass: "BestEffort",
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `${String(c.image).split(":")[0]}@sha256:${randomBytes(32).toString("hex")}`,
        containerID: `containerd://${randomBytes(32).toString("hex")}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: now } },
        lastState: {},
      })),
    };
    // The scheduler's binding (spec.nodeName) and the kubelet's status write, as one system write.
    ctx.store.put(pods, next, "MODIFIED");
  }

  function kubelet(): void {
    for (const pod of ctx.store.list(pods)) {
      if (pod.metadata.deletionTimestamp) {
        if (!pod.metadata.finalizers?.length) finalizeDelete(ctx, pods, pod);
        continue;
      }
      const st = pod.status as Dict | undefined;
      if (!(pod.spec as Dict)?.nodeName || st?.phase === "Pending") runPod(pod);
    }
  }

  function podReady(p: KObj): boolean {
    const st = (p.status as Dict) ?? {};
    return (
      !p.metadata.deletionTimestamp &&
      list(st, "conditions").some((c) => c.type === "Ready" && c.status === "True")
    );
  }

  function desiredSubsets(svc: KObj, sel: Record<string, string>): Dict[] {
    const reqs = Object.entries(sel).map(([key, v]) => ({ key, op: "=" as const, values: [v] as [string] }));
    const groups = new Map<string, { ports: Dict[]; addresses: Dict[]; notReadyAddresses: Dict[] }>();
    for (const p of ctx.store.list(pods, svc.metadata.namespace)) {
      const st = (p.status as Dict) ?? {};
      if (!matchLabels(reqs, p.metadata.labels) || !st.podIP) continue;
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
      if (ports.length === 0) continue;
      const key = JSON.stringify(ports);
      const g = groups.get(key) ?? { ports, addresses: [], notReadyAddresses: [] };
      const addr = {
        ip: st.podIP,
        nodeName: (p.spec as Dict)?.nodeName,
        targetRef: {
          kind: "Pod",
          namespace: p.metadata.namespace,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      };
      (podReady(p) ? g.addresses : g.notReadyAddresses).push(addr);
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

  function endpointsController(): void {
    const terminating = new Set(
      ctx.store
        .list(namespaces)
        .filter((n) => n.metadata.deletionTimestamp)
        .map((n) => n.metadata.name),
    );
    const svcs = ctx.store.list(services).filter((s) => !terminating.has(s.metadata.namespace));
    for (const svc of svcs) {
      const sp = (svc.spec as Dict) ?? {};
      const sel = isDict(sp.selector) ? (sp.selector as Record<string, string>) : undefined;
      if (!sel || Object.keys(sel).length === 0 || sp.type === "ExternalName") continue;
      const ns = svc.metadata.namespace ?? "";
      const name = svc.metadata.name ?? "";
      const subsets = desiredSubsets(svc, sel);
      const labels = { ...(svc.metadata.labels ?? {}) };
      if (sp.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
      const cur = ctx.store.get(endpoints, ns, name);
      const body: KObj = { apiVersion: "v1", kind: "Endpoints", metadata: { name, namespace: ns, labels } };
      if (subsets.length) body.subsets = subsets;
      if (!cur) {
        body.metadata.annotations = { "endpoints.kubernetes.io/last-change-trigger-time": stamp(ctx.now()) };
        createObject(ctx, endpoints, ns, body);
      } else if (
        canonical(cur.subsets) !== canonical(body.subsets) ||
        canonical(cur.metadata.labels ?? {}) !== canonical(labels)
      ) {
        updateObject(ctx, endpoints, ns, name, {
          ...body,
          metadata: {
            ...cur.metadata,
            labels,
            annotations: { "endpoints.kubernetes.io/last-change-trigger-time": stamp(ctx.now()) },
          },
        });
      }
    }
    for (const svc of svcs) reconcileSlice(svc);
    for (const ep of ctx.store.list(endpoints)) {
      const ns = ep.metadata.namespace ?? "";
      if (!ctx.store.get(services, ns, ep.metadata.name ?? "")) finalizeDelete(ctx, endpoints, ep);
    }
    for (const sl of ctx.store.list(slices)) {
      const owner = sl.metadata.labels?.["kubernetes.io/service-name"];
      if (owner && !ctx.store.get(services, sl.metadata.namespace ?? "", owner))
        finalizeDelete(ctx, slices, sl);
    }
  }

  /** The EndpointSlice controller's view of the same Service: one IPv4 slice named `<service>-<suffix>`. */
  function reconcileSlice(svc: KObj): void {
    const sp = (svc.spec as Dict) ?? {};
    const sel = isDict(sp.selector) ? (sp.selector as Record<string, string>) : undefined;
    if (!sel || Object.keys(sel).length === 0 || sp.type === "ExternalName") return;
    const ns = svc.metadata.namespace ?? "";
    const name = svc.metadata.name ?? "";
    const subsets = desiredSubsets(svc, sel);
    const toEndpoint = (ready: boolean) => (a: Dict) => ({
      addresses: [a.ip],
      conditions: { ready, serving: ready, terminating: false },
      nodeName: a.nodeName,
      targetRef: a.targetRef,
    });
    const eps = subsets.flatMap((s) => [
      ...list(s, "addresses").map(toEndpoint(true)),
      ...list(s, "notReadyAddresses").map(toEndpoint(false)),
    ]);
    const ports = subsets[0] ? list(subsets[0], "ports") : [];
    const labels = {
      ...(svc.metadata.labels ?? {}),
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      "kubernetes.io/service-name": name,
    };
    const existing = ctx.store
      .list(slices, ns)
      .find(
        (x) =>
          x.metadata.labels?.["kubernetes.io/service-name"] === name &&
          x.metadata.labels?.["endpointslice.kubernetes.io/managed-by"] === "endpointslice-controller.k8s.io",
      );
    const body: KObj = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        ...(existing?.metadata ?? { generateName: `${name}-`, namespace: ns }),
        labels,
        ownerReferences: [
          {
            apiVersion: "v1",
            kind: "Service",
            name,
            uid: svc.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: "IPv4",
      endpoints: eps,
      ports: ports.length ? ports : null,
    };
    if (!existing) createObject(ctx, slices, ns, body);
    else if (
      canonical({ ...existing, metadata: null }) !== canonical({ ...body, metadata: null }) ||
      canonical(existing.metadata.labels) !== canonical(labels)
    ) {
      updateObject(ctx, slices, ns, existing.metadata.name ?? "", body);
    }
  }

  function namespaceController(): void {
    for (const ns of ctx.store.list(namespaces)) {
      if (!ns.metadata.deletionTimestamp) continue;
      const name = ns.metadata.name ?? "";
      let remaining = 0;
      for (const r of RESOURCES.filter((x) => x.namespaced)) {
        for (const o of ctx.store.list(r, name)) {
          remaining++;
          if (!o.metadata.deletionTimestamp)
            deleteObject(ctx, r, name, o.metadata.name ?? "", { gracePeriodSeconds: 0 });
        }
      }
      if (remaining === 0) finalizeDelete(ctx, namespaces, ns);
    }
  }

  function reconcile(): void {
    for (const step of [kubelet, endpointsController, namespaceController]) {
      if (stopped) return;
      try {
        step();
      } catch (e) {
        log(`kube controllers: ${(e as Error).message}`);
      }
    }
  }

  const unsubscribe = ctx.store.subscribe((e) => {
    if (["Pod", "Service", "Namespace"].includes(e.resource.kind)) schedule();
  });
  schedule();
  return {
    stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearImmediate(timer);
      timer = undefined;
    },
    kick: schedule,
  };
}
