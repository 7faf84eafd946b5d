/** Microsoft.Resources (tenants, subscriptions, resource groups) and AKS managedClusters GET. */
import { resourceGroupNotFound } from "../errors.js";
import { can } from "../rbac.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Resource } from "../types.js";
import { clone, listBody, rgId, str } from "../util.js";
import { body, getRes, listUnder, mustGet, ok, putRes } from "./common.js";

function subscriptionBody(c: Ctx, id: string): Json | undefined {
  const s = c.state.world.subscriptions.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!s) return undefined;
  return {
    id: `/subscriptions/${s.id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: s.id,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

/** The subscriptions of the caller's tenant where it has a role assignment at any scope, as ARM lists them. */
const visibleSubs = (c: Ctx) =>
  c.state.world.subscriptions.filter(
    (s) =>
      s.tenantId === c.caller.tenantId &&
      (c.identity?.roleAssignments ?? []).some((ra) =>
        `${ra.scope.toLowerCase()}/`.startsWith(`/subscriptions/${s.id.toLowerCase()}/`),
      ),
  );

const RG_READ = "Microsoft.Resources/subscriptions/resourceGroups/read";
const RG = "/subscriptions/{sub}/resourceGroups/{rg}";

function rgBody(r: Resource): Json {
  const b: Json = { id: r.id, name: r.name, type: r.type, location: r.location, properties: r.properties };
  if (r.tags) b.tags = r.tags;
  if (r.managedBy) b.managedBy = r.managedBy;
  return b;
}

const listClusters = (c: Ctx, prefix: string) =>
  listUnder(
    c,
    prefix,
    "Microsoft.ContainerService/ManagedClusters",
    "Microsoft.ContainerService/managedClusters/read",
  );

export const resourceRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/subscriptions",
    op: "Subscriptions_List",
    api: "subscriptions",
    cls: "reads",
    handler: (c) => {
      const items = visibleSubs(c).map((s) => subscriptionBody(c, s.id));
      return ok({ value: items, count: { type: "Total", value: items.length } });
    },
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}",
    op: "Subscriptions_Get",
    api: "subscriptions",
    cls: "reads",
    action: "Microsoft.Resources/subscriptions/read",
    list: true,
    handler: (c) => ok(subscriptionBody(c, c.p.sub ?? "")),
  },
  {
    method: "GET",
    path: "/tenants",
    op: "Tenants_List",
    api: "subscriptions",
    cls: "reads",
    handler: (c) => {
      const t = c.state.world.tenants.filter((x) => x.id === c.caller.tenantId);
      return ok(
        listBody(
          t.map((x) => ({
            id: `/tenants/${x.id}`,
            tenantId: x.id,
            tenantCategory: "Home",
            countryCode: "US",
            displayName: x.displayName,
            domains: [x.defaultDomain],
            defaultDomain: x.defaultDomain,
            tenantType: "AAD",
          })),
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/resourceGroups",
    op: "ResourceGroups_List",
    api: "resourceGroups",
    cls: "reads",
    action: RG_READ,
    list: true,
    handler: (c) => {
      return listUnder(
        c,
        `/subscriptions/${c.p.sub}/resourceGroups`,
        "Microsoft.Resources/resourceGroups",
        RG_READ,
        (r) => rgBody(clone(r)),
      );
    },
  },
  {
    method: "GET",
    path: RG,
    op: "ResourceGroups_Get",
    api: "resourceGroups",
    cls: "reads",
    action: RG_READ,
    handler: (c) => {
      const r = getRes(c, rgId(c.p.sub ?? "", c.p.rg ?? ""));
      if (!r) throw resourceGroupNotFound(c.p.rg ?? "");
      return ok(rgBody(r));
    },
  },
  {
    method: "HEAD",
    path: RG,
    op: "ResourceGroups_CheckExistence",
    api: "resourceGroups",
    cls: "reads",
    action: RG_READ,
    handler: (c) => ({ status: getRes(c, rgId(c.p.sub ?? "", c.p.rg ?? "")) ? 204 : 404 }),
  },
  {
    method: "PUT",
    path: RG,
    op: "ResourceGroups_CreateOrUpdate",
    api: "resourceGroups",
    cls: "writes",
    action: "Microsoft.Resources/subscriptions/resourceGroups/write",
    handler: (c) => {
      const b = body(c);
      const id = rgId(c.p.sub ?? "", c.p.rg ?? "");
      const existing = getRes(c, id);
      const location = str(b.location);
      if (!location && !existing) {
        throw resourceGroupNotFound(c.p.rg ?? "");
      }
      const r: Resource = {
        id: existing?.id ?? id,
        name: existing?.name ?? c.p.rg ?? "",
        type: "Microsoft.Resources/resourceGroups",
        location: existing?.location ?? location?.toLowerCase().replace(/\s+/g, ""),
        properties: { provisioningState: "Succeeded" },
      };
      const tags = b.tags ?? existing?.tags;
      if (tags) r.tags = tags as Record<string, string>;
      putRes(c, r);
      return ok(rgBody(r), existing ? 200 : 201);
    },
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}",
    op: "ManagedClusters_Get",
    api: "aks",
    cls: "reads",
    action: "Microsoft.ContainerService/managedClusters/read",
    handler: (c) =>
      ok(clone(mustGet(c, c.req.path, "Microsoft.ContainerService/managedClusters", c.p.name ?? ""))),
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters",
    op: "ManagedClusters_ListByResourceGroup",
    api: "aks",
    cls: "reads",
    action: "Microsoft.ContainerService/managedClusters/read",
    list: true,
    handler: (c) => listClusters(c, rgId(c.p.sub ?? "", c.p.rg ?? "")),
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters",
    op: "ManagedClusters_List",
    api: "aks",
    cls: "reads",
    action: "Microsoft.ContainerService/managedClusters/read",
    list: true,
    handler: (c) => listClusters(c, `/subscriptions/${c.p.sub}`),
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/resourceGroups/{rg}/resources",
    op: "Resources_ListByResourceGroup",
    api: "resourceGroups",
    cls: "reads",
    action: "*/read",
    list: true,
    handler: (c) => genericList(c, `${rgId(c.p.sub ?? "", c.p.rg ?? "")}/providers/`),
  },
  {
    method: "GET",
    path: "/subscriptions/{sub}/resources",
    op: "Resources_List",
    api: "resourceGroups",
    cls: "reads",
    action: "*/read",
    list: true,
    handler: (c) => genericList(c, `/subscriptions/${c.p.sub}/resourceGroups/`),
  },
];

/** ARM's generic resource list: top-level resources the caller can read, in the short shape. */
function genericList(c: Ctx, prefix: string) {
  const p = prefix.toLowerCase();
  const items = Object.values(c.state.resources).filter(
    (r) =>
      r.id.toLowerCase().startsWith(p) &&
      r.type.split("/").length === 2 &&
      r.type !== "Microsoft.Resources/resourceGroups" &&
      can(c.emu.roles, c.identity, `${r.type}/read`, r.id),
  );
  return ok(
    listBody(
      items.map((r) => ({
        id: r.id,
        name: r.name,
        type: r.type,
        location: r.location,
        ...(r.tags ? { tags: r.tags } : {}),
        ...(r.sku ? { sku: r.sku } : {}),
      })),
    ),
  );
}
