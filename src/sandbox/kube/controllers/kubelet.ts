/**
 * The scheduler and the kubelet: a new Pod is bound to the node with the fewest pods, gets an IP
 * from that node's podCIDR (10.244.<n>.0/24, kubenet as on AKS) and runs (Ready) right away; a
 * gracefully deleted Pod is removed once "terminated" (immediately, once it has no finalizers).
 */
import { randomBytes } from "node:crypto";
import { type ApiCtx, finalizeDelete } from "../api.js";
import { type Dict, intToIp, ipToInt, list } from "../kinds/types.js";
import type { KObj } from "../resources.js";
import { NODES, PODS, stamp } from "./defs.js";
import { type ControllerDef, ofKinds } from "./loop.js";

/** The node a Pod runs on: the one it names, else the one with the fewest pods. */
export function pickNode(pod: KObj, nodes: KObj[], pods: KObj[]): KObj | undefined {
  const named = nodes.find((n) => n.metadata.name === (pod.spec as Dict)?.nodeName);
  if (named) return named;
  const load = (n: KObj) => pods.filter((p) => (p.spec as Dict)?.nodeName === n.metadata.name).length;
  return [...nodes].sort((a, b) => load(a) - load(b))[0];
}

/** The first free address from .4 up in the node's podCIDR ("" when it is full). */
export function freePodIp(node: KObj, pods: KObj[]): string {
  const cidr = String((node.spec as Dict)?.podCIDR ?? "10.244.0.0/24").split("/")[0] ?? "10.244.0.0";
  const used = new Set(pods.map((p) => String((p.status as Dict | undefined)?.podIP ?? "")));
  for (let i = 4; i < 255; i++) {
    const cand = intToIp(ipToInt(cidr) + i);
    if (!used.has(cand)) return cand;
  }
  return "";
}

const randomHex = () => randomBytes(32).toString("hex");

/** The status the kubelet writes for a Pod running on a node with `hostIp`. */
function runningStatus(pod: KObj, hostIp: unknown, ip: string, now: string): Dict {
  const cond = (type: string) => ({ type, status: "True", lastProbeTime: null, lastTransitionTime: now });
  return {
    phase: "Running",
    conditions: ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map(
      cond,
    ),
    hostIP: hostIp,
    hostIPs: [{ ip: hostIp }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: now,
    qosClass: "BestEffort",
    containerStatuses: list(pod.spec as Dict, "containers").map((c) => ({
      name: c.name,
      image: c.image,
      imageID: `${String(c.image).split(":")[0]}@sha256:${randomHex()}`,
      containerID: `containerd://${randomHex()}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: now } },
      lastState: {},
    })),
  };
}

function runPod(ctx: ApiCtx, pod: KObj): void {
  const all = ctx.store.list(PODS);
  const node = pickNode(pod, ctx.store.list(NODES), all);
  if (!node) return;
  const hostIp = list((node.status as Dict) ?? {}, "addresses").find((a) => a.type === "InternalIP")?.address;
  const next = structuredClone(pod);
  (next.spec as Dict).nodeName = node.metadata.name;
  next.status = runningStatus(pod, hostIp, freePodIp(node, all), stamp(ctx.now()));
  // The scheduler's binding (spec.nodeName) and the kubelet's status write, as one system write.
  ctx.store.put(PODS, next, "MODIFIED");
}

export function reconcileKubelet(ctx: ApiCtx): void {
  for (const pod of ctx.store.list(PODS)) {
    if (pod.metadata.deletionTimestamp) {
      if (!pod.metadata.finalizers?.length) finalizeDelete(ctx, PODS, pod);
      continue;
    }
    const st = pod.status as Dict | undefined;
    if (!(pod.spec as Dict)?.nodeName || st?.phase === "Pending") runPod(ctx, pod);
  }
}

export const kubelet: ControllerDef = {
  name: "kubelet",
  wants: ofKinds("Pod", "Node"),
  reconcile: reconcileKubelet,
};
