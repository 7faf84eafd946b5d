/**
 * Key Vault vaults, SQL servers and Storage accounts as private link targets: GET and lists of
 * the resources the world holds (no create: the world seeds them), their private link resources
 * (group ids with `requiredZoneNames`), and their private endpoint connections (list, get,
 * approve/reject with the provider's approval action, delete). The consumer's private endpoint
 * mirrors every change, as for a private link service.
 */
import { badRequest, childNotFound } from "../errors.js";
import { lroHeaders } from "../lro.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Resource } from "../types.js";
import { clone, listBody, obj, rgId, str } from "../util.js";
import { body, listUnder, lroDeleteReply, mustGet, ok, pagedList } from "./common.js";
import { PAAS_KINDS, type PaasKind } from "./paas-model.js";
import { findPec, pecs, syncEndpoint } from "./pls-model.js";
import { routeFor } from "./routes.js";

const DECIDABLE = ["Approved", "Rejected"];

/** The vault, server or account the path names (404 when the world has none). */
function targetOf(kind: PaasKind, c: Ctx): Resource {
  return mustGet(
    c,
    `${rgId(c.p.sub ?? "", c.p.rg ?? "")}/providers/${kind.type}/${c.p.name}`,
    kind.type,
    c.p.name ?? "",
  );
}

function pecOf(kind: PaasKind, c: Ctx) {
  const pec = findPec(targetOf(kind, c), c.p.pec ?? "");
  if (!pec) throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
  return pec;
}

/** SQL's connection PUT is long-running: 202 with a status monitor (the state is set at once). */
function sqlAccepted(c: Ctx, t: Resource) {
  const op = c.emu.startOperation([], []);
  const scope = { subscriptionId: c.p.sub ?? "", location: t.location ?? "" };
  return { status: 202, headers: lroHeaders(c.base, c.apiVersion, op, scope, c.emu.now()) };
}

/**
 * The provider approves or rejects a connection (200; SQL 202), as each of these RPs lets it.
 * ARM authorizes the PUT on the route's `<type>/privateEndpointConnections/write` ("Approve or
 * reject a connection", learn.microsoft.com/azure/role-based-access-control/permissions), as
 * for a Private Link Service's connections.
 */
function decide(kind: PaasKind, c: Ctx) {
  const t = targetOf(kind, c);
  const pec = pecOf(kind, c);
  const want = obj(obj(body(c).properties).privateLinkServiceConnectionState);
  const status = DECIDABLE.find((s) => s.toLowerCase() === str(want.status)?.toLowerCase());
  if (!status) {
    throw badRequest(
      "InvalidPrivateEndpointConnectionStatus",
      `Private endpoint connection ${str(pec.id)} cannot be set to status '${str(want.status)}': the resource owner sets Approved or Rejected, and removes a connection with DELETE.`,
    );
  }
  const p = obj(pec.properties);
  const cur = obj(p.privateLinkServiceConnectionState);
  if (cur.status === "Rejected" && status === "Approved") {
    // By design (MicrosoftDocs/azure-docs#115121): a rejected connection cannot be approved.
    throw badRequest("BadRequest", "Approving rejected private endpoint connections is not supported.");
  }
  p.privateLinkServiceConnectionState = {
    status,
    description: str(want.description) ?? str(cur.description) ?? "",
    actionsRequired: str(want.actionsRequired) ?? "None",
  };
  syncEndpoint(c.state, t, str(obj(p.privateEndpoint).id) ?? "", pec);
  c.dirty = true;
  // Azure/azure-rest-api-specs specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/
  // PrivateEndpointConnections.json, PrivateEndpointConnections_CreateOrUpdate, x-ms-long-running-operation.
  if (kind.type === "Microsoft.Sql/servers") return sqlAccepted(c, t);
  return ok(clone(pec));
}

function removeConnection(kind: PaasKind, c: Ctx) {
  const t = targetOf(kind, c);
  const pec = findPec(t, c.p.pec ?? "");
  if (!pec) return { status: 204 };
  t.properties.privateEndpointConnections = pecs(t).filter((x) => x !== pec);
  syncEndpoint(c.state, t, str(obj(obj(pec.properties).privateEndpoint).id) ?? "", undefined);
  return lroDeleteReply(c, [], t.location ?? "");
}

/** The group ids a private endpoint can connect to, with the zone each needs. */
function linkResources(kind: PaasKind, c: Ctx) {
  const t = targetOf(kind, c);
  return ok(
    listBody(
      kind.groups.map((g) => ({
        id: `${t.id}/privateLinkResources/${g.groupId}`,
        name: g.groupId,
        type: `${kind.type}/privateLinkResources`,
        properties: { groupId: g.groupId, requiredMembers: g.requiredMembers, requiredZoneNames: [g.zone] },
      })),
    ),
  );
}

function routesOf(kind: PaasKind): RouteDef[] {
  const route = routeFor(kind.api);
  const [ns, collection] = kind.type.split("/");
  const inRg = `/subscriptions/{sub}/resourceGroups/{rg}/providers/${kind.type}`;
  const one = `${inRg}/{name}`;
  const pecPath = `${one}/privateEndpointConnections`;
  const read = `${kind.type}/read`;
  const pecBase = `${kind.type}/privateEndpointConnections`;
  return [
    route("GET", one, `${kind.ops}_Get`, read, (c) => ok(clone(targetOf(kind, c)))),
    route(
      "GET",
      inRg,
      `${kind.ops}_ListByResourceGroup`,
      read,
      (c) => listUnder(c, rgId(c.p.sub ?? "", c.p.rg ?? ""), kind.type, read),
      { list: true },
    ),
    route(
      "GET",
      `/subscriptions/{sub}/providers/${ns}/${collection}`,
      `${kind.ops}_List`,
      read,
      (c) => listUnder(c, `/subscriptions/${c.p.sub}`, kind.type, read),
      { list: true },
    ),
    route(
      "GET",
      `${one}/privateLinkResources`,
      kind.linkResourcesOp,
      `${kind.type}/privateLinkResources/read`,
      (c) => linkResources(kind, c),
    ),
    route("GET", pecPath, "PrivateEndpointConnections_List", `${pecBase}/read`, (c) =>
      pagedList(c, pecs(targetOf(kind, c))),
    ),
    route("GET", `${pecPath}/{pec}`, "PrivateEndpointConnections_Get", `${pecBase}/read`, (c) =>
      ok(clone(pecOf(kind, c))),
    ),
    route("PUT", `${pecPath}/{pec}`, "PrivateEndpointConnections_Put", `${pecBase}/write`, (c) =>
      decide(kind, c),
    ),
    route("DELETE", `${pecPath}/{pec}`, "PrivateEndpointConnections_Delete", `${pecBase}/delete`, (c) =>
      removeConnection(kind, c),
    ),
  ];
}

export const paasRoutes: RouteDef[] = PAAS_KINDS.flatMap(routesOf);
