/**
 * Request routing for the Kubernetes API: discovery, OpenAPI, and the REST paths
 * `/api/v1[/namespaces/<ns>]/<resource>[/<name>[/status]]` and `/apis/<group>/<version>/…`
 * (plus the legacy `/watch/` prefix). Anything else is a 404 Status counted as unrouted.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { SandboxClock } from "../clock.js";
import type { KubeVerb } from "../faults-spec.js";
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
import * as disco from "./discovery.js";
import { badRequest, invalid, methodNotAllowed, routeNotFound } from "./errors.js";
import type { FieldValidation } from "./fields.js";
import { negotiate, parseBody, readBody, sendJson } from "./http.js";
import { isDict } from "./kinds/types.js";
import { listObjects } from "./list.js";
import { apiVersionOf, findResource, type KObj, type ResourceDef } from "./resources.js";
import { type IncludeObject, toTable } from "./table.js";
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

interface Target {
  r: ResourceDef;
  ns?: string;
  name?: string;
  sub?: string;
  watchPrefix: boolean;
}

function parseTarget(segs: string[], served: readonly ResourceDef[]): Target | undefined {
  let group = "";
  let version: string | undefined;
  let rest: string[];
  if (segs[0] === "api") {
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === "apis") {
    group = segs[1] ?? "";
    version = segs[2];
    rest = segs.slice(3);
  } else return undefined;
  if (!version) return undefined;
  let watchPrefix = false;
  if (rest[0] === "watch") {
    watchPrefix = true;
    rest = rest.slice(1);
  }
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

const truthy = (v: string | null) => v === "1" || v === "true";

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

/** What fault injection asks of one request's handling. */
export interface RouteFaults {
  /** A watch closes after this many events (0: at once). */
  closeWatchAfter?: number;
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

function withKind(r: ResourceDef, o: KObj): KObj {
  return { apiVersion: apiVersionOf(r), kind: r.kind, ...o };
}

async function handleDiscovery(
  env: RouterEnv,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const v = env.kubernetesVersion;
  const send = (doc: unknown) => {
    env.count("discovery");
    sendJson(res, 200, doc);
    return true;
  };
  if (path === "/version" || path === "/version/") return send(disco.versionInfo(v));
  if (path === "/healthz" || path === "/livez" || path === "/readyz") {
    env.count("discovery");
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
    res.end("ok");
    return true;
  }
  if (path === "/api" || path === "/apis") {
    const agg = disco.aggregatedVersion(req.headers.accept);
    if (agg) {
      env.count("discovery");
      sendJson(res, 200, disco.aggregatedDiscovery(path === "/api", agg, env.served), {
        "Content-Type": disco.aggregatedContentType(agg),
      });
      return true;
    }
    return send(path === "/api" ? disco.apiVersions(env.serverAddress()) : disco.apiGroupList(env.served));
  }
  if (path === "/openapi/v2") {
    env.count("discovery");
    if ((req.headers.accept ?? "").includes("protobuf")) {
      res.writeHead(200, { "Content-Type": "application/com.github.proto-openapi.spec.v2.v1.0+protobuf" });
      res.end();
    } else sendJson(res, 200, disco.openApiV2Json(v));
    return true;
  }
  if (path === "/openapi/v3") return send(disco.openApiV3Root(env.served));
  if (path.startsWith("/openapi/v3/")) {
    const doc = disco.openApiV3Doc(path.slice("/openapi/v3/".length), v, env.served);
    return doc ? send(doc) : false;
  }
  const segs = path.split("/").filter(Boolean);
  if (segs[0] === "api" && segs.length === 2) {
    const doc = disco.resourceList(segs[1] ?? "", env.served);
    return doc ? send(doc) : false;
  }
  if (segs[0] === "apis" && segs.length === 2) {
    const doc = disco.apiGroup(segs[1] ?? "", env.served);
    return doc ? send(doc) : false;
  }
  if (segs[0] === "apis" && segs.length === 3) {
    const doc = disco.resourceList(`${segs[1]}/${segs[2]}`, env.served);
    return doc ? send(doc) : false;
  }
  return false;
}

export async function route(
  env: RouterEnv,
  req: IncomingMessage,
  res: ServerResponse,
  faults: RouteFaults = {},
): Promise<void> {
  const url = new URL(req.url ?? "/", "https://127.0.0.1");
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  if (method === "GET" && (await handleDiscovery(env, path, req, res))) return;
  const t = parseTarget(path.split("/").filter(Boolean), env.served);
  const servedSub =
    t?.sub === undefined || (t.sub === "status" && t.r.status) || (t.sub === "log" && t.r.kind === "Pod");
  if (!t || !servedSub) {
    env.unrouted();
    throw routeNotFound();
  }
  const q = url.searchParams;
  const { ctx } = env;
  const r = t.r;
  const ns = t.ns ?? (r.namespaced ? undefined : "");
  const neg = negotiate(req.headers.accept);
  const include = (q.get("includeObject") as IncludeObject | null) ?? "Metadata";
  const render = (o: KObj) =>
    neg.table
      ? toTable(r, [o], { resourceVersion: o.metadata.resourceVersion }, ctx.now(), include)
      : withKind(r, o);
  const contentType = req.headers["content-type"] ?? "application/json";

  if (r.kind === "SelfSubjectAccessReview") {
    // The sandbox's only user is the cluster admin: every access review is allowed.
    if (method !== "POST" || t.name !== undefined) throw methodNotAllowed();
    env.count("create");
    const body = parseBody(await readBody(req), contentType);
    const spec = isDict(body) && isDict(body.spec) ? body.spec : {};
    sendJson(res, 201, {
      kind: r.kind,
      apiVersion: apiVersionOf(r),
      metadata: { creationTimestamp: null },
      spec,
      status: {
        allowed: true,
        reason:
          'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to User "aks-demo-admin"',
      },
    });
    return;
  }
  if (t.name === undefined) {
    const isWatch = t.watchPrefix || truthy(q.get("watch"));
    if (method === "GET" && isWatch) {
      env.count("watch");
      const { matches } = listObjects(ctx, r, ns, q, true);
      const rv = q.get("resourceVersion");
      const timeout = q.get("timeoutSeconds");
      const w = serveWatch(
        ctx.store,
        res,
        {
          resource: r,
          ...(ns !== undefined && r.namespaced ? { namespace: ns } : {}),
          matches,
          ...(rv !== null ? { resourceVersion: rv } : {}),
          ...(timeout !== null ? { timeoutSeconds: Number(timeout) } : {}),
          allowBookmarks: truthy(q.get("allowWatchBookmarks")),
          sendInitialEvents: truthy(q.get("sendInitialEvents")),
          ...(neg.table ? { render } : {}),
          bookmarkIntervalMs: env.bookmarkIntervalMs,
          ...(env.clock ? { clock: env.clock } : {}),
          ...(faults.closeWatchAfter !== undefined ? { closeAfterEvents: faults.closeWatchAfter } : {}),
        },
        () => env.watches.delete(w),
      );
      env.watches.add(w);
      return;
    }
    if (method === "GET") {
      env.count("list");
      const { items, meta } = listObjects(ctx, r, ns, q, false);
      if (neg.table) sendJson(res, 200, toTable(r, items, meta, ctx.now(), include));
      else sendJson(res, 200, { kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: meta, items });
      return;
    }
    if (method === "POST" && ns !== undefined && !t.watchPrefix) {
      env.count("create");
      const opts = writeOpts(q);
      const body = parseBody(await readBody(req), contentType);
      const created = createObject(ctx, r, ns, body, opts);
      sendJson(res, 201, render(created), warningHeaders(opts.warnings));
      return;
    }
    if (method === "DELETE" && ns !== undefined && !t.watchPrefix) {
      env.count("deletecollection");
      const body = parseBody(await readBody(req), contentType);
      const dryRun = dryRunOf(q, body);
      const { items } = listObjects(ctx, r, ns, q, false);
      for (const o of items)
        deleteObject(ctx, r, o.metadata.namespace ?? "", o.metadata.name ?? "", { dryRun });
      sendJson(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success" });
      return;
    }
    throw methodNotAllowed();
  }

  if (ns === undefined || t.watchPrefix) throw methodNotAllowed();
  const name = t.name;
  const sub: "status" | undefined = t.sub === "status" ? "status" : undefined;
  if (t.sub === "log") {
    // The emulated containers write nothing to stdout/stderr.
    if (method !== "GET") throw methodNotAllowed();
    env.count("get");
    getObject(ctx, r, ns, name);
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("");
    return;
  }
  switch (method) {
    case "GET": {
      env.count("get");
      sendJson(res, 200, render(getObject(ctx, r, ns, name)));
      return;
    }
    case "PUT": {
      env.count("update");
      const opts = writeOpts(q, sub);
      const body = parseBody(await readBody(req), contentType);
      const updated = updateObject(ctx, r, ns, name, body, opts);
      sendJson(res, 200, render(updated), warningHeaders(opts.warnings));
      return;
    }
    case "PATCH": {
      env.count("patch");
      const opts = writeOpts(q, sub);
      const type = patchTypeOf(contentType);
      const body = parseBody(await readBody(req), contentType);
      if (type === "apply" && !q.get("fieldManager")) {
        throw invalid("PatchOptions", "meta.k8s.io", "", [
          {
            type: "FieldValueRequired",
            field: "fieldManager",
            detail: "Required value: is required for apply patch",
          },
        ]);
      }
      const existed = Boolean(ctx.store.get(r, ns, name));
      const patched = patchObject(ctx, r, ns, name, type, body, opts);
      sendJson(res, existed ? 200 : 201, render(patched), warningHeaders(opts.warnings));
      return;
    }
    case "DELETE": {
      if (sub) throw methodNotAllowed();
      env.count("delete");
      const body = parseBody(await readBody(req), contentType);
      const opts = isDict(body) ? body : {};
      const grace = q.get("gracePeriodSeconds") ?? opts.gracePeriodSeconds;
      const pre = isDict(opts.preconditions)
        ? (opts.preconditions as { uid?: string; resourceVersion?: string })
        : undefined;
      const result = deleteObject(ctx, r, ns, name, {
        dryRun: dryRunOf(q, body),
        ...(grace !== undefined && grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
        ...(pre ? { preconditions: pre } : {}),
      });
      if (result.returnsObject || result.object.metadata.deletionTimestamp)
        sendJson(res, 200, render(result.object));
      else {
        sendJson(res, 200, {
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Success",
          details: {
            name,
            ...(r.group ? { group: r.group } : {}),
            kind: r.plural,
            uid: result.object.metadata.uid,
          },
        });
      }
      return;
    }
    default:
      throw methodNotAllowed();
  }
}
