/**
 * `plsctl doctor`: the result document (`-o json`, fields added, never renamed) and the stable
 * check ids, in the order they run. docs/guides/operator.md lists them.
 */

export type CheckStatus = "pass" | "warn" | "fail";

export interface CheckResult {
  /** Stable id, e.g. `rbac.cluster-identity`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was found, and why it matters. */
  detail: string;
  /** What to do (a command where there is one); null when nothing is to be done. */
  fix: string | null;
}

/** Why checks could not be made at all (an API did not answer), said once for the run. */
export interface DoctorCause {
  message: string;
  fix: string;
  /** The ids of the checks it stopped (each still in `checks`, with a short detail). */
  skipped: string[];
}

export interface DoctorResult {
  /** The Service checked (`namespace/name`), or null for the preflight before a first expose. */
  service: string | null;
  /** Null unless an API did not answer: then the cause, once. */
  cause: DoctorCause | null;
  checks: CheckResult[];
}

export const CHECK_IDS = [
  "kube.access",
  "service.exists",
  "service.type",
  "service.internal",
  "service.ipv4",
  "service.annotations",
  "azure.credential",
  "azure.location",
  "azure.node-rg-lockdown",
  "nat.subnet",
  "nat.network-policies",
  "rbac.cluster-identity",
  "pls.count",
  "pls.name",
  "pls.visibility",
  "service.proxy-protocol",
  "events.sync",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** The checks that make sense before a first `expose`, without a Service. */
export const PREFLIGHT_IDS: readonly CheckId[] = [
  "kube.access",
  "azure.credential",
  "azure.location",
  "azure.node-rg-lockdown",
  "nat.subnet",
  "nat.network-policies",
  "rbac.cluster-identity",
  "pls.count",
];

/** What a check found; `fix` only where something is to be done. */
export interface Finding {
  status: CheckStatus;
  detail: string;
  fix?: string | undefined;
}

export const pass = (detail: string): Finding => ({ status: "pass", detail });
export const warn = (detail: string, fix?: string): Finding => ({ status: "warn", detail, fix });
export const fail = (detail: string, fix?: string): Finding => ({ status: "fail", detail, fix });

/** Exit status of a doctor run: 1 when a check failed, else 0. */
export const doctorFailed = (r: DoctorResult): boolean => r.checks.some((c) => c.status === "fail");
