/** Helpers shared by the resource handlers: lookup, store, long-running replies, list filtering. */
import { ArmError, badRequest, invalidRequestFormat, resourceNotFound } from "../errors.js";
import { lroHeaders } from "../lro.js";
import { can, linkedAuthorizationFailed } from "../rbac.js";
import type { Ctx } from "../router.js";
import type { Json, Reply, Resource } from "../types.js";
import { clone, isObject, key, listBody, NAME_RE } from "../util.js";

export const NET = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network";

export function getRes(c: Ctx, id: string): Resource | undefined {
  return c.state.resources[key(id)];
}

export function mustGet(c: Ctx, id: string, type: string, name: string): Resource {
  const r = getRes(c, id);
  if (!r) throw resourceNotFound(type, name, c.p.rg ?? "");
  return r;
}

export function putRes(c: Ctx, r: Resource): void {
  c.state.resources[key(r.id)] = r;
  c.dirty = true;
}

export function delRes(c: Ctx, id: string): void {
  delete c.state.resources[key(id)];
  c.dirty = true;
}

export function body(c: Ctx): Json {
  if (!isObject(c.req.body)) throw invalidRequestFormat();
  return c.req.body;
}

/** What a PUT addresses: its body, the stored resource if any, and its id (the stored casing wins). */
export function putTarget(c: Ctx): { b: Json; existing: Resource | undefined; id: string } {
  const b = body(c);
  const existing = getRes(c, c.req.path);
  return { b, existing, id: existing?.id ?? c.req.path };
}

export function ok(b: unknown, status = 200): Reply {
  return { status, body: b };
}

/**
 * Resources of `type` under `prefix` (an RG or subscription id) that the caller may read, each shown
 * by `render` (a copy by default); `paged` lists hand them out `pageSize` at a time.
 */
export function listUnder(
  c: Ctx,
  prefix: string,
  type: string,
  readAction: string,
  render: (r: Resource) => unknown = clone,
  paged = false,
): Reply {
  const p = `${prefix.toLowerCase()}/`;
  const items = Object.values(c.state.resources).filter(
    (r) =>
      r.type.toLowerCase() === type.toLowerCase() &&
      r.id.toLowerCase().startsWith(p) &&
      can(c.emu.roles, c.identity, readAction, r.id),
  );
  return paged ? pagedList(c, items, render) : ok(listBody(items.map((r) => render(r))));
}

const encodeToken = (next: number) => Buffer.from(JSON.stringify({ next })).toString("base64url");

function decodeToken(token: string): number {
  try {
    const next = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { next?: unknown }).next;
    if (typeof next === "number" && Number.isInteger(next) && next >= 0) return next;
  } catch {
    // falls through to the 400
  }
  throw badRequest(
    "InvalidSkipToken",
    `The skip token '${token}' is not valid. Request the list from its start.`,
  );
}

/**
 * One page of a list, as ARM hands out long lists: `pageSize` items (the emulator's setting) and,
 * while more follow, `nextLink`: an absolute URL to the same list with an opaque `$skipToken`,
 * which the SDKs' iterators request verbatim.
 */
export function pagedList<T>(c: Ctx, items: T[], render: (x: T) => unknown = clone): Reply {
  const token = c.req.query.get("$skipToken") ?? c.req.query.get("$skiptoken");
  const start = token === null ? 0 : decodeToken(token);
  const end = start + c.emu.settings.pageSize;
  const b: Json = { value: items.slice(start, end).map((x) => render(x)) };
  if (end < items.length) {
    b.nextLink = `${c.base}${encodeURI(c.req.path)}?api-version=${encodeURIComponent(c.apiVersion)}&$skipToken=${encodeToken(end)}`;
  }
  return ok(b);
}

/** What Azure takes a while to provision: PUTs of these types last `provisioningDelayMs` if longer. */
const PROVISIONED_TYPES = new Set([
  "microsoft.network/loadbalancers",
  "microsoft.network/privatelinkservices",
]);

/** Reply to a long-running PUT: 201/200 with `Updating` and Azure-AsyncOperation. */
export function lroPutReply(
  c: Ctx,
  r: Resource,
  created: boolean,
  location: string,
  extraSettle: string[] = [],
): Reply {
  const delayMs = PROVISIONED_TYPES.has(r.type.toLowerCase())
    ? Math.max(c.emu.lroDelayMs, c.emu.provisioningDelayMs)
    : c.emu.lroDelayMs;
  const op = c.emu.startOperation([r.id, ...extraSettle], [], c.lroError, delayMs);
  if (op.status === "InProgress") r.properties.provisioningState = "Updating";
  c.dirty = true;
  const b = clone(r);
  b.properties.provisioningState = "Updating";
  return {
    status: created ? 201 : 200,
    body: b,
    headers: lroHeaders(c.base, c.apiVersion, op, { subscriptionId: c.p.sub ?? "", location }, c.emu.now()),
  };
}

/**
 * Reply to a long-running DELETE: 202 with Location and Azure-AsyncOperation; the resources are
 * removed now (delay 0) or when the operation ends (they show `Deleting` meanwhile).
 */
export function lroDeleteReply(c: Ctx, ids: string[], location: string): Reply {
  const op = c.emu.startOperation([], c.emu.lroDelayMs > 0 ? ids : []);
  if (c.emu.lroDelayMs > 0) {
    for (const id of ids) {
      const r = getRes(c, id);
      if (r) r.properties.provisioningState = "Deleting";
    }
  } else {
    for (const id of ids) delRes(c, id);
  }
  c.dirty = true;
  return {
    status: 202,
    headers: lroHeaders(
      c.base,
      c.apiVersion,
      op,
      {
        subscriptionId: c.p.sub ?? "",
        location,
        location_: true,
      },
      c.emu.now(),
    ),
  };
}

export function conflict(code: string, message: string): ArmError {
  return new ArmError(409, code, message);
}

export function normLocation(l: unknown): string {
  return typeof l === "string" ? l.toLowerCase().replace(/\s+/g, "") : "";
}

/** Network's name rule (private endpoints, private link services): 1-80 word characters, '.', '-', '_'. */
export function checkName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw badRequest(
      "InvalidResourceName",
      `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.`,
    );
  }
}

/** The location of a PUT: the body's (normalised), else the stored resource's; one is required. */
export function requiredLocation(b: Json, existing: Resource | undefined): string {
  const location = normLocation(b.location) || existing?.location;
  if (!location)
    throw badRequest("LocationRequired", "The location property is required for this definition.");
  return location;
}

export const SUBNET_JOIN = "Microsoft.Network/virtualNetworks/subnets/join/action";

/** ARM's linked-access check: the write also needs `linkedAction` on a referenced resource. */
export function requireLinked(c: Ctx, action: string, linkedAction: string, linkedScope: string): void {
  if (!can(c.emu.roles, c.identity, linkedAction, linkedScope)) {
    throw linkedAuthorizationFailed(c.caller, action, c.req.path, linkedAction, linkedScope);
  }
}
