/**
 * The handlers of the Kubernetes API's REST actions, one function each (the route table in
 * target.ts picks one): watch, list, create, deletecollection, get, update, patch, delete, a Pod's
 * log and SelfSubjectAccessReview.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { SandboxClock } from "../clock.js";
import {
  type ApiCtx,
  createObject,
  deleteObject,
  getObject,
  patchObject,
  patchTypeOf,
  updateObject,
  type WriteOpts,
} from "./api.js";
import { badRequest, invalid } from "./errors.js";
import type { FieldValidation } from "./fields.js";
import { parseBody, readBody, sendJson } from "./http.js";
import { isDict } from "./kinds/types.js";
import { listObjects } from "./list.js";
import { apiVersionOf, type KObj, type ResourceDef } from "./resources.js";
import { type IncludeObject, toTable } from "./table.js";
import type { RestAction, Target } from "./target.js";
import { truthy } from "./target.js";
import { type OpenWatch, serveWatch } from "./watch.js";

export interface RouterEnv {
  ctx: ApiCtx;
  /** The resource types this cluster serves (resourcesFor: Cilium's only on a Cilium dataplane). */
  served: readonly ResourceDef[];
  kubernetesVersion: string;
  serverAddress: () => string;
  watches: Set<OpenWatch>;
  bookmarkIntervalMs: number;
  /** Times watch bookmarks and timeouts (default: real time). */
  clock?: SandboxClock;
  count: (verb: string) => void;
  unrouted: () => void;
}

/** What fault injection asks of one request's handling. */
export interface RouteFaults {
  /** A watch closes after this many events (0: at once). */
  closeWatchAfter?: number;
}

/** One request, resolved: what it addresses and how its answer is rendered. */
export interface Call {
  env: RouterEnv;
  req: IncomingMessage;
  res: ServerResponse;
  t: Target;
  /** The namespace it acts in (see namespaceOf). */
  ns: string | undefined;
  q: URLSearchParams;
  /** Whether the client asked for a Table (server-side printing). */
  table: boolean;
  include: IncludeObject;
  contentType: string;
  faults: RouteFaults;
}

function dryRunOf(q: URLSearchParams, body?: unknown): boolean {
  const vals = q.getAll("dryRun");
  const fromBody = isDict(body) && Array.isArray(body.dryRun) ? (body.dryRun as string[]) : [];
  for (const v of [...vals, ...fromBody]) if (v !== "All") throw badRequest(`Invalid dryRun value: ${v}`);
  return vals.length + fromBody.length > 0;
}

/** dryRun, fieldValidation (Warn when absent, as on the real server) and the status subresource. */
function writeOpts(q: URLSearchParams, sub?: "status"): WriteOpts & { warnings: string[] } {
  const v = q.get("fieldValidation") ?? "";
  if (!["Ignore", "Warn", "Strict", ""].includes(v)) {
    throw badRequest(`fieldValidation parameter unsupported: ${v}`);
  }
  const opts: WriteOpts & { warnings: string[] } = {
    dryRun: dryRunOf(q),
    fieldValidation: (v || "Warn") as FieldValidation,
    warnings: [],
  };
  if (sub) opts.subresource = sub;
  return opts;
}

const warningHeaders = (w: string[]): OutgoingHttpHeaders => (w.length ? { Warning: w } : {});

/** One object as the client asked for it: a one-row Table, or the object with its kind. */
function render(c: Call, o: KObj): unknown {
  const r = c.t.r;
  return c.table
    ? toTable(r, [o], { resourceVersion: o.metadata.resourceVersion }, c.env.ctx.now(), c.include)
    : { apiVersion: apiVersionOf(r), kind: r.kind, ...o };
}

const body = async (c: Call) => parseBody(await readBody(c.req), c.contentType);
/** The object's namespace and name (the route table only picks object actions with both). */
const at = (c: Call) => ({ ns: c.ns ?? "", name: c.t.name ?? "" });
const subOf = (c: Call): "status" | undefined => (c.t.sub === "status" ? "status" : undefined);

async function accessReview(c: Call): Promise<void> {
  const b = await body(c);
  const spec = isDict(b) && isDict(b.spec) ? b.spec : {};
  sendJson(c.res, 201, {
    kind: c.t.r.kind,
    apiVersion: apiVersionOf(c.t.r),
    metadata: { creationTimestamp: null },
    spec,
    status: {
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to User "aks-demo-admin"',
    },
  });
}

function watch(c: Call): void {
  const { env, q, t, ns } = c;
  const { matches } = listObjects(env.ctx, t.r, ns, q, true);
  const rv = q.get("resourceVersion");
  const timeout = q.get("timeoutSeconds");
  const w = serveWatch(
    env.ctx.store,
    c.res,
    {
      resource: t.r,
      ...(ns !== undefined && t.r.namespaced ? { namespace: ns } : {}),
      matches,
      ...(rv !== null ? { resourceVersion: rv } : {}),
      ...(timeout !== null ? { timeoutSeconds: Number(timeout) } : {}),
      allowBookmarks: truthy(q.get("allowWatchBookmarks")),
      sendInitialEvents: truthy(q.get("sendInitialEvents")),
      ...(c.table ? { render: (o: KObj) => render(c, o) as KObj } : {}),
      bookmarkIntervalMs: env.bookmarkIntervalMs,
      ...(env.clock ? { clock: env.clock } : {}),
      ...(c.faults.closeWatchAfter !== undefined ? { closeAfterEvents: c.faults.closeWatchAfter } : {}),
    },
    () => env.watches.delete(w),
  );
  env.watches.add(w);
}

function list(c: Call): void {
  const r = c.t.r;
  const { items, meta } = listObjects(c.env.ctx, r, c.ns, c.q, false);
  if (c.table) sendJson(c.res, 200, toTable(r, items, meta, c.env.ctx.now(), c.include));
  else sendJson(c.res, 200, { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: meta, items });
}

async function create(c: Call): Promise<void> {
  const opts = writeOpts(c.q);
  const created = createObject(c.env.ctx, c.t.r, c.ns ?? "", await body(c), opts);
  sendJson(c.res, 201, render(c, created), warningHeaders(opts.warnings));
}

async function deleteCollection(c: Call): Promise<void> {
  const dryRun = dryRunOf(c.q, await body(c));
  const { items } = listObjects(c.env.ctx, c.t.r, c.ns, c.q, false);
  for (const o of items)
    deleteObject(c.env.ctx, c.t.r, o.metadata.namespace ?? "", o.metadata.name ?? "", { dryRun });
  sendJson(c.res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
}

/** A Pod's log: the emulated containers write nothing to stdout/stderr. */
function log(c: Call): void {
  const { ns, name } = at(c);
  getObject(c.env.ctx, c.t.r, ns, name);
  c.res.writeHead(200, { "Content-Type": "text/plain" });
  c.res.end("");
}

function get(c: Call): void {
  const { ns, name } = at(c);
  sendJson(c.res, 200, render(c, getObject(c.env.ctx, c.t.r, ns, name)));
}

async function update(c: Call): Promise<void> {
  const { ns, name } = at(c);
  const opts = writeOpts(c.q, subOf(c));
  const updated = updateObject(c.env.ctx, c.t.r, ns, name, await body(c), opts);
  sendJson(c.res, 200, render(c, updated), warningHeaders(opts.warnings));
}

async function patch(c: Call): Promise<void> {
  const { ns, name } = at(c);
  const opts = writeOpts(c.q, subOf(c));
  const type = patchTypeOf(c.contentType);
  const b = await body(c);
  if (type === "apply" && !c.q.get("fieldManager")) {
    throw invalid("PatchOptions", "meta.k8s.io", "", [
      {
        type: "FieldValueRequired",
        field: "fieldManager",
        detail: "Required value: is required for apply patch",
      },
    ]);
  }
  const existed = Boolean(c.env.ctx.store.get(c.t.r, ns, name));
  const patched = patchObject(c.env.ctx, c.t.r, ns, name, type, b, opts);
  sendJson(c.res, existed ? 200 : 201, render(c, patched), warningHeaders(opts.warnings));
}

async function remove(c: Call): Promise<void> {
  const { ns, name } = at(c);
  const r = c.t.r;
  const b = await body(c);
  const opts = isDict(b) ? b : {};
  const grace = c.q.get("gracePeriodSeconds") ?? opts.gracePeriodSeconds;
  const pre = isDict(opts.preconditions)
    ? (opts.preconditions as { uid?: string; resourceVersion?: string })
    : undefined;
  const result = deleteObject(c.env.ctx, r, ns, name, {
    dryRun: dryRunOf(c.q, b),
    ...(grace !== undefined && grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
    ...(pre ? { preconditions: pre } : {}),
  });
  if (result.returnsObject || result.object.metadata.deletionTimestamp) {
    sendJson(c.res, 200, render(c, result.object));
    return;
  }
  const details = {
    name,
    ...(r.group ? { group: r.group } : {}),
    kind: r.plural,
    uid: result.object.metadata.uid,
  };
  sendJson(c.res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details });
}

export const HANDLERS: Record<RestAction, (c: Call) => void | Promise<void>> = {
  accessReview,
  watch,
  list,
  create,
  deletecollection: deleteCollection,
  log,
  get,
  update,
  patch,
  delete: remove,
};
