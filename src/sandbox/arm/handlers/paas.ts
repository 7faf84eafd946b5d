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

function routesOf(kind: PaasKind): RouteDef[] {
  const route = routeFor(kind.api);
  const [ns, collection] = kind.type.split("/");
  const inRg = `/subscriptions/{sub}/resourceGroups/{rg}/providers/${kind.type}`;
  const one = `${inRg}/{name}`;
  const pecPath = `${one}/privateEndpointConnections`;
  const read = `${kind.type}/read`;
  const pecBase = `${kind.type}/privateEndpointConnections`;
  const target = (c: Ctx): Resource =>
    mustGet(
      c,
      `${rgId(c.p.sub ?? "", c.p.rg ?? "")}/providers/${kind.type}/${c.p.name}`,
      kind.type,
      c.p.name ?? "",
    );
  const pecOf = (c: Ctx) => {
    const pec = findPec(target(c), c.p.pec ?? "");
    if (!pec) throw childNotFound("privateEndpointConnection", c.p.pec ?? "");
    return pec;
  };

  /**
   * The provider approves or rejects a connection (200; SQL 202), as each of these RPs lets it.
   * ARM authorizes the PUT on the route's `<type>/privateEndpointConnections/write` ("Approve or
   * reject a connection", learn.microsoft.com/azure/role-based-access-control/permissions), as
   * for a Private Link Service's connections.
   */
  function decide(c: Ctx) {
    const t = target(c);
    const pec = pecOf(c);
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
    if (kind.type === "Microsoft.Sql/servers") {
      // SQL's PUT is long-running: 200 or 202 with a status monitor (Azure/azure-rest-api-specs
      // specification/sql/resource-manager/Microsoft.Sql/stable/2021-11-01/PrivateEndpointConnections.json,
      // PrivateEndpointConnections_CreateOrUpdate, x-ms-long-running-operation). The state is set at once.
      const op = c.emu.startOperation([], []);
      return {
        status: 202,
        headers: lroHeaders(
          c.base,
          c.apiVersion,
          op,
          { subscriptionId: c.p.sub ?? "", location: t.location ?? "" },
          c.emu.now(),
        ),
      };
    }
    return ok(clone(pec));
  }

  function remove(c: Ctx) {
    const t = target(c);
    const pec = findPec(t, c.p.pec ?? "");
    if (!pec) return { status: 204 };
    t.properties.privateEndpointConnections = pecs(t).filter((x) => x !== pec);
    syncEndpoint(c.state, t, str(obj(obj(pec.properties).privateEndpoint).id) ?? "", undefined);
    return lroDeleteReply(c, [], t.location ?? "");
  }

  return [
    route("GET", one, `${kind.ops}_Get`, read, (c) => ok(clone(target(c)))),
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
      (c) => {
        const t = target(c);
        return ok(
          listBody(
            kind.groups.map((g) => ({
              id: `${t.id}/privateLinkResources/${g.groupId}`,
              name: g.groupId,
              type: `${kind.type}/privateLinkResources`,
              properties: {
                groupId: g.groupId,
                requiredMembers: g.requiredMembers,
                requiredZoneNames: [g.zone],
              },
            })),
          ),
        );
      },
    ),
    route("GET", pecPath, "PrivateEndpointConnections_List", `${pecBase}/read`, (c) =>
      pagedList(c, pecs(target(c))),
    ),
    route("GET", `${pecPath}/{pec}`, "PrivateEndpointConnections_Get", `${pecBase}/read`, (c) =>
      ok(clone(pecOf(c))),
    ),
    route("PUT", `${pecPath}/{pec}`, "PrivateEndpointConnections_Put", `${pecBase}/write`, decide),
    route("DELETE", `${pecPath}/{pec}`, "PrivateEndpointConnections_Delete", `${pecBase}/delete`, remove),
  ];
}

export const paasRoutes: RouteDef[] = PAAS_KINDS.flatMap(routesOf);
