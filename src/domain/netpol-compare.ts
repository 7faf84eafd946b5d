/**
 * Is the policy in the cluster the one plsctl would write? Compared by meaning, not by bytes: the
 * order of sources, ports and labels does not matter, a port's protocol defaults to TCP and
 * `policyTypes` to `[Ingress]` (what the API server fills in). And, for `status`, how an applied
 * policy drifted from the Private Link Service it was written for, in words.
 */
import {
  ALLOW_CIDRS_ANNOTATION,
  MANAGED_BY,
  PLS_ID_ANNOTATION,
  type PolicyObject,
  SERVICE_LABEL,
  sourceCidrsOf,
  targetPortsOf,
} from "./netpol.js";
import type { ServicePortView } from "./service.js";

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === "object" && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** JSON with object keys sorted (arrays keep their order: callers sort those whose order means nothing). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    isDict(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, val[k]]),
        )
      : val,
  );
}

const sortedSet = (items: unknown[]): string[] => [...new Set(items.map(canonical))].sort();

function normalizePort(p: unknown): Dict {
  const d = isDict(p) ? p : {};
  return {
    protocol: d.protocol ?? "TCP",
    ...(d.port !== undefined ? { port: d.port } : {}),
    ...(d.endPort !== undefined ? { endPort: d.endPort } : {}),
  };
}

function normalizeRule(rule: unknown, peersKey: "from" | "to"): Dict {
  const r = isDict(rule) ? rule : {};
  return { peers: sortedSet(arr(r[peersKey])), ports: sortedSet(arr(r.ports).map(normalizePort)) };
}

function normalizeSelector(s: unknown): Dict {
  const d = isDict(s) ? s : {};
  return {
    matchLabels: isDict(d.matchLabels) ? d.matchLabels : {},
    matchExpressions: sortedSet(arr(d.matchExpressions)),
  };
}

function normalizeNetworkPolicySpec(spec: Dict): Dict {
  const egress = arr(spec.egress);
  const types = spec.policyTypes ?? (egress.length ? ["Ingress", "Egress"] : ["Ingress"]);
  return {
    podSelector: normalizeSelector(spec.podSelector),
    policyTypes: sortedSet(arr(types)),
    ingress: sortedSet(arr(spec.ingress).map((r) => normalizeRule(r, "from"))),
    egress: sortedSet(egress.map((r) => normalizeRule(r, "to"))),
  };
}

function normalizeCiliumSpec(spec: Dict): Dict {
  const rule = (r: unknown): Dict => {
    const d = isDict(r) ? r : {};
    const rest = Object.fromEntries(Object.entries(d).filter(([k]) => k !== "fromCIDR" && k !== "toPorts"));
    const ports = arr(d.toPorts).flatMap((tp) =>
      arr(isDict(tp) ? tp.ports : []).map((p) => {
        const q = isDict(p) ? p : {};
        return { port: String(q.port ?? ""), protocol: q.protocol ?? "ANY" };
      }),
    );
    return { ...rest, fromCIDR: sortedSet(arr(d.fromCIDR)), ports: sortedSet(ports) };
  };
  const rest = Object.fromEntries(
    Object.entries(spec).filter(([k]) => k !== "endpointSelector" && k !== "ingress"),
  );
  return {
    ...rest,
    endpointSelector: normalizeSelector(spec.endpointSelector),
    ingress: sortedSet(arr(spec.ingress).map(rule)),
  };
}

/** The parts of a policy plsctl owns: the spec, and its own labels and annotations. */
export interface PolicyState {
  kind: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Dict;
}

const OWN_LABELS = [MANAGED_BY, SERVICE_LABEL];
const OWN_ANNOTATIONS = [PLS_ID_ANNOTATION, ALLOW_CIDRS_ANNOTATION];

const pick = (from: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/** True when `existing` says what `wanted` says (a replace would change nothing that matters). */
export function samePolicy(existing: PolicyState, wanted: PolicyObject): boolean {
  const normalize = wanted.kind === "CiliumNetworkPolicy" ? normalizeCiliumSpec : normalizeNetworkPolicySpec;
  return (
    existing.kind === wanted.kind &&
    canonical(normalize(existing.spec)) === canonical(normalize(wanted.spec)) &&
    canonical(pick(existing.labels, OWN_LABELS)) === canonical(pick(wanted.metadata.labels, OWN_LABELS)) &&
    canonical(pick(existing.annotations, OWN_ANNOTATIONS)) ===
      canonical(pick(wanted.metadata.annotations, OWN_ANNOTATIONS))
  );
}

/** The `--allow-cidr`s a policy was written with (its annotation). */
export const recordedAllowCidrs = (annotations: Record<string, string>): string[] =>
  (annotations[ALLOW_CIDRS_ANNOTATION] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const portKey = (p: Dict) => `${String(p.port)}/${String(p.protocol ?? "TCP")}`;

/**
 * How an applied networking.k8s.io NetworkPolicy differs from what the Service and its PLS need
 * now: sources no longer (or not yet) NAT IPs, ports the Service no longer (or now) targets.
 * Empty when it still matches.
 */
export function networkPolicyDrift(
  existing: PolicyState,
  now: { natIps: string[]; ports: ServicePortView[]; selector: Record<string, string> | undefined },
): string[] {
  const rules = arr(existing.spec.ingress).filter(isDict);
  const cidrs = new Set(
    rules.flatMap((r) =>
      arr(r.from).flatMap((p) =>
        isDict(p) && isDict(p.ipBlock) && typeof p.ipBlock.cidr === "string" ? [p.ipBlock.cidr] : [],
      ),
    ),
  );
  const wantedCidrs = sourceCidrsOf(now.natIps, recordedAllowCidrs(existing.annotations));
  const missing = wantedCidrs.filter((c) => !cidrs.has(c));
  const stale = [...cidrs].filter((c) => !wantedCidrs.includes(c));
  const ports = new Set(rules.flatMap((r) => arr(r.ports).map((p) => portKey(normalizePort(p)))));
  const wantedPorts = targetPortsOf(now.ports).map((p) => portKey({ ...p }));
  const reasons: string[] = [];
  if (missing.length) reasons.push(`does not admit NAT IP(s) ${missing.join(", ")}`);
  if (stale.length) reasons.push(`still admits ${stale.join(", ")}, no longer a NAT IP of the PLS`);
  const missingPorts = wantedPorts.filter((p) => !ports.has(p));
  const stalePorts = [...ports].filter((p) => !wantedPorts.includes(p));
  if (missingPorts.length) reasons.push(`does not open target port(s) ${missingPorts.join(", ")}`);
  if (stalePorts.length) reasons.push(`opens port(s) ${stalePorts.join(", ")} the Service no longer targets`);
  const selector = isDict(existing.spec.podSelector) ? existing.spec.podSelector.matchLabels : undefined;
  if (now.selector && canonical(selector ?? {}) !== canonical(now.selector)) {
    reasons.push("selects other pods than the Service does");
  }
  return reasons;
}
