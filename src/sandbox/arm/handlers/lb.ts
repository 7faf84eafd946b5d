/**
 * Load balancers (GET/PUT/DELETE/list) as the AKS cloud controller uses them: dynamic frontend IPs
 * allocated from the subnet and kept stable across PUTs, read-only back references to the private
 * link service using a frontend, and Azure's refusal to remove a frontend a PLS references.
 */
import { badRequest } from "../errors.js";
import { requestAllocator } from "../ipam.js";
import type { Ctx, RouteDef } from "../router.js";
import type { ArmState, Json, Resource } from "../types.js";
import { arr, clone, guid, isObject, obj, sameId, str, weakEtag } from "../util.js";
import { getRes, lroDeleteReply, lroPutReply, normLocation, putRes, putTarget } from "./common.js";
import { trackedResourceRoutes } from "./routes.js";
import { joinSubnet } from "./vnet.js";

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
  const { b, existing, id } = putTarget(c);
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
  const allocate = requestAllocator(c.state);
  for (const f of newFronts) {
    const fp = obj(f.properties);
    const subnetId = str(obj(fp.subnet).id);
    if (!subnetId) continue;
    const found = joinSubnet(c, subnetId, id, `${LB}/write`);
    if (fp.privateIPAddressVersion === "IPv6") continue;
    fp.privateIPAddressVersion ??= "IPv4";
    const method = str(fp.privateIPAllocationMethod) ?? (fp.privateIPAddress ? "Static" : "Dynamic");
    fp.privateIPAllocationMethod = method;
    fp.privateIPAddress = allocate(found.subnet, subnetId, {
      method,
      staticIp: fp.privateIPAddress,
      prev: prevFronts.find((p) => sameId(p.id, f.id)),
      owner: str(f.id) ?? "",
    });
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

export const lbRoutes: RouteDef[] = trackedResourceRoutes({
  type: LB,
  ops: "LoadBalancers",
  api: "network",
  render: (c, r) => renderLb(c.state, r),
  put: putLb,
  delete: deleteLb,
});
