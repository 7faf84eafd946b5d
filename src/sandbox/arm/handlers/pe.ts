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
import type { PaasGroup } from "./paas-model.js";
import { isAlias, newLinkIdentifier, PE, pecs } from "./pls-model.js";
import { routeFor, trackedResourceRoutes } from "./routes.js";
import {
  aliasKnown,
  findTarget,
  type LinkTarget,
  targetAutoApproves,
  targetFqdns,
  targetGroup,
  targetVisible,
} from "./targets.js";
import { joinSubnet } from "./vnet.js";
import { removeZoneGroupRecords } from "./zonegroups.js";

const NIC = "Microsoft.Network/networkInterfaces";
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

function putPe(c: Ctx) {
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
  const listKey = isManual ? LISTS[0] : LISTS[1];
  const conn = (manual[0] ?? auto[0]) as Json;
  const cp = obj(conn.properties);
  const ref = str(cp.privateLinkServiceId) ?? "";
  const requestMessage = str(cp.requestMessage);
  if (requestMessage && requestMessage.length > 140) {
    throw badRequest(
      "PrivateEndpointConnectionRequestMessageTooLong",
      `The request message of private link service connection ${str(conn.name) ?? name} is ${requestMessage.length} characters long; it is restricted to 140 characters.`,
    );
  }
  if (!isManual && isAlias(ref)) throw aliasNeedsManual(ref, id);
  const target = findTarget(c.state, ref);
  if (
    !target ||
    (isAlias(ref) && !aliasKnown(c, target.resource)) ||
    !targetVisible(c, target, c.p.sub ?? "")
  )
    throw notVisible(ref);
  const sameTarget = existing && connectionRefs(existing).some((r) => sameId(r, ref));
  if (existing && !sameTarget) throw targetChanged(id, connectionRefs(existing)[0] ?? "", ref);
  const group = targetGroup(target, arr(cp.groupIds), id);
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
  const fqdns = targetFqdns(target, group);
  const approved = autoOk || !isManual;
  const etag = weakEtag();
  let nicId = str(obj(arr(existing?.properties.networkInterfaces)[0]).id);
  let ip: string | undefined;
  if (!nicId) {
    const nicName = str(bp.customNetworkInterfaceName) ?? `${name}.nic.${guid()}`;
    nicId = `${rgId(c.p.sub ?? "", c.p.rg ?? "")}/providers/${NIC}/${nicName}`;
    const staticIp = str(obj(obj(arr(bp.ipConfigurations)[0]).properties).privateIPAddress);
    ip = allocator(c.state, found.subnet, subnetId)(staticIp ? { staticIp } : {});
    putRes(
      c,
      nicResource(nicId, nicName, location, id, str(found.subnet.id) ?? subnetId, ip, !!staticIp, {
        target,
        group,
        fqdns,
      }),
    );
  } else {
    ip = str(obj(obj(arr(getRes(c, nicId)?.properties.ipConfigurations)[0]).properties).privateIPAddress);
  }
  const connName = str(conn.name) ?? name;
  const prevConn = arr(existing?.properties[listKey])
    .map(obj)
    .find((x) => sameTarget && sameId(x.name, connName));
  if (!sameTarget) {
    const pecName = `${name}.${guid()}`;
    pls.properties.privateEndpointConnections = [
      ...pecs(pls),
      {
        name: pecName,
        id: `${pls.id}/privateEndpointConnections/${pecName}`,
        type: `${pls.type}/privateEndpointConnections`,
        etag,
        properties: {
          provisioningState: "Succeeded",
          privateEndpoint: { id },
          privateLinkServiceConnectionState: {
            status: approved ? "Approved" : "Pending",
            description: approved ? "Auto-Approved" : (requestMessage ?? ""),
            actionsRequired: "None",
          },
          ...(target.paas
            ? { groupIds: [group?.groupId ?? ""] }
            : {
                linkIdentifier: newLinkIdentifier(pls, `${pls.id}/privateEndpointConnections/${pecName}`),
                privateEndpointLocation: location,
              }),
        },
      },
    ];
    if (!target.paas || pls.etag !== undefined) pls.etag = etag;
  }
  const state = prevConn
    ? obj(obj(prevConn.properties).privateLinkServiceConnectionState)
    : approved
      ? { status: "Approved", description: "Auto-Approved", actionsRequired: "None" }
      : { status: "Pending", description: "Awaiting approval", actionsRequired: "None" };
  const connection = {
    name: connName,
    id: `${id}/${listKey}/${connName}`,
    type: `${PE}/${listKey}`,
    etag,
    properties: {
      provisioningState: "Succeeded",
      privateLinkServiceId: ref,
      groupIds: arr(cp.groupIds),
      ...(requestMessage !== undefined ? { requestMessage } : {}),
      privateLinkServiceConnectionState: state,
    },
  };
  const r: Resource = {
    id,
    name: existing?.name ?? name,
    type: PE,
    location,
    etag,
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: existing?.properties.resourceGuid ?? guid(),
      privateLinkServiceConnections: isManual ? [] : [connection],
      manualPrivateLinkServiceConnections: isManual ? [connection] : [],
      subnet: { id: str(found.subnet.id) ?? subnetId },
      networkInterfaces: [{ id: nicId }],
      customDnsConfigs: fqdns.map((f) => ({ fqdn: f, ipAddresses: ip ? [ip] : [] })),
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
  putRes(c, r);
  const reply = lroPutReply(c, r, !existing, location);
  const rb = reply.body as Resource;
  for (const k of LISTS)
    for (const x of arr(rb.properties[k])) obj(obj(x).properties).provisioningState = "Updating";
  return reply;
}

function nicResource(
  id: string,
  name: string,
  location: string,
  peId: string,
  subnetId: string,
  ip: string,
  isStatic: boolean,
  link: { target: LinkTarget; group: PaasGroup | undefined; fqdns: string[] },
): Resource {
  const etag = weakEtag();
  const cfg = `privateEndpointIpConfig.${guid()}`;
  return {
    id,
    name,
    type: NIC,
    location,
    etag,
    kind: "Regular",
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guid(),
      ipConfigurations: [
        {
          name: cfg,
          id: `${id}/ipConfigurations/${cfg}`,
          etag,
          type: `${NIC}/ipConfigurations`,
          properties: {
            provisioningState: "Succeeded",
            privateIPAddress: ip,
            privateIPAllocationMethod: isStatic ? "Static" : "Dynamic",
            subnet: { id: subnetId },
            primary: true,
            privateIPAddressVersion: "IPv4",
            privateLinkConnectionProperties: {
              groupId: link.group?.groupId ?? "",
              requiredMemberName: link.group?.requiredMembers[0] ?? "",
              fqdns: link.fqdns,
            },
          },
        },
      ],
      dnsSettings: {
        dnsServers: [],
        appliedDnsServers: [],
        internalDomainNameSuffix: `${guid().replace(/-/g, "")}.ax.internal.cloudapp.net`,
      },
      macAddress: "",
      enableAcceleratedNetworking: false,
      vnetEncryptionSupported: false,
      enableIPForwarding: false,
      disableTcpStateTracking: false,
      hostedWorkloads: [],
      tapConfigurations: [],
      privateEndpoint: { id: peId },
      nicType: "Standard",
      allowPort25Out: true,
      auxiliaryMode: "None",
      auxiliarySku: "None",
    },
  };
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
