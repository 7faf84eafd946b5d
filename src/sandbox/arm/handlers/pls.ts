/**
 * Private link services: PUT (long-running) with Azure's validation, GET, lists, DELETE (refused
 * while connections exist), checkPrivateLinkServiceVisibility and autoApprovedPrivateLinkServices.
 */
import { ArmError, badRequest, invalidResourceReference } from "../errors.js";
import { requestAllocator } from "../ipam.js";
import { checkPlsFree } from "../locks.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Reply, Resource } from "../types.js";
import { arr, guid, isObject, key, listBody, obj, rgId, sameId, str, weakEtag } from "../util.js";
import {
  body,
  checkName,
  getRes,
  lroDeleteReply,
  lroPutReply,
  NET,
  normLocation,
  ok,
  putRes,
  putTarget,
  requiredLocation,
} from "./common.js";
import { plsUsingFrontend } from "./lb.js";
import { autoApproves, isVisible, PLS, pecs } from "./pls-model.js";
import { routeFor, trackedResourceRoutes } from "./routes.js";
import { aliasKnown } from "./targets.js";
import { joinSubnet } from "./vnet.js";

function findFrontend(c: Ctx, id: string): Json | undefined {
  const m = /^(.*)\/frontendIPConfigurations\/([^/]+)$/i.exec(id);
  const lb = m ? getRes(c, m[1] ?? "") : undefined;
  return arr(lb?.properties.frontendIPConfigurations)
    .map(obj)
    .find((f) => sameId(f.id, id));
}

/**
 * A PLS needs a load balancer whose backend pools are NIC-based (learn.microsoft.com/azure/
 * private-link/private-link-service-overview, limitations); Azure answers an IP-based one with
 * PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer (MicrosoftDocs/azure-docs#75134). The
 * message is the sandbox's own words.
 */
function checkNicBasedLb(c: Ctx, frontendId: string, plsId: string): void {
  const lbId = /^(.*)\/frontendIPConfigurations\/[^/]+$/i.exec(frontendId)?.[1] ?? "";
  const lb = getRes(c, lbId);
  const ipBased = arr(lb?.properties.backendAddressPools).some((p) =>
    arr(obj(obj(p).properties).loadBalancerBackendAddresses).some((a) =>
      str(obj(obj(a).properties).ipAddress),
    ),
  );
  if (ipBased) {
    throw badRequest(
      "PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer",
      `Private link service ${plsId} cannot reference load balancer ${lbId}: private link service is not supported for IP based load balancers.`,
    );
  }
}

function putPls(c: Ctx) {
  const name = c.p.name ?? "";
  checkName(name);
  const { b, existing, id } = putTarget(c);
  // A running connection write holds the PLS (a PUT while it is Updating supersedes the last one).
  if (existing) checkPlsFree(c, existing, "PutPrivateLinkServiceOperation", { updating: false });
  const location = requiredLocation(b, existing);
  const bp = obj(b.properties);
  const fronts = arr(bp.loadBalancerFrontendIpConfigurations).filter(isObject);
  if (fronts.length === 0) {
    throw badRequest(
      "PrivateLinkServiceMustHaveLoadBalancerFrontendIpConfigurations",
      `Private link service ${id} must reference at least one load balancer frontend IP configuration.`,
    );
  }
  for (const f of fronts) {
    const fid = str(f.id) ?? "";
    const fe = findFrontend(c, fid);
    if (!fe) throw invalidResourceReference(fid, id);
    if (obj(fe.properties).privateIPAddressVersion === "IPv6") {
      throw badRequest(
        "PrivateLinkServiceIpv6NotSupported",
        `Private link service ${id} cannot reference IPv6 load balancer frontend IP configuration ${fid}.`,
      );
    }
    checkNicBasedLb(c, fid, id);
    const other = plsUsingFrontend(c.state, fid);
    if (other && !sameId(other.id, id)) {
      throw badRequest(
        "LoadBalancerFrontendIpConfigurationAlreadyReferencedByAnotherPrivateLinkService",
        `Load balancer frontend IP configuration ${fid} is already referenced by private link service ${other.id}. Each load balancer frontend IP configuration can be referenced by only one private link service.`,
      );
    }
  }
  const ipcs = arr(bp.ipConfigurations).filter(isObject);
  if (ipcs.length === 0 || ipcs.length > 8) {
    throw badRequest(
      "PrivateLinkServiceIpConfigurationCountOutOfRange",
      `Private link service ${id} has ${ipcs.length} IP configurations; it must have between 1 and 8.`,
    );
  }
  const prevIpcs = arr(existing?.properties.ipConfigurations).map(obj);
  const allocate = requestAllocator(c.state);
  const ipConfigurations = ipcs.map((ic, i) => {
    const icName = str(ic.name) ?? `ipconfig${i}`;
    const icId = `${id}/ipConfigurations/${icName}`;
    const ip = { ...obj(ic.properties) };
    const subnetId = str(obj(ip.subnet).id) ?? "";
    if (ip.privateIPAddressVersion === "IPv6") {
      throw badRequest(
        "PrivateLinkServiceIpv6NotSupported",
        `IPv6 is not supported for private link service IP configuration ${icId}.`,
      );
    }
    const found = joinSubnet(c, subnetId, id, `${PLS}/write`);
    if (obj(found.subnet.properties).privateLinkServiceNetworkPolicies !== "Disabled") {
      throw badRequest(
        "PrivateLinkServiceCannotBeCreatedInSubnetThatHasNetworkPoliciesEnabled",
        `Private link service ${id} cannot be created in subnet ${str(found.subnet.id)} since it has private link service network policies enabled.`,
      );
    }
    const method = str(ip.privateIPAllocationMethod) ?? (ip.privateIPAddress ? "Static" : "Dynamic");
    const addr = allocate(found.subnet, subnetId, {
      method,
      staticIp: ip.privateIPAddress,
      prev: prevIpcs.find((p) => sameId(p.id, icId)),
      owner: icId,
    });
    return {
      name: icName,
      id: icId,
      etag: "",
      type: `${PLS}/ipConfigurations`,
      properties: {
        provisioningState: "Succeeded",
        privateIPAllocationMethod: method,
        privateIPAddress: addr,
        privateIPAddressVersion: "IPv4",
        primary: ip.primary ?? i === 0,
        subnet: { id: str(found.subnet.id) ?? subnetId },
      },
    };
  });
  const etag = weakEtag();
  for (const ic of ipConfigurations) ic.etag = etag;
  const rg = rgId(c.p.sub ?? "", c.p.rg ?? "");
  const prevProps = obj(existing?.properties);
  const r: Resource = {
    id,
    name: existing?.name ?? name,
    type: PLS,
    location,
    etag,
    properties: {
      provisioningState: "Succeeded",
      fqdns: arr(bp.fqdns ?? []),
      alias: str(prevProps.alias) ?? `${name.toLowerCase()}.${guid()}.${location}.azure.privatelinkservice`,
      visibility: isObject(bp.visibility) ? bp.visibility : { subscriptions: [] },
      autoApproval: isObject(bp.autoApproval) ? bp.autoApproval : { subscriptions: [] },
      enableProxyProtocol: bp.enableProxyProtocol === true,
      loadBalancerFrontendIpConfigurations: fronts.map((f) => ({ id: str(f.id) })),
      ipConfigurations,
      privateEndpointConnections: pecs(existing ?? ({ properties: {} } as Resource)),
      networkInterfaces: arr(prevProps.networkInterfaces).length
        ? prevProps.networkInterfaces
        : [{ id: `${rg}/providers/Microsoft.Network/networkInterfaces/${name}.nic.${guid()}` }],
    },
  };
  for (const k of ["accessMode", "destinationIPAddress"]) if (bp[k] !== undefined) r.properties[k] = bp[k];
  if (b.tags) r.tags = b.tags as Record<string, string>;
  if (b.extendedLocation) r.extendedLocation = b.extendedLocation;
  putRes(c, r);
  if (!existing) c.state.plsCreatedAt = { ...c.state.plsCreatedAt, [key(id)]: c.emu.now() };
  return lroPutReply(c, r, !existing, location);
}

function deletePls(c: Ctx) {
  const pls = getRes(c, c.req.path);
  if (!pls) return { status: 204 };
  checkPlsFree(c, pls, "DeletePrivateLinkServiceOperation", { updating: false });
  const n = pecs(pls).length;
  if (n > 0) {
    throw badRequest(
      "PrivateLinkServiceWithPrivateEndpointConnectionsCannotBeDeleted",
      `Private link service ${pls.id} cannot be deleted since it has ${n} private endpoint connection${n === 1 ? "" : "s"}. Please delete all private endpoint connections before deleting the private link service.`,
    );
  }
  return lroDeleteReply(c, [pls.id], pls.location ?? "");
}

/**
 * checkPrivateLinkServiceVisibility is a long-running POST (azure-rest-api-specs
 * specification/network/resource-manager/Microsoft.Network/stable/2026-01-01/privateLinkService.json,
 * `x-ms-long-running-operation`, final-state-via `location`; azure-sdk-for-python#11627,
 * azure-rest-api-specs#9800). Azure answers 202 whose `Azure-AsyncOperation` header names the
 * operation's result URL (the spec's example CheckPrivateLinkServiceVisibility.json: no body, no
 * `Location`); that URL answers 202 while the operation runs, then 200 `{"visible": …}`.
 */
function checkVisibility(c: Ctx): Reply {
  const alias = str(body(c).privateLinkServiceAlias);
  if (!alias) throw new ArmError(400, "InvalidRequestFormat", "Cannot parse the request.");
  const pls = Object.values(c.state.resources).find(
    (r) => r.type === PLS && str(r.properties.alias)?.toLowerCase() === alias.toLowerCase(),
  );
  // An alias Azure has not propagated yet is answered like an unknown one: not visible.
  const visible = !!pls && aliasKnown(c, pls) && isVisible(c, pls, c.p.sub ?? "");
  const op = c.emu.startOperation([], []);
  op.result = { visible };
  c.dirty = true;
  const location = normLocation(c.p.location);
  const url = `${c.base}/subscriptions/${c.p.sub}/providers/Microsoft.Network/locations/${location}/operationResults/${op.id}?api-version=${c.apiVersion}`;
  return {
    status: 202,
    headers: {
      "Azure-AsyncOperation": url,
      ...(op.status === "InProgress"
        ? { "Retry-After": String(Math.max(1, Math.ceil((op.doneAt - c.emu.now()) / 1000))) }
        : {}),
    },
  };
}

function autoApproved(c: Ctx) {
  const loc = normLocation(c.p.location);
  const items = Object.values(c.state.resources).filter(
    (r) => r.type === PLS && r.location === loc && autoApproves(r, c.p.sub ?? ""),
  );
  return ok(listBody(items.map((r) => ({ privateLinkService: r.id }))));
}

const route = routeFor("privateLink");
const SUB = "/subscriptions/{sub}/providers/Microsoft.Network";
const VISIBILITY = "Microsoft.Network/locations/checkPrivateLinkServiceVisibility/action";
const AUTO_APPROVED = "Microsoft.Network/locations/autoApprovedPrivateLinkServices/read";
const reads = { cls: "reads" } as const;

export const plsRoutes: RouteDef[] = [
  ...trackedResourceRoutes({
    type: PLS,
    ops: "PrivateLinkServices",
    api: "privateLink",
    bySubscription: true,
    paged: true,
    put: putPls,
    delete: deletePls,
  }),
  route(
    "POST",
    `${SUB}/locations/{location}/checkPrivateLinkServiceVisibility`,
    "PrivateLinkServices_CheckPrivateLinkServiceVisibility",
    VISIBILITY,
    checkVisibility,
    reads,
  ),
  route(
    "POST",
    `${NET}/locations/{location}/checkPrivateLinkServiceVisibility`,
    "PrivateLinkServices_CheckPrivateLinkServiceVisibilityByResourceGroup",
    VISIBILITY,
    checkVisibility,
    reads,
  ),
  route(
    "GET",
    `${SUB}/locations/{location}/autoApprovedPrivateLinkServices`,
    "PrivateLinkServices_ListAutoApprovedPrivateLinkServices",
    AUTO_APPROVED,
    autoApproved,
  ),
  route(
    "GET",
    `${NET}/locations/{location}/autoApprovedPrivateLinkServices`,
    "PrivateLinkServices_ListAutoApprovedPrivateLinkServicesByResourceGroup",
    AUTO_APPROVED,
    autoApproved,
  ),
];
