/**
 * Private endpoints (PUT long-running by PLS id or alias or PaaS resource id + group id, manual or
 * automatic connection, GET, list, DELETE long-running) and their network interfaces (GET).
 * Creating one adds the connection on the target (Pending, or Approved when the subscription is
 * auto-approved or the connection is automatic) and gives the NIC an IP from the consumer subnet.
 */
import { type ArmError, badRequest } from "../errors.js";
import { allocator } from "../ipam.js";
import { can, linkedAuthorizationFailed, linkedTenantNotAuthorized } from "../rbac.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Resource } from "../types.js";
import { arr, clone, guid, isObject, obj, rgId, sameId, str, weakEtag } from "../util.js";
import {
  checkName,
  delRes,
  getRes,
  lroDeleteReply,
  lroPutReply,
  mustGet,
  NET,
  ok,
  putRes,
  putTarget,
  requiredLocation,
} from "./common.js";
import { NIC, nicResource } from "./pe-nic.js";
import { isAlias, newLinkIdentifier, PE, pecs } from "./pls-model.js";
import { routeFor, trackedResourceRoutes } from "./routes.js";
import {
  aliasKnown,
  findTarget,
  targetAutoApproves,
  targetFqdns,
  targetGroup,
  targetVisible,
} from "./targets.js";
import { joinSubnet } from "./vnet.js";
import { removeZoneGroupRecords } from "./zonegroups.js";

const LISTS = ["manualPrivateLinkServiceConnections", "privateLinkServiceConnections"] as const;

function notVisible(ref: string): ArmError {
  return badRequest(
    "ThirdPartyPrivateLinkServiceProvidedDuringPrivateEndpointCreationDoesNotExistOrIsNotVisible",
    `Third-party Private Link Service Id ${ref} provided during private endpoint creation does not exist or is not visible to the subscription of the private endpoint.`,
  );
}

/**
 * learn.microsoft.com, "What is a private endpoint?", Connecting using Alias: "If you want to
 * connect using Alias, you must create private endpoint using manual connection approval method."
 * The exact Network RP error code is not in any public source found; this one says what happened.
 */
function aliasNeedsManual(ref: string, peId: string): ArmError {
  return badRequest(
    "PrivateEndpointCreationWithAliasRequiresManualApproval",
    `Private endpoint ${peId} refers to private link service alias ${ref} in privateLinkServiceConnections. A private endpoint that connects by alias must use the manual connection approval method (manualPrivateLinkServiceConnections).`,
  );
}

/**
 * An endpoint's connection names its target for good: Azure offers no way to point an existing
 * private endpoint at another private link service (the connection's `privateLinkServiceId` is
 * fixed once created — Terraform's azurerm_private_endpoint forces a new endpoint when
 * `private_connection_resource_id` or `_alias` changes, hashicorp/terraform-provider-azurerm
 * internal/services/network/private_endpoint_resource.go); a Disconnected one "should be deleted
 * for clean up" (learn.microsoft.com/azure/private-link/manage-private-endpoint). The Network RP's
 * error code for the attempt is not public; this one says what happened.
 */
function targetChanged(id: string, from: string, to: string): ArmError {
  return badRequest(
    "PrivateEndpointConnectionTargetCannotBeChanged",
    `Private endpoint ${id} is connected to ${from}; its private link service connection cannot be changed to ${to}. Delete the private endpoint and create a new one.`,
  );
}

const subscriptionOf = (id: string): string => /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] ?? "";

function connectionRefs(r: Resource | undefined): string[] {
  return LISTS.flatMap((k) =>
    arr(r?.properties[k]).map((x) => str(obj(obj(x).properties).privateLinkServiceId) ?? ""),
  );
}

/** Removes the connection(s) this PE holds on private link services. */
function detach(c: Ctx, pe: Resource): void {
  for (const ref of connectionRefs(pe)) {
    const t = findTarget(c.state, ref)?.resource;
    if (!t) continue;
    t.properties.privateEndpointConnections = pecs(t).filter(
      (p) => !sameId(obj(obj(p.properties).privateEndpoint).id, pe.id),
    );
    if (t.etag !== undefined) t.etag = weakEtag();
  }
}

/** A PUT's body, read and checked: its one connection (manual or automatic) and where it goes. */
function readPut(c: Ctx) {
  const name = c.p.name ?? "";
  checkName(name);
  const { b, existing, id } = putTarget(c);
  const bp = obj(b.properties);
  const location = requiredLocation(b, existing);
  const subnetId = str(obj(bp.subnet).id) ?? "";
  const found = joinSubnet(c, subnetId, id, `${PE}/write`);
  const manual = arr(bp.manualPrivateLinkServiceConnections).filter(isObject);
  const auto = arr(bp.privateLinkServiceConnections).filter(isObject);
  if (manual.length + auto.length !== 1) {
    throw badRequest(
      "PrivateEndpointMustHaveExactlyOnePrivateLinkServiceConnection",
      `Private endpoint ${id} must have exactly one private link service connection (manual or automatic); ${manual.length + auto.length} given.`,
    );
  }
  const isManual = manual.length === 1;
  const conn = (manual[0] ?? auto[0]) as Json;
  const cp = obj(conn.properties);
  const requestMessage = str(cp.requestMessage);
  if (requestMessage && requestMessage.length > 140) {
    throw badRequest(
      "PrivateEndpointConnectionRequestMessageTooLong",
      `The request message of private link service connection ${str(conn.name) ?? name} is ${requestMessage.length} characters long; it is restricted to 140 characters.`,
    );
  }
  const ref = str(cp.privateLinkServiceId) ?? "";
  const listKey = isManual ? LISTS[0] : LISTS[1];
  return {
    name,
    b,
    existing,
    id,
    bp,
    location,
    subnetId,
    found,
    isManual,
    listKey,
    conn,
    cp,
    ref,
    requestMessage,
  };
}
type PutPe = ReturnType<typeof readPut>;

/** The connection's target, checked: visible, unchanged, and — automatic — approvable by the caller. */
function checkTarget(c: Ctx, q: PutPe) {
  const { ref, id, existing, isManual } = q;
  if (!isManual && isAlias(ref)) throw aliasNeedsManual(ref, id);
  const target = findTarget(c.state, ref);
  if (
    !target ||
    (isAlias(ref) && !aliasKnown(c, target.resource)) ||
    !targetVisible(c, target, c.p.sub ?? "")
  )
    throw notVisible(ref);
  const sameTarget = Boolean(existing && connectionRefs(existing).some((r) => sameId(r, ref)));
  if (existing && !sameTarget) throw targetChanged(id, connectionRefs(existing)[0] ?? "", ref);
  const group = targetGroup(target, arr(q.cp.groupIds), id);
  const pls = target.resource;
  const autoOk = targetAutoApproves(target, c.p.sub ?? "");
  // An automatic connection makes ARM check the approval right on the target: across tenants that
  // check cannot even start, auto-approval or not ("Private endpoints that connect across tenants
  // require a manual request approval", MicrosoftDocs/azure-docs#72045; learn.microsoft.com/azure/
  // cloud-adoption-framework/ready/azure-best-practices/limit-cross-tenant-private-endpoint-connections).
  const targetSub = subscriptionOf(pls.id);
  const targetTenant = c.state.world.subscriptions.find((s) => sameId(s.id, targetSub))?.tenantId;
  if (!isManual && targetTenant && targetTenant !== c.caller.tenantId) {
    throw linkedTenantNotAuthorized(`${PE}/write`, id, c.caller.tenantId, targetSub);
  }
  if (!isManual && !autoOk && !can(c.emu.roles, c.identity, target.approvalAction, pls.id)) {
    throw linkedAuthorizationFailed(c.caller, `${PE}/write`, id, target.approvalAction, pls.id);
  }
  return { target, sameTarget, group, pls, approved: autoOk || !isManual, fqdns: targetFqdns(target, group) };
}
type Checked = ReturnType<typeof checkTarget>;

/** The endpoint's NIC (created with an IP from the subnet on the first PUT) and its IP. */
function ensureNic(c: Ctx, q: PutPe, t: Checked): { nicId: string; ip: string | undefined } {
  const { bp, existing, subnetId, found } = q;
  const nicId = str(obj(arr(existing?.properties.networkInterfaces)[0]).id);
  if (nicId) {
    const cfg = obj(obj(arr(getRes(c, nicId)?.properties.ipConfigurations)[0]).properties);
    return { nicId, ip: str(cfg.privateIPAddress) };
  }
  const nicName = str(bp.customNetworkInterfaceName) ?? `${q.name}.nic.${guid()}`;
  const id = `${rgId(c.p.sub ?? "", c.p.rg ?? "")}/providers/${NIC}/${nicName}`;
  const staticIp = str(obj(obj(arr(bp.ipConfigurations)[0]).properties).privateIPAddress);
  const ip = allocator(c.state, found.subnet, subnetId)(staticIp ? { staticIp } : {});
  const link = { target: t.target, group: t.group, fqdns: t.fqdns };
  putRes(
    c,
    nicResource(id, nicName, q.location, q.id, str(found.subnet.id) ?? subnetId, ip, !!staticIp, link),
  );
  return { nicId: id, ip };
}

/** The new connection on the target (Pending, or Approved when auto-approved or automatic). */
function addTargetConnection(q: PutPe, t: Checked, etag: string): void {
  const { pls, target, approved, group } = t;
  const pecName = `${q.name}.${guid()}`;
  pls.properties.privateEndpointConnections = [
    ...pecs(pls),
    {
      name: pecName,
      id: `${pls.id}/privateEndpointConnections/${pecName}`,
      type: `${pls.type}/privateEndpointConnections`,
      etag,
      properties: {
        provisioningState: "Succeeded",
        privateEndpoint: { id: q.id },
        privateLinkServiceConnectionState: {
          status: approved ? "Approved" : "Pending",
          description: approved ? "Auto-Approved" : (q.requestMessage ?? ""),
          actionsRequired: "None",
        },
        ...(target.paas
          ? { groupIds: [group?.groupId ?? ""] }
          : {
              linkIdentifier: newLinkIdentifier(pls, `${pls.id}/privateEndpointConnections/${pecName}`),
              privateEndpointLocation: q.location,
            }),
      },
    },
  ];
  if (!target.paas || pls.etag !== undefined) pls.etag = etag;
}

/** The endpoint's own copy of its connection (its state kept across PUTs to the same target). */
function endpointConnection(q: PutPe, t: Checked, etag: string) {
  const { existing, listKey, cp, requestMessage } = q;
  const connName = str(q.conn.name) ?? q.name;
  const prevConn = arr(existing?.properties[listKey])
    .map(obj)
    .find((x) => t.sameTarget && sameId(x.name, connName));
  const state = prevConn
    ? obj(obj(prevConn.properties).privateLinkServiceConnectionState)
    : t.approved
      ? { status: "Approved", description: "Auto-Approved", actionsRequired: "None" }
      : { status: "Pending", description: "Awaiting approval", actionsRequired: "None" };
  return {
    name: connName,
    id: `${q.id}/${listKey}/${connName}`,
    type: `${PE}/${listKey}`,
    etag,
    properties: {
      provisioningState: "Succeeded",
      privateLinkServiceId: q.ref,
      groupIds: arr(cp.groupIds),
      ...(requestMessage !== undefined ? { requestMessage } : {}),
      privateLinkServiceConnectionState: state,
    },
  };
}

function endpointResource(
  q: PutPe,
  t: Checked,
  nic: { nicId: string; ip: string | undefined },
  etag: string,
) {
  const { b, bp, existing, isManual, found, subnetId } = q;
  const connection = endpointConnection(q, t, etag);
  const r: Resource = {
    id: q.id,
    name: existing?.name ?? q.name,
    type: PE,
    location: q.location,
    etag,
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: existing?.properties.resourceGuid ?? guid(),
      privateLinkServiceConnections: isManual ? [] : [connection],
      manualPrivateLinkServiceConnections: isManual ? [connection] : [],
      subnet: { id: str(found.subnet.id) ?? subnetId },
      networkInterfaces: [{ id: nic.nicId }],
      customDnsConfigs: t.fqdns.map((f) => ({ fqdn: f, ipAddresses: nic.ip ? [nic.ip] : [] })),
      applicationSecurityGroups: arr(bp.applicationSecurityGroups),
      ipConfigurations: arr(bp.ipConfigurations),
      customNetworkInterfaceName:
        str(bp.customNetworkInterfaceName) ?? str(existing?.properties.customNetworkInterfaceName) ?? "",
      ipVersionType: str(bp.ipVersionType) ?? "IPv4",
    },
  };
  if (b.tags) r.tags = b.tags as Record<string, string>;
  else if (existing?.tags) r.tags = existing.tags;
  if (b.extendedLocation) r.extendedLocation = b.extendedLocation;
  return r;
}

function putPe(c: Ctx) {
  const q = readPut(c);
  const t = checkTarget(c, q);
  const etag = weakEtag();
  const nic = ensureNic(c, q, t);
  if (!t.sameTarget) addTargetConnection(q, t, etag);
  const r = endpointResource(q, t, nic, etag);
  putRes(c, r);
  const reply = lroPutReply(c, r, !q.existing, q.location);
  const rb = reply.body as Resource;
  for (const k of LISTS)
    for (const x of arr(rb.properties[k])) obj(obj(x).properties).provisioningState = "Updating";
  return reply;
}

function deletePe(c: Ctx) {
  const pe = getRes(c, c.req.path);
  if (!pe) return { status: 204 };
  detach(c, pe);
  removeZoneGroupRecords(c, pe.id);
  const ids = [pe.id, ...arr(pe.properties.networkInterfaces).map((n) => str(obj(n).id) ?? "")];
  for (const r of Object.values(c.state.resources)) {
    if (r.type === `${PE}/privateDnsZoneGroups` && r.id.toLowerCase().startsWith(`${pe.id.toLowerCase()}/`))
      delRes(c, r.id);
  }
  return lroDeleteReply(c, ids, pe.location ?? "");
}

export const peRoutes: RouteDef[] = [
  ...trackedResourceRoutes({
    type: PE,
    ops: "PrivateEndpoints",
    api: "privateLink",
    bySubscription: true,
    paged: true,
    put: putPe,
    delete: deletePe,
  }),
  routeFor("network")("GET", `${NET}/networkInterfaces/{name}`, "NetworkInterfaces_Get", `${NIC}/read`, (c) =>
    ok(clone(mustGet(c, c.req.path, NIC, c.p.name ?? ""))),
  ),
];
