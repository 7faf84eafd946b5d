/** Virtual networks and subnets (GET/PUT/list), with Azure's back-references and in-use rules. */
import { badRequest, childNotFound, invalidResourceReference } from "../errors.js";
import { cidrContains, parseCidr, usedIps } from "../ipam.js";
import type { Ctx, RouteDef } from "../router.js";
import type { ArmState, Json, Resource } from "../types.js";
import { arr, clone, guid, isObject, key, listBody, obj, sameId, str, weakEtag } from "../util.js";
import {
  body,
  lroPutReply,
  mustGet,
  NET,
  normLocation,
  ok,
  putRes,
  putTarget,
  requireLinked,
  SUBNET_JOIN,
} from "./common.js";
import { routeFor, trackedResourceRoutes } from "./routes.js";

const VNET = "Microsoft.Network/virtualNetworks";

export function findSubnet(state: ArmState, subnetId: string): { vnet: Resource; subnet: Json } | undefined {
  const m = /^(.*)\/subnets\/([^/]+)$/i.exec(subnetId);
  if (!m) return undefined;
  const vnet = state.resources[key(m[1] ?? "")];
  if (!vnet || vnet.type !== VNET) return undefined;
  const subnet = arr(vnet.properties.subnets).find(
    (s) => str(obj(s).name)?.toLowerCase() === m[2]?.toLowerCase(),
  );
  return subnet ? { vnet, subnet: subnet as Json } : undefined;
}

/** The subnet a write puts something into: it must exist, and the caller needs its join action. */
export function joinSubnet(
  c: Ctx,
  subnetId: string,
  resourceId: string,
  writeAction: string,
): { vnet: Resource; subnet: Json } {
  const found = findSubnet(c.state, subnetId);
  if (!found) throw invalidResourceReference(subnetId, resourceId);
  requireLinked(c, writeAction, SUBNET_JOIN, str(found.subnet.id) ?? subnetId);
  return found;
}

/** Ids of what uses the subnet (ip configurations and private endpoints). */
function subnetUsers(state: ArmState, subnetId: string): { ipConfigs: string[]; pes: string[] } {
  const ipConfigs = [...usedIps(state, subnetId).values()].filter((o) => !o.startsWith("node "));
  const pes = Object.values(state.resources)
    .filter(
      (r) => r.type === "Microsoft.Network/privateEndpoints" && sameId(obj(r.properties.subnet).id, subnetId),
    )
    .map((r) => r.id);
  return { ipConfigs, pes };
}

export function renderSubnet(state: ArmState, s: Json): Json {
  const out = clone(s);
  const users = subnetUsers(state, str(s.id) ?? "");
  const p = obj(out.properties);
  if (users.ipConfigs.length) p.ipConfigurations = users.ipConfigs.map((id) => ({ id }));
  if (users.pes.length) p.privateEndpoints = users.pes.map((id) => ({ id }));
  return out;
}

function renderVnet(state: ArmState, v: Resource): Resource {
  const out = clone(v);
  out.properties.subnets = arr(v.properties.subnets).map((s) => renderSubnet(state, obj(s)));
  return out;
}

function subnetFromBody(vnetId: string, name: string, b: Json, prev: Json | undefined, etag: string): Json {
  const bp = obj(b.properties);
  const pp = obj(prev?.properties);
  const p: Json = { ...pp, ...bp };
  delete p.ipConfigurations;
  delete p.privateEndpoints;
  p.provisioningState = "Succeeded";
  p.privateEndpointNetworkPolicies ??= "Disabled";
  p.privateLinkServiceNetworkPolicies ??= "Enabled";
  return {
    id: `${vnetId}/subnets/${str(prev?.name) ?? name}`,
    name: str(prev?.name) ?? name,
    type: `${VNET}/subnets`,
    etag,
    properties: p,
  };
}

function validateSubnet(vnet: Resource, s: Json): void {
  const p = obj(s.properties);
  const prefix = str(p.addressPrefix) ?? str(arr(p.addressPrefixes)[0]);
  const spaces = arr(obj(vnet.properties.addressSpace).addressPrefixes).map(String);
  if (!prefix || !parseCidr(prefix)) {
    throw badRequest("InvalidRequestFormat", `Subnet ${str(s.name)} must have a valid addressPrefix.`);
  }
  if (!spaces.some((sp) => cidrContains(sp, prefix))) {
    throw badRequest(
      "NetcfgInvalidSubnet",
      `Subnet '${str(s.name)}' is not valid in virtual network '${vnet.name}'. The subnet address prefix ${prefix} is not within the virtual network address space.`,
    );
  }
}

function inUseCheck(state: ArmState, subnetId: string, name: string): void {
  const u = subnetUsers(state, subnetId);
  const users = [...u.ipConfigs, ...u.pes];
  if (users.length) {
    throw badRequest(
      "InUseSubnetCannotBeDeleted",
      `Subnet ${name} is in use by ${users.join(", ")} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
    );
  }
}

function putVnet(c: Ctx) {
  const { b, existing, id } = putTarget(c);
  const etag = weakEtag();
  const bp = obj(b.properties);
  const subnetsIn = Array.isArray(bp.subnets) ? bp.subnets.filter(isObject) : undefined;
  const prevSubnets = arr(existing?.properties.subnets).map(obj);
  const r: Resource = {
    id,
    name: existing?.name ?? c.p.name ?? "",
    type: VNET,
    location: normLocation(b.location) || existing?.location || "",
    etag,
    properties: {
      ...obj(existing?.properties),
      ...bp,
      resourceGuid: existing?.properties.resourceGuid ?? guid(),
      provisioningState: "Succeeded",
    },
  };
  if (b.tags) r.tags = b.tags as Record<string, string>;
  else if (existing?.tags) r.tags = existing.tags;
  const subnets = (subnetsIn ?? prevSubnets).map((s) => {
    const name = str(s.name) ?? "";
    const prev = prevSubnets.find((x) => str(x.name)?.toLowerCase() === name.toLowerCase());
    const sub = subnetFromBody(id, name, s, prev, etag);
    validateSubnet(r, sub);
    return sub;
  });
  for (const prev of prevSubnets) {
    if (!subnets.some((s) => sameId(s.id, prev.id)))
      inUseCheck(c.state, str(prev.id) ?? "", str(prev.name) ?? "");
  }
  r.properties.subnets = subnets;
  putRes(c, r);
  return lroPutReply(c, r, !existing, r.location ?? "");
}

/**
 * A subnet write carries its network security group, route table and NAT gateway, and ARM checks
 * `join/action` on each (learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet,
 * "Permissions"): 403 LinkedAuthorizationFailed without it.
 */
function requireJoins(c: Ctx, sub: Json): void {
  const p = obj(sub.properties);
  for (const [key, type] of [
    ["networkSecurityGroup", "networkSecurityGroups"],
    ["routeTable", "routeTables"],
    ["natGateway", "natGateways"],
  ] as const) {
    const id = str(obj(p[key]).id);
    if (id) requireLinked(c, `${VNET}/subnets/write`, `Microsoft.Network/${type}/join/action`, id);
  }
}

function putSubnet(c: Ctx) {
  const b = body(c);
  const vnet = mustGet(c, vnetId(c), VNET, c.p.vnet ?? "");
  const etag = weakEtag();
  const subnets = arr(vnet.properties.subnets).map(obj);
  const idx = subnets.findIndex((s) => str(s.name)?.toLowerCase() === c.p.name?.toLowerCase());
  const sub = subnetFromBody(vnet.id, c.p.name ?? "", b, idx >= 0 ? subnets[idx] : undefined, etag);
  validateSubnet(vnet, sub);
  requireJoins(c, sub);
  if (idx >= 0) subnets[idx] = sub;
  else subnets.push(sub);
  vnet.etag = etag;
  vnet.properties.subnets = subnets.map((s) => ({ ...s, etag }));
  putRes(c, vnet);
  const op = lroPutReply(c, vnet, idx < 0, vnet.location ?? "");
  return {
    ...op,
    body: renderSubnet(c.state, {
      ...sub,
      properties: { ...obj(sub.properties), provisioningState: "Updating" },
    }),
  };
}

const vnetPath = `${NET}/virtualNetworks/{vnet}`;
const vnetId = (c: Ctx) => `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${VNET}/${c.p.vnet}`;

const route = routeFor("network");

export const vnetRoutes: RouteDef[] = [
  ...trackedResourceRoutes({
    type: VNET,
    ops: "VirtualNetworks",
    api: "network",
    render: (c, v) => renderVnet(c.state, v),
    put: putVnet,
  }),
  route("GET", `${vnetPath}/subnets/{name}`, "Subnets_Get", `${VNET}/subnets/read`, (c) => {
    const found = findSubnet(c.state, c.req.path);
    if (!found) {
      mustGet(c, vnetId(c), VNET, c.p.vnet ?? "");
      throw childNotFound("subnet", c.p.name ?? "");
    }
    return ok(renderSubnet(c.state, found.subnet));
  }),
  route("GET", `${vnetPath}/subnets`, "Subnets_List", `${VNET}/subnets/read`, (c) => {
    const v = mustGet(c, vnetId(c), VNET, c.p.vnet ?? "");
    return ok(listBody(arr(v.properties.subnets).map((s) => renderSubnet(c.state, obj(s)))));
  }),
  route("PUT", `${vnetPath}/subnets/{name}`, "Subnets_CreateOrUpdate", `${VNET}/subnets/write`, putSubnet),
];
