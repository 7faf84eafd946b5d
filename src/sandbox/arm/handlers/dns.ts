/** Private DNS (api 2024-06-01 and older): zones, virtual network links, record sets. */
import { ArmError, badRequest, resourceNotFound } from "../errors.js";
import { lroHeaders } from "../lro.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, OperationRecord, Reply, Resource } from "../types.js";
import { clone, guid, key, listBody, obj, str } from "../util.js";
import { body, delRes, getRes, listUnder, mustGet, NET, ok, putRes, putTarget } from "./common.js";
import {
  LINK,
  linkResource,
  overlapMessage,
  overlappingLinkedZone,
  ZONE,
  zoneResource,
} from "./dns-model.js";
import { routeFor } from "./routes.js";

const TYPES = ["A", "AAAA", "CNAME", "MX", "PTR", "SOA", "SRV", "TXT"];

const zoneIdOf = (c: Ctx) =>
  `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${ZONE}/${c.p.zone}`;

const mustZone = (c: Ctx): Resource => mustGet(c, zoneIdOf(c), ZONE, c.p.zone ?? "");

function children(c: Ctx, zone: Resource, typeSeg?: string): Resource[] {
  const prefix = `${key(zone.id)}/`;
  return Object.values(c.state.resources).filter((r) => {
    if (!key(r.id).startsWith(prefix)) return false;
    return typeSeg ? r.type.toLowerCase() === `${ZONE}/${typeSeg}`.toLowerCase() : true;
  });
}

function renderZone(c: Ctx, z: Resource): Resource {
  const out = clone(z);
  const kids = children(c, z);
  const links = kids.filter((k) => k.type === LINK);
  out.properties.numberOfRecordSets = 1 + kids.filter((k) => k.type !== LINK).length;
  out.properties.numberOfVirtualNetworkLinks = links.length;
  out.properties.numberOfVirtualNetworkLinksWithRegistration = links.filter(
    (l) => l.properties.registrationEnabled,
  ).length;
  return out;
}

/** Private DNS's status and result URLs (resource-group scoped) of a long-running operation. */
function dnsLroHeaders(c: Ctx, op: OperationRecord): Record<string, string> {
  return lroHeaders(
    c.base,
    c.apiVersion,
    op,
    {
      subscriptionId: c.p.sub ?? "",
      location: "global",
      dnsResourceGroup: c.p.rg ?? "",
      location_: true,
    },
    c.emu.now(),
  );
}

/** An async PUT the way Private DNS answers it: 201/200 with body plus status and result URLs. */
function dnsLro(c: Ctx, r: Resource, created: boolean, rendered: Resource): Reply {
  const op = c.emu.startOperation([r.id], [], c.lroError);
  if (op.status === "InProgress") r.properties.provisioningState = "Updating";
  return { status: created ? 201 : 200, body: rendered, headers: dnsLroHeaders(c, op) };
}

/** An async DELETE the way Private DNS answers it (the resources are already gone): 202. */
function dnsDeleted(c: Ctx): Reply {
  return { status: 202, headers: dnsLroHeaders(c, c.emu.startOperation([], [])) };
}

function checkGlobal(b: Json): void {
  const loc = str(b.location);
  if (loc && loc.toLowerCase() !== "global") {
    throw badRequest(
      "LocationNotAvailableForResourceType",
      `The provided location '${loc}' is not available for resource type '${ZONE}'. List of available regions for the resource type is 'global'.`,
    );
  }
}

function putZone(c: Ctx) {
  const { b, existing, id } = putTarget(c);
  checkGlobal(b);
  const tags = (b.tags as Record<string, string>) ?? existing?.tags ?? {};
  const r = zoneResource(id, existing?.name ?? c.p.zone ?? "", tags, existing);
  putRes(c, r);
  return dnsLro(c, r, !existing, renderZone(c, r));
}

function deleteZone(c: Ctx) {
  const z = getRes(c, c.req.path);
  if (!z) return { status: 204 };
  if (children(c, z, "virtualNetworkLinks").length > 0) {
    throw new ArmError(
      409,
      "Conflict",
      `You cannot delete a Private DNS zone that has virtual network links. Delete the virtual network links of ${z.name} first.`,
    );
  }
  for (const k of children(c, z)) delRes(c, k.id);
  delRes(c, z.id);
  return dnsDeleted(c);
}

function putLink(c: Ctx) {
  const zone = mustZone(c);
  const b = body(c);
  checkGlobal(b);
  const bp = obj(b.properties);
  const vnetId = str(obj(bp.virtualNetwork).id) ?? "";
  const vnet = getRes(c, vnetId);
  if (vnet?.type !== "Microsoft.Network/virtualNetworks") {
    throw badRequest("BadRequest", `Virtual network resource not found for '${vnetId}'.`);
  }
  const id = `${zone.id}/virtualNetworkLinks/${c.p.name}`;
  const existing = getRes(c, id);
  const r = linkResource(zone.id, existing?.name ?? c.p.name ?? "", vnet.id, {
    registrationEnabled: bp.registrationEnabled === true,
    ...(str(bp.resolutionPolicy) ? { resolutionPolicy: str(bp.resolutionPolicy) } : {}),
    tags: (b.tags as Record<string, string>) ?? existing?.tags ?? {},
  });
  putRes(c, r);
  const other = overlappingLinkedZone(c.state, zone.id, zone.name, vnet.id);
  if (other !== undefined) {
    // Accepted, then the operation fails and the link is gone (see dns-model.ts).
    const op = c.emu.startOperation([], [r.id], {
      code: "BadRequest",
      message: overlapMessage(zone.name, other),
    });
    return { status: existing ? 200 : 201, body: clone(r), headers: dnsLroHeaders(c, op) };
  }
  return dnsLro(c, r, !existing, clone(r));
}

export function aRecordResource(zone: Resource, name: string, p: Json, prev: Resource | undefined): Resource {
  const n = name.toLowerCase();
  return {
    id: `${zone.id}/A/${n}`,
    name: n,
    type: `${ZONE}/A`,
    etag: guid(),
    properties: {
      ...(p.metadata
        ? { metadata: p.metadata }
        : prev?.properties.metadata
          ? { metadata: prev.properties.metadata }
          : {}),
      ttl: typeof p.ttl === "number" ? p.ttl : 3600,
      fqdn: n === "@" ? `${zone.name}.` : `${n}.${zone.name}.`,
      isAutoRegistered: false,
      aRecords: Array.isArray(p.aRecords) ? p.aRecords : [],
    },
  };
}

function recordType(c: Ctx): string {
  const t = TYPES.find((x) => x.toLowerCase() === c.p.type?.toLowerCase());
  if (!t) throw badRequest("BadRequest", `The record type '${c.p.type}' is not supported.`);
  return t;
}

function putRecord(c: Ctx) {
  const zone = mustZone(c);
  const t = recordType(c);
  const bp = obj(body(c).properties);
  const id = `${zone.id}/${t}/${(c.p.name ?? "").toLowerCase()}`;
  const existing = getRes(c, id);
  let r: Resource;
  if (t === "A") r = aRecordResource(zone, c.p.name ?? "", bp, existing);
  else {
    const n = (c.p.name ?? "").toLowerCase();
    r = {
      id,
      name: n,
      type: `${ZONE}/${t}`,
      etag: guid(),
      properties: {
        ...bp,
        fqdn: n === "@" ? `${zone.name}.` : `${n}.${zone.name}.`,
        isAutoRegistered: false,
      },
    };
  }
  putRes(c, r);
  // Written by hand now: a zone group no longer owns it (nor removes it).
  if (c.state.zoneGroupRecords) delete c.state.zoneGroupRecords[key(id)];
  return ok(clone(r), existing ? 200 : 201);
}

const Z = `${NET}/privateDnsZones`;
const rd = `${ZONE}/read`;
const route = routeFor("privateDns");

export const dnsRoutes: RouteDef[] = [
  route("GET", `${Z}/{zone}`, "PrivateZones_Get", rd, (c) => ok(renderZone(c, mustZone(c)))),
  route("PUT", `${Z}/{zone}`, "PrivateZones_CreateOrUpdate", `${ZONE}/write`, putZone),
  route("DELETE", `${Z}/{zone}`, "PrivateZones_Delete", `${ZONE}/delete`, deleteZone),
  route(
    "GET",
    Z,
    "PrivateZones_ListByResourceGroup",
    rd,
    (c) =>
      listUnder(c, `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}`, ZONE, rd, (z) => renderZone(c, z)),
    { list: true },
  ),
  route(
    "GET",
    "/subscriptions/{sub}/providers/Microsoft.Network/privateDnsZones",
    "PrivateZones_List",
    rd,
    (c) => listUnder(c, `/subscriptions/${c.p.sub}`, ZONE, rd, (z) => renderZone(c, z)),
    { list: true },
  ),
  route("GET", `${Z}/{zone}/virtualNetworkLinks/{name}`, "VirtualNetworkLinks_Get", `${LINK}/read`, (c) => {
    const r = getRes(c, `${mustZone(c).id}/virtualNetworkLinks/${c.p.name}`);
    if (!r) throw resourceNotFound(`${ZONE}/${c.p.zone}/virtualNetworkLinks`, c.p.name ?? "", c.p.rg ?? "");
    return ok(clone(r));
  }),
  route("GET", `${Z}/{zone}/virtualNetworkLinks`, "VirtualNetworkLinks_List", `${LINK}/read`, (c) =>
    ok(listBody(children(c, mustZone(c), "virtualNetworkLinks").map(clone))),
  ),
  route(
    "PUT",
    `${Z}/{zone}/virtualNetworkLinks/{name}`,
    "VirtualNetworkLinks_CreateOrUpdate",
    `${LINK}/write`,
    putLink,
  ),
  route(
    "DELETE",
    `${Z}/{zone}/virtualNetworkLinks/{name}`,
    "VirtualNetworkLinks_Delete",
    `${LINK}/delete`,
    (c) => {
      const id = `${mustZone(c).id}/virtualNetworkLinks/${c.p.name}`;
      if (!getRes(c, id)) return { status: 204 };
      delRes(c, id);
      return dnsDeleted(c);
    },
  ),
  route("GET", `${Z}/{zone}/ALL`, "RecordSets_List", `${ZONE}/ALL/read`, (c) =>
    ok(
      listBody(
        children(c, mustZone(c))
          .filter((r) => r.type !== LINK)
          .map(clone),
      ),
    ),
  ),
  route("GET", `${Z}/{zone}/{type}`, "RecordSets_ListByType", `${ZONE}/recordsets/read`, (c) =>
    ok(listBody(children(c, mustZone(c), recordType(c)).map(clone))),
  ),
  route("GET", `${Z}/{zone}/{type}/{name}`, "RecordSets_Get", `${ZONE}/recordsets/read`, (c) => {
    const zone = mustZone(c);
    const r = getRes(c, `${zone.id}/${recordType(c)}/${c.p.name}`);
    if (!r) throw resourceNotFound(`${ZONE}/${c.p.zone}/${c.p.type}`, c.p.name ?? "", c.p.rg ?? "");
    return ok(clone(r));
  }),
  route(
    "PUT",
    `${Z}/{zone}/{type}/{name}`,
    "RecordSets_CreateOrUpdate",
    `${ZONE}/recordsets/write`,
    putRecord,
  ),
  route("DELETE", `${Z}/{zone}/{type}/{name}`, "RecordSets_Delete", `${ZONE}/recordsets/delete`, (c) => {
    const id = `${mustZone(c).id}/${recordType(c)}/${c.p.name}`;
    if (!getRes(c, id)) return { status: 204 };
    delRes(c, id);
    return { status: 200 };
  }),
];
