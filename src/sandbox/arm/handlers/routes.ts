/**
 * Route-table builders: one route of an API family, and the standard set ARM serves for a tracked
 * resource in a resource group (GET, list, subscription-wide list, PUT, DELETE).
 */
import type { ApiFamily } from "../api-versions.js";
import type { OpClass } from "../limits.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Resource } from "../types.js";
import { clone, rgId } from "../util.js";
import { listUnder, mustGet, ok } from "./common.js";

type Handler = RouteDef["handler"];

export interface RouteOptions {
  /** A listing (authorised at or below the scope, items filtered). */
  list?: boolean;
  /** The throttling class; by default GET and HEAD are `reads`, other methods `writes`. */
  cls?: OpClass;
}

/** A builder of routes of one API family: `route(method, path, op, action, handler, options)`. */
export function routeFor(api: ApiFamily) {
  return (
    method: string,
    path: string,
    op: string,
    action: string,
    handler: Handler,
    o: RouteOptions = {},
  ): RouteDef => ({
    method,
    path,
    op,
    api,
    cls: o.cls ?? (method === "GET" || method === "HEAD" ? "reads" : "writes"),
    action,
    ...(o.list ? { list: true } : {}),
    handler,
  });
}

export interface TrackedResourceRoutes {
  /** Full type, e.g. `Microsoft.Network/privateEndpoints`; its last segment is the path segment. */
  type: string;
  /** Operation id prefix, e.g. `PrivateEndpoints`. */
  ops: string;
  api: ApiFamily;
  /** How a stored resource is shown by GET and the lists (a copy by default). */
  render?: (c: Ctx, r: Resource) => Resource;
  /** Also serve the subscription-wide list (`<ops>_ListBySubscription`). */
  bySubscription?: boolean;
  /** The lists hand out `pageSize` items per page with a `nextLink` (see pagedList). */
  paged?: boolean;
  put: Handler;
  delete?: Handler;
}

/** `<ops>_Get`, `_List`, `_ListBySubscription` (optional), `_CreateOrUpdate`, `_Delete` (optional). */
export function trackedResourceRoutes(s: TrackedResourceRoutes): RouteDef[] {
  const route = routeFor(s.api);
  const [namespace, collection] = s.type.split("/");
  const inRg = `/subscriptions/{sub}/resourceGroups/{rg}/providers/${s.type}`;
  const read = `${s.type}/read`;
  const render = s.render ?? ((_c: Ctx, r: Resource) => clone(r));
  const routes = [
    route("GET", `${inRg}/{name}`, `${s.ops}_Get`, read, (c) =>
      ok(render(c, mustGet(c, c.req.path, s.type, c.p.name ?? ""))),
    ),
    route(
      "GET",
      inRg,
      `${s.ops}_List`,
      read,
      (c) => listUnder(c, rgId(c.p.sub ?? "", c.p.rg ?? ""), s.type, read, (r) => render(c, r), s.paged),
      { list: true },
    ),
  ];
  if (s.bySubscription) {
    routes.push(
      route(
        "GET",
        `/subscriptions/{sub}/providers/${namespace}/${collection}`,
        `${s.ops}_ListBySubscription`,
        read,
        (c) => listUnder(c, `/subscriptions/${c.p.sub}`, s.type, read, (r) => render(c, r), s.paged),
        { list: true },
      ),
    );
  }
  routes.push(route("PUT", `${inRg}/{name}`, `${s.ops}_CreateOrUpdate`, `${s.type}/write`, s.put));
  if (s.delete)
    routes.push(route("DELETE", `${inRg}/{name}`, `${s.ops}_Delete`, `${s.type}/delete`, s.delete));
  return routes;
}
