/**
 * The cluster's NetworkPolicies as the partner network's ingress gate: at each connection, the
 * networking.k8s.io/v1 NetworkPolicies in the Kubernetes emulator and the pod's container ports
 * (for named ports), judged by the evaluator (netpol.ts). Cilium enforces the same Kubernetes
 * NetworkPolicies (https://docs.cilium.io/en/stable/security/policy/, "Kubernetes Network
 * Policies"); CiliumNetworkPolicy objects are not evaluated here.
 */
import type { KObj } from "../kube/resources.js";
import type { GatePod, GateVerdict, IngressGate } from "./gate.js";
import { admits, type PodLike, type PolicyLike } from "./netpol.js";

export interface PolicySource {
  list(plural: string, namespace?: string, group?: string): KObj[];
}

type D = Record<string, unknown>;
const dict = (v: unknown): D => (v && typeof v === "object" && !Array.isArray(v) ? (v as D) : {});
const list = (v: unknown): D[] => (Array.isArray(v) ? v.map(dict) : []);

function portsOf(kube: PolicySource, pod: GatePod): PodLike["ports"] {
  const obj = kube.list("pods", pod.namespace).find((p) => p.metadata.name === pod.name);
  return list(dict(obj?.spec).containers).flatMap((c) =>
    list(c.ports).flatMap((p) =>
      typeof p.containerPort === "number"
        ? [
            {
              containerPort: p.containerPort,
              ...(typeof p.name === "string" ? { name: p.name } : {}),
              ...(typeof p.protocol === "string" ? { protocol: p.protocol } : {}),
            },
          ]
        : [],
    ),
  );
}

/** A gate that applies the NetworkPolicies `kube` holds when the connection is made. */
export function networkPolicyGate(kube: PolicySource): IngressGate {
  return (pod, sourceIp, port, protocol): GateVerdict => {
    const policies = kube.list(
      "networkpolicies",
      pod.namespace,
      "networking.k8s.io",
    ) as unknown as PolicyLike[];
    const v = admits(
      policies,
      { namespace: pod.namespace, labels: pod.labels, ports: portsOf(kube, pod) },
      { ip: sourceIp },
      port,
      protocol,
    );
    return { allowed: v.allowed, ...(v.policy ? { policy: `${pod.namespace}/${v.policy}` } : {}) };
  };
}

/**
 * With several clusters: each connection judged by the NetworkPolicies of the cluster its pod runs
 * in (`pod.cluster`), `first` when the pod names none.
 */
export function clustersPolicyGate(
  clusters: () => Map<string, PolicySource>,
  first: PolicySource,
): IngressGate {
  return (pod, sourceIp, port, protocol) => {
    const kube = (pod.cluster && clusters().get(pod.cluster.toLowerCase())) || first;
    return networkPolicyGate(kube)(pod, sourceIp, port, protocol);
  };
}
