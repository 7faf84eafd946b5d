/**
 * Request routing for the Kubernetes API: discovery and OpenAPI here; the REST paths through the
 * route table (target.ts: path → target → action) to one handler each (rest.ts). Anything else is
 * a 404 Status counted as unrouted; a method a path does not take, 405.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as disco from "./discovery.js";
import { methodNotAllowed, routeNotFound } from "./errors.js";
import { negotiate, sendJson } from "./http.js";
import { type Call, HANDLERS, type RouteFaults, type RouterEnv } from "./rest.js";
import type { IncludeObject } from "./table.js";
import { COUNTED_AS, namespaceOf, parseTarget, restAction, servesSubresource } from "./target.js";

export type { RouteFaults, RouterEnv } from "./rest.js";
export { requestVerb } from "./target.js";

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
  if (!t || !servesSubresource(t)) {
    env.unrouted();
    throw routeNotFound();
  }
  const q = url.searchParams;
  const { table } = negotiate(req.headers.accept);
  const action = restAction(t, method, q);
  if (!action) throw methodNotAllowed();
  env.count(COUNTED_AS[action]);
  const call: Call = {
    env,
    req,
    res,
    t,
    ns: namespaceOf(t),
    q,
    table,
    include: (q.get("includeObject") as IncludeObject | null) ?? "Metadata",
    contentType: req.headers["content-type"] ?? "application/json",
    faults,
  };
  await HANDLERS[action](call);
}
