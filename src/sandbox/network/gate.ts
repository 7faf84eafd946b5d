/**
 * The one place the partner network asks whether the cluster's NetworkPolicies let a connection
 * into a pod. `startSandbox` plugs in the cluster's NetworkPolicies (policy-gate.ts, the evaluator
 * of netpol.ts); `startPartnerNetwork` alone admits all; tests may set another through
 * `startSandbox({ ingressGate })` or `network.setIngressGate()`.
 */

/** The pod a connection is about to reach, as an ingress rule sees it. */
export interface GatePod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** The managed cluster the pod runs in, when the sandbox runs several. */
  cluster?: string;
}

export interface GateVerdict {
  allowed: boolean;
  /** The policy that decided (namespace/name), for the proxy's log. */
  policy?: string;
}

/**
 * Decides one connection: `port` is the pod's port (the Service's targetPort, resolved), and
 * `sourceIp` the address the pod sees (a PLS NAT IP, or a node IP with `externalTrafficPolicy:
 * Cluster`). A denied connection is dropped, as a real one would be: no answer, then a timeout.
 */
export type IngressGate = (pod: GatePod, sourceIp: string, port: number, protocol: "TCP") => GateVerdict;

export const allowAll: IngressGate = () => ({ allowed: true });
