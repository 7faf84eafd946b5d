/**
 * The fault rules of the sandbox's admin API (`/_sandbox/faults` on the ARM emulator and on the
 * Kubernetes API emulator): the one definition of their kinds and verbs, which the emulators
 * validate and apply and which `plsctl sandbox faults` builds from its flags (faults-flags.ts) and
 * describes when it lists them.
 */

export const FAULT_APIS = ["arm", "kube"] as const;
export type FaultApi = (typeof FAULT_APIS)[number];

/**
 * ARM fault kinds: `409` (RetryableErrorDueToAnotherOperation), `429` (TooManyRequests with
 * Retry-After), `500`, `503` with the emulator's own error bodies, `drop` (connection reset),
 * `latency`, and `lroFailed` (the long-running PUT ends Failed).
 */
export const ARM_FAULT_KINDS = ["409", "429", "500", "503", "drop", "latency", "lroFailed"] as const;
export type ArmFaultKind = (typeof ARM_FAULT_KINDS)[number];

/** Kubernetes fault kinds as the emulator takes them. */
export const KUBE_FAULT_KINDS = ["closeWatch", "status", "latency"] as const;
export type KubeFaultKind = (typeof KUBE_FAULT_KINDS)[number];
/** Shorthands `--kind N` takes for `{kind: "status", status: N}`. */
export const KUBE_STATUS_SHORTHANDS = ["429", "500", "503"] as const;

/** The verbs a Kubernetes fault can be limited to (the emulator's names for its requests). */
export const KUBE_VERBS = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "discovery",
] as const;
export type KubeVerb = (typeof KUBE_VERBS)[number];

/** A rule as either emulator takes it (FaultRule / KubeFaultRule): plain JSON. */
export type FaultRuleJson = Record<string, unknown>;

export interface FaultSpec {
  api: FaultApi;
  rule: FaultRuleJson;
}

/** One line that says which requests a rule matches. */
export function describeMatch(api: FaultApi, r: FaultRuleJson): string {
  const m = (r.match ?? {}) as FaultRuleJson;
  const parts: string[] = [];
  for (const [label, v] of [
    ["operation", r.operation ?? m.operation],
    ["identity", r.identity ?? m.identity],
    ["verb", api === "kube" ? r.verb : undefined],
    ["method", r.method ?? m.method],
    ["path", api === "kube" ? r.path : (m.pathRegex ?? m.path)],
  ] as const)
    if (typeof v === "string") parts.push(`${label}=${v}`);
  return parts.length ? parts.join(" ") : "every request";
}

/** What a rule does, in a few words. */
export function describeKind(r: FaultRuleJson): string {
  if (r.kind === "closeWatch") return `closeWatch after ${r.afterEvents ?? 0} events`;
  if (r.kind === "latency") return `latency ${r.latencyMs ?? 1000}ms`;
  if (r.status !== undefined) return `status ${r.status}`;
  return String(r.kind);
}
