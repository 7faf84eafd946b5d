/**
 * Does the cluster's NetworkPolicy set let a packet from outside the cluster into a pod? A pure
 * function the sandbox's partner network applies to what it delivers, following the semantics of
 * networking.k8s.io/v1 (https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * and the API reference of NetworkPolicySpec):
 *
 * - a pod is isolated for ingress iff some policy in its namespace selects it (podSelector:
 *   matchLabels and matchExpressions; `{}` selects every pod) and affects ingress — `Ingress` in
 *   policyTypes, or no policyTypes at all (every policy affects ingress then);
 * - a non-isolated pod admits everything;
 * - an isolated pod admits the packet iff one of those policies has an ingress rule whose `from`
 *   is empty or has an ipBlock containing the source but none of its `except` blocks
 *   (podSelector/namespaceSelector peers name pods, never an address outside the cluster), and
 *   whose `ports` is empty or has an entry with the packet's protocol (default TCP) and a port that
 *   is absent (every port), equal, within `port`..`endPort`, or a name the pod gives that port.
 *
 * Self-contained: IPv4 sources only (IPv6 blocks never match them).
 */

export interface PolicyLike {
  metadata: { name?: string; namespace?: string };
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: IngressRule[] | null;
  };
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

interface IngressRule {
  from?: Array<{ ipBlock?: { cidr: string; except?: string[] | null }; [peer: string]: unknown }> | null;
  ports?: Array<{ port?: number | string; endPort?: number; protocol?: string }> | null;
}

export interface PodLike {
  namespace: string;
  labels: Record<string, string>;
  /** The pod's container ports (their names resolve named ports). */
  ports: Array<{ name?: string; containerPort: number; protocol?: string }>;
}

export interface Verdict {
  allowed: boolean;
  /** Allowed: the policy that admitted it. Denied: the (first) policy that isolates the pod. */
  policy?: string;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    const ok =
      e.operator === "In"
        ? has && values.includes(labels[e.key] as string)
        : e.operator === "NotIn"
          ? !has || !values.includes(labels[e.key] as string)
          : e.operator === "Exists"
            ? has
            : e.operator === "DoesNotExist"
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

const affectsIngress = (p: PolicyLike): boolean =>
  p.spec?.policyTypes === undefined || p.spec.policyTypes.includes("Ingress");

function ipv4(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || !parts.every((x) => /^\d{1,3}$/.test(x) && Number(x) <= 255)) return undefined;
  return parts.reduce((n, x) => ((n << 8) | Number(x)) >>> 0, 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base = "", bitsText = ""] = cidr.split("/");
  const addr = ipv4(ip);
  const net = ipv4(base);
  const bits = /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : Number.NaN;
  if (addr === undefined || net === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (addr & mask) >>> 0 === (net & mask) >>> 0;
}

function fromMatches(rule: IngressRule, source: string): boolean {
  if (!rule.from || rule.from.length === 0) return true;
  return rule.from.some(
    (peer) =>
      peer.ipBlock !== undefined &&
      inCidr(source, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((x) => inCidr(source, x)),
  );
}

function portMatches(rule: IngressRule, pod: PodLike, port: number, protocol: string): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") {
      return pod.ports.some(
        (c) => c.name === p.port && (c.protocol ?? "TCP") === protocol && c.containerPort === port,
      );
    }
    return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
  });
}

/** Whether `policies` admit a packet from `source` to `pod` on `port`/`protocol` (default TCP). */
export function admits(
  policies: readonly PolicyLike[],
  pod: PodLike,
  source: { ip: string },
  port: number,
  protocol = "TCP",
): Verdict {
  const isolating = policies.filter(
    (p) =>
      (p.metadata.namespace ?? "default") === pod.namespace &&
      affectsIngress(p) &&
      selects(p.spec?.podSelector, pod.labels),
  );
  if (isolating.length === 0) return { allowed: true };
  const admitting = isolating.find((p) =>
    (p.spec?.ingress ?? []).some(
      (rule) => fromMatches(rule, source.ip) && portMatches(rule, pod, port, protocol),
    ),
  );
  if (admitting) return { allowed: true, policy: admitting.metadata.name ?? "" };
  return { allowed: false, policy: isolating[0]?.metadata.name ?? "" };
}
