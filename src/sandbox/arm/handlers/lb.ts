/**
 * Load balancers (GET/PUT/DELETE/list) as the AKS cloud controller uses them: dynamic frontend IPs
 * allocated from the subnet and kept stable across PUTs, read-only back references to the private
 * link service using a frontend, and Azure's refusal to remove a frontend a PLS references.
 */
import { badRequest, invalidResourceReference } from "../errors.js";
import { allocator } from "../ipam.js";
import type { Ctx, RouteDef } from "../router.js";
import type { ArmState, Json, Resource } from "../types.js";
import { arr, clone, guid, isObject, obj, sameId, str, weakEtag } from "../util.js";
import {
  body,
  getRes,
  listUnder,
  lroDeleteReply,
  lroPutReply,
  mustGet,
  NET,
  normLocation,
  ok,
  putRes,
  requireLinked,
  SUBNET_JOIN,
} from "./common.js";
import { findSubnet } from "./vnet.js";

const LB = "Microsoft.Network/loadBalancers";
const CHILD_LISTS: Record<string, string> = {
  frontendIPConfigurations: "frontendIPConfigurations",
  backendAddressPools: "backendAddressPools",
  loadBalancingRules: "loadBalancingRules",
  probes: "probes",
  inboundNatRules: "inboundNatRules",
  outboundRules: "outboundRules",
  inboundNatPools: "inboundNatPools",
};

/** The PLS (if any) that references this frontend id. */
export function plsUsingFrontend(state: ArmState, frontendId: string): Resource | undefined {
  return Object.values(state.resources).find(
    (r) =>
      r.type === "Microsoft.Network/privateLinkServices" &&
      arr(r.properties.loadBalancerFrontendIpConfigurations).some((f) => sameId(obj(f).id, frontendId)),
  );
}

export function renderLb(state: ArmState, lb: Resource): Resource {
  const out = clone(lb);
  const rules = arr(out.properties.loadBalancingRules).map(obj);
  for (const f of arr(out.properties.frontendIPConfigurations)) {
    const fp = obj(obj(f).properties);
    const fid = str(obj(f).id) ?? "";
    // Read-only back references, as Azure adds them on GET.
    const used = rules.filter((r) => sameId(obj(obj(r.properties).frontendIPConfiguration).id, fid));
    if (used.length) fp.loadBalancingRules = used.map((r) => ({ id: r.id }));
    const pls = plsUsingFrontend(state, fid);
    if (pls) fp.privateLinkService = { id: pls.id };
  }
  return out;
}

function putLb(c: Ctx) {
  const b = body(c);
  const existing = getRes(c, c.req.path);
  const id = existing?.id ?? c.req.path;
  const etag = weakEtag();
  const bp = obj(b.properties);
  const props: Json = {
    ...bp,
    resourceGuid: existing?.properties.resourceGuid ?? guid(),
    provisioningState: "Succeeded",
  };
  for (const [listKey] of Object.entries(CHILD_LISTS)) {
    props[listKey] = arr(bp[listKey])
      .filter(isObject)
      .map((ch) => {
        const name = str(ch.name) ?? "";
        const cp: Record<string, unknown> = { ...obj(ch.properties), provisioningState: "Succeeded" };
        delete cp.privateLinkService;
        if (listKey === "frontendIPConfigurations") delete cp.loadBalancingRules;
        return {
          ...ch,
          id: `${id}/${listKey}/${name}`,
          name,
          etag,
          type: `${LB}/${listKey}`,
          properties: cp,
        };
      });
  }
  const prevFronts = arr(existing?.properties.frontendIPConfigurations).map(obj);
  const newFronts = arr(props.frontendIPConfigurations).map(obj);
  for (const pf of prevFronts) {
    if (newFronts.some((f) => sameId(f.id, pf.id))) continue;
    const pls = plsUsingFrontend(c.state, str(pf.id) ?? "");
    if (pls) {
      throw badRequest(
        "InUseFrontendIPConfigurationCannotBeDeleted",
        `Frontend IP configuration ${str(pf.id)} cannot be deleted since it is referenced by private link service ${pls.id}. Please delete the private link service first.`,
      );
    }
  }
  const allocs = new Map<string, ReturnType<typeof allocator>>();
  for (const f of newFronts) {
    const fp = obj(f.properties);
    const subnetId = str(obj(fp.subnet).id);
    if (!subnetId) continue;
    const found = findSubnet(c.state, subnetId);
    if (!found) throw invalidResourceReference(subnetId, id);
    requireLinked(c, `${LB}/write`, SUBNET_JOIN, str(found.subnet.id) ?? subnetId);
    if (fp.privateIPAddressVersion === "IPv6") continue;
    fp.privateIPAddressVersion ??= "IPv4";
    const method = str(fp.privateIPAllocationMethod) ?? (fp.privateIPAddress ? "Static" : "Dynamic");
    fp.privateIPAllocationMethod = method;
    let alloc = allocs.get(subnetId.toLowerCase());
    if (!alloc) {
      alloc = allocator(c.state, found.subnet, subnetId);
      allocs.set(subnetId.toLowerCase(), alloc);
    }
    const prev = prevFronts.find((p) => sameId(p.id, f.id));
    const prevIp = sameId(obj(obj(prev?.properties).subnet).id, subnetId)
      ? str(obj(prev?.properties).privateIPAddress)
      : undefined;
    const owner = str(f.id) ?? "";
    fp.privateIPAddress =
      method === "Static"
        ? alloc({ staticIp: str(fp.privateIPAddress) ?? "", ownerPrefix: owner })
        : alloc({ ...(prevIp ? { keep: prevIp } : {}), ownerPrefix: owner });
  }
  const r: Resource = {
    id,
    name: existing?.name ?? c.p.name ?? "",
    type: LB,
    location: normLocation(b.location) || existing?.location || "",
    etag,
    sku: b.sku ?? existing?.sku ?? { name: "Basic", tier: "Regional" },
    properties: props,
  };
  if (b.tags) r.tags = b.tags as Record<string, string>;
  putRes(c, r);
  const reply = lroPutReply(c, r, !existing, r.location ?? "");
  return { ...reply, body: renderLb(c.state, reply.body as Resource) };
}

function deleteLb(c: Ctx) {
  const lb = getRes(c, c.req.path);
  if (!lb) return { status: 204 };
  for (const f of arr(lb.properties.frontendIPConfigurations)) {
    const pls = plsUsingFrontend(c.state, str(obj(f).id) ?? "");
    if (pls) {
      throw badRequest(
        "CannotDeleteLoadBalancerWithPrivateLinkService",
        `Cannot delete load balancer ${lb.id} since it is referenced by private link service ${pls.id}. Please delete private link service prior to deleting load balancer.`,
      );
    }
  }
  return lroDeleteReply(c, [lb.id], lb.location ?? "");
}

export const lbRoutes: RouteDef[] = [
  {
    method: "GET",
    path: `${NET}/loadBalancers/{name}`,
    op: "LoadBalancers_Get",
    api: "network",
    cls: "reads",
    action: `${LB}/read`,
    handler: (c) => ok(renderLb(c.state, mustGet(c, c.req.path, LB, c.p.name ?? ""))),
  },
  {
    method: "GET",
    path: `${NET}/loadBalancers`,
    op: "LoadBalancers_List",
    api: "network",
    cls: "reads",
    action: `${LB}/read`,
    list: true,
    handler: (c) => {
      const r = listUnder(c, `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}`, LB, `${LB}/read`);
      return ok({ value: ((r.body as Json).value as Resource[]).map((x) => renderLb(c.state, x)) });
    },
  },
  {
    method: "PUT",
    path: `${NET}/loadBalancers/{name}`,
    op: "LoadBalancers_CreateOrUpdate",
    api: "network",
    cls: "writes",
    action: `${LB}/write`,
    handler: putLb,
  },
  {
    method: "DELETE",
    path: `${NET}/loadBalancers/{name}`,
    op: "LoadBalancers_Delete",
    api: "network",
    cls: "writes",
    action: `${LB}/delete`,
    handler: deleteLb,
  },
];
