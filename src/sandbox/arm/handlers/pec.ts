/**
 * Private endpoint connections seen from the private link service: list, get, approve/reject
 * (synchronous PUT, 200 only, needs the approval action), delete (long-running). The consumer's
 * private endpoint mirrors every change.
 */
import { badRequest, childNotFound } from "../errors.js";
import { authorizationFailed, can } from "../rbac.js";
import type { Ctx, RouteDef } from "../router.js";
import { clone, listBody, obj, str, weakEtag } from "../util.js";
import { body, lroDeleteReply, mustGet, NET, ok } from "./common.js";
import { APPROVAL_ACTION, findPec, PLS, pecs, syncEndpoint } from "./pls-model.js";
import { routeFor } from "./routes.js";

const PATH = `${NET}/privateLinkServices/{name}/privateEndpointConnections`;
const ONE = `${PATH}/{pec}`;
const plsId = (c: Ctx) => `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${PLS}/${c.p.name}`;
const STATUSES = ["Approved", "Rejected", "Pending", "Disconnected", "Removed"];

function getPec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  const pec = findPec(pls, c.p.pec ?? "");
  if (!pec) throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
  return ok(clone(pec));
}

function updatePec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  if (!can(c.emu.roles, c.identity, APPROVAL_ACTION, pls.id))
    throw authorizationFailed(c.caller, APPROVAL_ACTION, pls.id);
  const pec = findPec(pls, c.p.pec ?? "");
  if (!pec) {
    throw badRequest(
      "PrivateEndpointConnectionCannotBeCreatedByServiceProvider",
      `Private endpoint connection ${c.req.path} cannot be created by the service provider. Private endpoint connections are created when a consumer creates a private endpoint.`,
    );
  }
  const want = obj(obj(body(c).properties).privateLinkServiceConnectionState);
  const status = STATUSES.find((s) => s.toLowerCase() === str(want.status)?.toLowerCase());
  if (!status) {
    throw badRequest(
      "InvalidRequestFormat",
      `Private link service connection status '${str(want.status)}' is invalid.`,
    );
  }
  const p = obj(pec.properties);
  const cur = obj(p.privateLinkServiceConnectionState);
  if (cur.status === "Rejected" && status !== "Rejected") {
    // By design (MicrosoftDocs/azure-docs#115121): a denied connection cannot be approved; the
    // consumer deletes the endpoint and creates a new one. Message as services word it.
    throw badRequest("BadRequest", "Approving rejected private endpoint connections is not supported.");
  }
  if (cur.status === "Disconnected") {
    throw badRequest(
      "PrivateEndpointConnectionStateChangeNotAllowed",
      `Private endpoint connection ${str(pec.id)} is disconnected and cannot be changed.`,
    );
  }
  p.privateLinkServiceConnectionState = {
    status,
    description: str(want.description) ?? str(cur.description) ?? "",
    actionsRequired: str(want.actionsRequired) ?? "None",
  };
  pec.etag = weakEtag();
  pls.etag = str(pec.etag);
  syncEndpoint(c.state, pls, str(obj(p.privateEndpoint).id) ?? "", pec);
  c.dirty = true;
  return ok(clone(pec));
}

function deletePec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  const pec = findPec(pls, c.p.pec ?? "");
  if (!pec) return { status: 204 };
  pls.properties.privateEndpointConnections = pecs(pls).filter((x) => x !== pec);
  pls.etag = weakEtag();
  syncEndpoint(c.state, pls, str(obj(obj(pec.properties).privateEndpoint).id) ?? "", undefined);
  return lroDeleteReply(c, [], pls.location ?? "");
}

const base = `${PLS}/privateEndpointConnections`;
const route = routeFor("privateLink");

export const pecRoutes: RouteDef[] = [
  route("GET", PATH, "PrivateLinkServices_ListPrivateEndpointConnections", `${base}/read`, (c) =>
    ok(listBody(pecs(mustGet(c, plsId(c), PLS, c.p.name ?? "")).map((p) => clone(p)))),
  ),
  route("GET", ONE, "PrivateLinkServices_GetPrivateEndpointConnection", `${base}/read`, getPec),
  route("PUT", ONE, "PrivateLinkServices_UpdatePrivateEndpointConnection", `${base}/write`, updatePec),
  route("DELETE", ONE, "PrivateLinkServices_DeletePrivateEndpointConnection", `${base}/delete`, deletePec),
];
