/**
 * doctor when nothing answers (the sandbox stopped, a cluster or ARM endpoint down): one cause for
 * the run, said once, instead of every check repeating the same connection error. Each check stays
 * in the result (JSON keeps all ids) with a short "skipped" detail.
 */
import type { Context } from "../../context.js";
import type { CheckResult, DoctorCause } from "../../domain/doctor.js";
import { isPlsctlError } from "../../domain/errors.js";
import { networkCause } from "../../domain/network-errors.js";
import { NotChecked } from "./facts.js";

/** The server was not reached at all: refused, no route, no name, no answer in time. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export interface Unreachable {
  api: "kube" | "arm";
  code: string;
  words: string;
}

/** What a check's error says about reaching the APIs (through a NotChecked, its dependency's error). */
export function unreachableOf(err: unknown): Unreachable | undefined {
  const root = err instanceof NotChecked ? err.cause : err;
  if (!isPlsctlError(root)) return undefined;
  const api = /the Kubernetes API/.test(root.message) ? "kube" : "arm";
  const net = networkCause(root);
  if (net && UNREACHABLE.has(net.code)) return { api, code: net.code, words: net.words };
  if (root.code === "KubernetesUnreachable") return { api: "kube", code: root.code, words: "no answer" };
  return undefined;
}

const API_NAME = { kube: "the Kubernetes API", arm: "Azure Resource Manager" } as const;

const isLoopbackUrl = (url: string | undefined): boolean => {
  try {
    return url !== undefined && /^(127\.|localhost$|\[::1\]$)/.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

/**
 * The run's cause, once, and each check it stopped marked as skipped by it; undefined when every
 * check could talk to its API.
 */
export function aggregateUnreachable(
  ctx: Context,
  server: string | undefined,
  results: Array<{ result: CheckResult; unreachable: Unreachable | undefined }>,
): { cause: DoctorCause; checks: CheckResult[] } | undefined {
  const hit = results.flatMap((r) => (r.unreachable ? [r.unreachable] : []));
  const first = hit[0];
  if (!first) return undefined;
  const apis = [...new Set(hit.map((u) => u.api))].sort().reverse(); // kube first, then arm
  const names = apis.map((a) =>
    a === "kube"
      ? `${API_NAME.kube}${server ? ` at ${server}` : ""}`
      : `${API_NAME.arm}${ctx.env.armEndpoint ? ` at ${ctx.env.armEndpoint}` : ""}`,
  );
  const sandbox = isLoopbackUrl(ctx.env.armEndpoint) || isLoopbackUrl(server);
  const cause: DoctorCause = {
    message: `${names.length > 1 ? `Neither ${names.join(" nor ")} answers` : `${names[0]} does not answer`}: ${first.words} (${first.code}).`,
    fix: sandbox
      ? `The sandbox is not running: start it (in another terminal) with ${ctx.env.cli} sandbox up, then run doctor again.`
      : "Check the endpoints (the kubeconfig's server, PLSCTL_ARM_ENDPOINT), your network, and that the cluster runs; then run doctor again.",
    skipped: results.filter((r) => r.unreachable).map((r) => r.result.id),
  };
  const checks = results.map(({ result, unreachable }) =>
    unreachable
      ? { ...result, detail: `Skipped: ${API_NAME[unreachable.api]} did not answer.`, fix: null }
      : result,
  );
  return { cause, checks };
}
