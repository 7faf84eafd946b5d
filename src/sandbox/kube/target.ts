/**
 * What a Kubernetes API request addresses — the REST paths `/api/v1[/namespaces/<ns>]/<resource>
 * [/<name>[/<subresource>]]` and `/apis/<group>/<version>/…` (plus the legacy `/watch/` prefix) —
 * and the route table: which action serves a method on it (undefined: 405 Method Not Allowed).
 */
import type { KubeVerb } from "../faults-spec.js";
import { findResource, type ResourceDef } from "./resources.js";

export interface Target {
  r: ResourceDef;
  ns?: string;
  name?: string;
  sub?: string;
  watchPrefix: boolean;
}

/** The group, version and the path after them (`/watch/` removed), or undefined for a non-REST path. */
function groupVersion(segs: string[]): { group: string; version: string; rest: string[] } | undefined {
  const [root, a, b] = segs;
  if (root === "api" && a) return { group: "", version: a, rest: segs.slice(2) };
  if (root === "apis" && b) return { group: a ?? "", version: b, rest: segs.slice(3) };
  return undefined;
}

export function parseTarget(segs: string[], served: readonly ResourceDef[]): Target | undefined {
  const gv = groupVersion(segs);
  if (!gv) return undefined;
  const { group, version } = gv;
  let rest = gv.rest;
  const watchPrefix = rest[0] === "watch";
  if (watchPrefix) rest = rest.slice(1);
  let ns: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const inner = findResource(group, version, rest[2] ?? "", served);
    if (inner?.namespaced) {
      ns = rest[1];
      rest = rest.slice(2);
    }
  }
  const r = findResource(group, version, rest[0] ?? "", served);
  if (!r || rest.length > 3) return undefined;
  if (r.namespaced === false && ns !== undefined) return undefined;
  const t: Target = { r, watchPrefix };
  if (ns !== undefined) t.ns = ns;
  if (rest[1] !== undefined) t.name = rest[1];
  if (rest[2] !== undefined) t.sub = rest[2];
  return t;
}

/** Whether the target's subresource (if any) is served: `status` where the kind has one, a Pod's `log`. */
export const servesSubresource = (t: Target): boolean =>
  t.sub === undefined ||
  (t.sub === "status" && Boolean(t.r.status)) ||
  (t.sub === "log" && t.r.kind === "Pod");

export const truthy = (v: string | null) => v === "1" || v === "true";

/** The verb of a request, as RBAC and audit logs name it (`discovery` for what is not a resource). */
export function requestVerb(method: string, url: URL, served: readonly ResourceDef[]): KubeVerb {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const t = parseTarget(path.split("/").filter(Boolean), served);
  if (!t) return "discovery";
  const collection = t.name === undefined;
  switch (method) {
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return collection ? "deletecollection" : "delete";
    default:
      if (!collection) return "get";
      return t.watchPrefix || truthy(url.searchParams.get("watch")) ? "watch" : "list";
  }
}

/** What serves a request: a verb on the resource, a Pod's log, or an access review. */
export type RestAction =
  | "accessReview"
  | "watch"
  | "list"
  | "create"
  | "deletecollection"
  | "log"
  | "get"
  | "update"
  | "patch"
  | "delete";

/** The namespace a request acts in: its own, "" for a cluster-scoped kind, undefined across namespaces. */
export const namespaceOf = (t: Target): string | undefined => t.ns ?? (t.r.namespaced ? undefined : "");

function collectionAction(t: Target, method: string, q: URLSearchParams): RestAction | undefined {
  const inOne = namespaceOf(t) !== undefined && !t.watchPrefix;
  if (method === "GET") return t.watchPrefix || truthy(q.get("watch")) ? "watch" : "list";
  if (method === "POST" && inOne) return "create";
  if (method === "DELETE" && inOne) return "deletecollection";
  return undefined;
}

const OBJECT_ACTIONS = new Map<string, RestAction>([
  ["GET", "get"],
  ["PUT", "update"],
  ["PATCH", "patch"],
  ["DELETE", "delete"],
]);

/** The route table: the action for `method` on `t`, or undefined when the method is not allowed there. */
export function restAction(t: Target, method: string, q: URLSearchParams): RestAction | undefined {
  // The sandbox's only user is the cluster admin: every access review is created (and allowed).
  if (t.r.kind === "SelfSubjectAccessReview")
    return method === "POST" && t.name === undefined ? "accessReview" : undefined;
  if (t.name === undefined) return collectionAction(t, method, q);
  if (namespaceOf(t) === undefined || t.watchPrefix) return undefined;
  if (t.sub === "log") return method === "GET" ? "log" : undefined;
  if (t.sub === "status" && method === "DELETE") return undefined;
  return OBJECT_ACTIONS.get(method);
}

/** The verb an action is counted under. */
export const COUNTED_AS: Record<RestAction, KubeVerb> = {
  accessReview: "create",
  watch: "watch",
  list: "list",
  create: "create",
  deletecollection: "deletecollection",
  log: "get",
  get: "get",
  update: "update",
  patch: "patch",
  delete: "delete",
};
