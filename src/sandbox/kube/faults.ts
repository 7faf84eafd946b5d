/**
 * Fault injection for the Kubernetes API emulator, set through its `/_sandbox/faults` admin
 * endpoint (Bearer: the sandbox admin token). Three kinds, each matched by verb, method and a path
 * regular expression, limited by `times` and `probability`:
 * - `closeWatch`: a matching watch ends (the server closes the stream) after `afterEvents` events,
 *   at once when 0 — as an apiserver does on restart or at its watch timeout; clients re-watch;
 * - `status`: the request is answered with a Status error of HTTP `status` (e.g. 500, 503, 429);
 * - `latency`: the request waits `latencyMs` before it is served.
 */

import { KUBE_FAULT_KINDS, KUBE_VERBS, type KubeFaultKind, type KubeVerb } from "../faults-spec.js";

export { KUBE_VERBS, type KubeFaultKind, type KubeVerb };

export interface KubeFaultRule {
  kind: KubeFaultKind;
  verb?: KubeVerb;
  method?: string;
  /** Regular expression (case-insensitive, unanchored) on the path without the query. */
  path?: string;
  times?: number;
  probability?: number;
  /** closeWatch: events sent before the stream closes (default 0: at once). */
  afterEvents?: number;
  /** status: the HTTP status (400-599). */
  status?: number;
  message?: string;
  /** status 429/503: `Retry-After` seconds. */
  retryAfter?: number;
  latencyMs?: number;
}

export interface KubeFaultRequest {
  verb: KubeVerb;
  method: string;
  path: string;
}

const isRec = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
const KINDS: readonly string[] = KUBE_FAULT_KINDS;

/** What is wrong with a KubeFaultRule[] body (empty when it is one). */
export function kubeFaultProblems(v: unknown): string[] {
  if (!Array.isArray(v)) return ["the body must be a list of fault rules"];
  const out: string[] = [];
  v.forEach((r, i) => {
    const at = `[${i}]`;
    if (!isRec(r)) {
      out.push(`${at}: must be an object`);
      return;
    }
    for (const k of Object.keys(r))
      if (
        ![
          "kind",
          "verb",
          "method",
          "path",
          "times",
          "probability",
          "afterEvents",
          "status",
          "message",
          "retryAfter",
          "latencyMs",
        ].includes(k)
      )
        out.push(`${at}.${k}: unknown field`);
    if (!KINDS.includes(String(r.kind))) out.push(`${at}.kind: must be one of ${KINDS.join("|")}`);
    if (r.verb !== undefined && !(KUBE_VERBS as readonly string[]).includes(String(r.verb)))
      out.push(`${at}.verb: must be one of ${KUBE_VERBS.join("|")}`);
    for (const k of ["method", "path", "message"])
      if (r[k] !== undefined && typeof r[k] !== "string") out.push(`${at}.${k}: must be a string`);
    if (typeof r.path === "string") {
      try {
        new RegExp(r.path);
      } catch {
        out.push(`${at}.path: not a regular expression`);
      }
    }
    for (const k of ["times", "afterEvents", "latencyMs", "retryAfter"])
      if (r[k] !== undefined && !isCount(r[k])) out.push(`${at}.${k}: must be a whole number >= 0`);
    if (
      r.probability !== undefined &&
      !(typeof r.probability === "number" && r.probability >= 0 && r.probability <= 1)
    )
      out.push(`${at}.probability: must be a number from 0 to 1`);
    if (
      r.kind === "status" &&
      !(isCount(r.status) && (r.status as number) >= 400 && (r.status as number) <= 599)
    )
      out.push(`${at}.status: a status fault needs an HTTP status 400-599`);
    if (r.kind !== "status" && r.status !== undefined) out.push(`${at}.status: only for kind status`);
    if (r.kind === "closeWatch" && r.verb !== undefined && r.verb !== "watch")
      out.push(`${at}.verb: closeWatch applies to watches only`);
  });
  return out;
}

type Held = KubeFaultRule & { used: number; re?: RegExp };

export class KubeFaults {
  private rules: Held[] = [];
  add(rules: KubeFaultRule[]): void {
    for (const r of rules)
      this.rules.push({ ...r, used: 0, ...(r.path ? { re: new RegExp(r.path, "i") } : {}) });
  }
  clear(): void {
    this.rules = [];
  }
  list(): (KubeFaultRule & { used: number })[] {
    return this.rules.map(({ re: _re, ...r }) => ({ ...r }));
  }
  /** The rules that fire for this request (each consumed once when it has `times`). */
  pick(q: KubeFaultRequest): KubeFaultRule[] {
    const fired: KubeFaultRule[] = [];
    for (const r of this.rules) {
      const verb = r.verb ?? (r.kind === "closeWatch" ? "watch" : undefined);
      if (verb !== undefined && verb !== q.verb) continue;
      if (r.method !== undefined && r.method.toUpperCase() !== q.method.toUpperCase()) continue;
      if (r.re && !r.re.test(q.path)) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (Math.random() >= (r.probability ?? 1)) continue;
      r.used++;
      fired.push(r);
    }
    return fired;
  }
}
