/**
 * Private endpoint connections seen from the private link service: list (paged), get,
 * approve/reject (synchronous PUT, 200 only; ARM authorizes it on
 * `Microsoft.Network/privateLinkServices/privateEndpointConnections/write`, learn.microsoft.com
 * azure/role-based-access-control/permissions/networking), delete (long-running).
 * The consumer's private endpoint mirrors every change. Writes are refused with 429 while the PLS
 * is busy (locks.ts).
 */
import { badRequest, childNotFound } from "../errors.js";
import { withPlsLock } from "../locks.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Resource } from "../types.js";
import { clone, key, obj, str, weakEtag } from "../util.js";
import { body, lroDeleteReply, mustGet, NET, ok, pagedList } from "./common.js";
import { findPec, PLS, pecs, syncEndpoint } from "./pls-model.js";
import { routeFor } from "./routes.js";

const PATH = `${NET}/privateLinkServices/{name}/privateEndpointConnections`;
const ONE = `${PATH}/{pec}`;
const plsId = (c: Ctx) => `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${PLS}/${c.p.name}`;
const STATUSES = ["Approved", "Rejected", "Pending", "Disconnected", "Removed"];
const PROVIDER_STATUSES = ["Approved", "Rejected"];

function getPec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  const pec = findPec(pls, c.p.pec ?? "");
  if (!pec) throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
  return ok(clone(pec));
}

const OP_UPDATE = "UpdatePrivateEndpointConnectionOperation";
const OP_DELETE = "DeletePrivateEndpointConnectionOperation";

function wasRemoved(c: Ctx, id: string): boolean {
  return (c.state.removedConnections ?? []).includes(key(id));
}

function updatePec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  if (!findPec(pls, c.p.pec ?? "")) {
    if (wasRemoved(c, `${pls.id}/privateEndpointConnections/${c.p.pec}`)) {
      // Removed by the provider (DELETE): gone for good; the consumer creates a new endpoint.
      throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
    }
    throw badRequest(
      "PrivateEndpointConnectionCannotBeCreatedByServiceProvider",
      `Private endpoint connection ${c.req.path} cannot be created by the service provider. Private endpoint connections are created when a consumer creates a private endpoint.`,
    );
  }
  return withPlsLock(c, pls, OP_UPDATE, () => decide(c, pls));
}

/** The provider's decision on a connection: Approved or Rejected, as Azure lets a provider decide. */
function decide(c: Ctx, pls: Resource) {
  const pec = findPec(pls, c.p.pec ?? "");
  if (!pec) throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
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
  if (cur.status === "Disconnected") {
    throw badRequest(
      "PrivateEndpointConnectionStateChangeNotAllowed",
      `Private endpoint connection ${str(pec.id)} is disconnected and cannot be changed.`,
    );
  }
  if (!PROVIDER_STATUSES.includes(status)) {
    // A provider approves or rejects; Pending is the consumer's request, Disconnected (and
    // Removed) what a DELETE leaves (learn.microsoft.com, "Manage a Private Endpoint connection").
    throw badRequest(
      "InvalidPrivateEndpointConnectionStatus",
      `Private endpoint connection ${str(pec.id)} cannot be set to status '${status}' by the private link service. A private link service can set Approved or Rejected; it removes a connection with DELETE.`,
    );
  }
  if (cur.status === "Rejected" && status !== "Rejected") {
    // By design (MicrosoftDocs/azure-docs#115121): a denied connection cannot be approved; the
    // consumer deletes the endpoint and creates a new one. Message as services word it.
    throw badRequest("BadRequest", "Approving rejected private endpoint connections is not supported.");
  }
  if (cur.status === "Approved" && status === "Approved" && c.emu.settings.strictReapprove) {
    // Sandbox strict mode: proves a client never re-approves. Worded as the Storage RP refuses it
    // (Azure/azure-rest-api-specs#30308); Microsoft.Network itself answers 200.
    throw badRequest(
      "InvalidValuesForRequestParameters",
      "Values for request parameters are invalid: privateLinkServiceConnectionState.status. (sandbox strictReapprove: the connection is already Approved)",
    );
  }
  checkDescription(str(want.description));
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

/**
 * The description's length. Azure documents no number for it; the bounds found are for the same
 * field written by a consumer: 140 (Fabric's managed private endpoint requestMessage,
 * learn.microsoft.com/rest/api/fabric/core/managed-private-endpoints) and 128, observed for some
 * services (hashicorp/terraform-provider-azurerm#25610). The sandbox enforces the smaller, with
 * ARM's 400 error shape; the code is the sandbox's own (no public source shows Azure's).
 */
export const DESCRIPTION_LIMIT = 128;

function checkDescription(d: string | undefined): void {
  if (d !== undefined && d.length > DESCRIPTION_LIMIT)
    throw badRequest(
      "InvalidPrivateLinkServiceConnectionStateDescription",
      `The privateLinkServiceConnectionState.description has ${d.length} characters; it can have at most ${DESCRIPTION_LIMIT}.`,
    );
}

function deletePec(c: Ctx) {
  const pls = mustGet(c, plsId(c), PLS, c.p.name ?? "");
  if (!findPec(pls, c.p.pec ?? "")) return { status: 204 };
  return withPlsLock(c, pls, OP_DELETE, () => {
    const pec = findPec(pls, c.p.pec ?? "");
    if (!pec) return { status: 204 };
    pls.properties.privateEndpointConnections = pecs(pls).filter((x) => x !== pec);
    pls.etag = weakEtag();
    syncEndpoint(c.state, pls, str(obj(obj(pec.properties).privateEndpoint).id) ?? "", undefined);
    c.state.removedConnections = [...(c.state.removedConnections ?? []), key(str(pec.id) ?? "")];
    return lroDeleteReply(c, [], pls.location ?? "");
  });
}

const base = `${PLS}/privateEndpointConnections`;
const route = routeFor("privateLink");

export const pecRoutes: RouteDef[] = [
  route("GET", PATH, "PrivateLinkServices_ListPrivateEndpointConnections", `${base}/read`, (c) =>
    pagedList(c, pecs(mustGet(c, plsId(c), PLS, c.p.name ?? ""))),
  ),
  route("GET", ONE, "PrivateLinkServices_GetPrivateEndpointConnection", `${base}/read`, getPec),
  route("PUT", ONE, "PrivateLinkServices_UpdatePrivateEndpointConnection", `${base}/write`, updatePec),
  route("DELETE", ONE, "PrivateLinkServices_DeletePrivateEndpointConnection", `${base}/delete`, deletePec),
];
