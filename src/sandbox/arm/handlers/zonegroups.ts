/**
 * privateEndpoints/{pe}/privateDnsZoneGroups: the network RP writes the endpoint's A record into
 * each configured zone that is the target's zone, and removes what it wrote with the group and with
 * the endpoint.
 *
 * - A PaaS target's record is named after the resource (`<vault>` in
 *   `privatelink.vaultcore.azure.net`, `<server>` in `privatelink.database.windows.net`,
 *   `<account>` in `privatelink.blob.core.windows.net`) and written only into the standard zone of
 *   the endpoint's group id (learn.microsoft.com, "Azure Private Endpoint private DNS zone values";
 *   "Private DNS zone group"); a configured zone that is not it gets no record.
 * - A private link service has no standard zone: its `fqdns` that lie in the configured zone.
 * - An A record the group did not write is left as it is and not listed in the group's
 *   `recordSets` (the sandbox's choice: what the RP does with a hand-written record is not
 *   documented). A record another endpoint's zone group wrote is taken over, as field reports show
 *   Azure doing (MicrosoftDocs/azure-docs#122192, CDCgov/prime-reportstream#2256).
 */
import { badRequest, childNotFound } from "../errors.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Resource } from "../types.js";
import { arr, clone, isObject, key, listBody, obj, str, weakEtag } from "../util.js";
import { body, delRes, getRes, lroDeleteReply, lroPutReply, mustGet, NET, ok, putRes } from "./common.js";
import { aRecordResource } from "./dns.js";
import { routeFor } from "./routes.js";
import { findTarget, targetGroup, zoneRecordNames } from "./targets.js";

const PE = "Microsoft.Network/privateEndpoints";
const ZG = `${PE}/privateDnsZoneGroups`;
const ZONE = "Microsoft.Network/privateDnsZones";

const peIdOf = (c: Ctx) => `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${PE}/${c.p.pe}`;

const mustPe = (c: Ctx): Resource => mustGet(c, peIdOf(c), PE, c.p.pe ?? "");

/** Removes the A records group `groupId` wrote (and only those). */
function deleteRecords(c: Ctx, groupId: string): void {
  const owners = c.state.zoneGroupRecords ?? {};
  for (const [rid, owner] of Object.entries(owners)) {
    if (owner !== key(groupId)) continue;
    delete owners[rid];
    if (getRes(c, rid)) delRes(c, rid);
  }
  c.dirty = true;
}

export function removeZoneGroupRecords(c: Ctx, peId: string): void {
  const prefix = `${peId.toLowerCase()}/privatednszonegroups/`;
  for (const r of Object.values(c.state.resources)) if (key(r.id).startsWith(prefix)) deleteRecords(c, r.id);
}

/** The endpoint's target and group id (from its one connection). */
function linkOf(c: Ctx, pe: Resource) {
  const conn = obj(
    [
      ...arr(pe.properties.manualPrivateLinkServiceConnections),
      ...arr(pe.properties.privateLinkServiceConnections),
    ][0],
  );
  const cp = obj(conn.properties);
  const target = findTarget(c.state, str(cp.privateLinkServiceId) ?? "");
  if (!target) return undefined;
  return { target, group: targetGroup(target, arr(cp.groupIds), pe.id) };
}

function putGroup(c: Ctx) {
  const pe = mustPe(c);
  const b = body(c);
  const id = `${pe.id}/privateDnsZoneGroups/${c.p.name}`;
  const existing = getRes(c, id);
  const nic = getRes(c, str(obj(arr(pe.properties.networkInterfaces)[0]).id) ?? "");
  const ip = str(obj(obj(arr(nic?.properties.ipConfigurations)[0]).properties).privateIPAddress);
  const configs = arr(obj(b.properties).privateDnsZoneConfigs).filter(isObject);
  const zones = configs.map((cfg) => {
    const zoneId = str(obj(cfg.properties).privateDnsZoneId) ?? "";
    const zone = getRes(c, zoneId);
    if (!zone || zone.type !== ZONE) {
      throw badRequest(
        "InvalidPrivateDnsZoneIds",
        `Private DNS zone ${zoneId} referenced by ${id} does not exist.`,
      );
    }
    return { cfg, zone };
  });
  const link = linkOf(c, pe);
  deleteRecords(c, id);
  c.state.zoneGroupRecords ??= {};
  const owners = c.state.zoneGroupRecords;
  const etag = weakEtag();
  const out: Json[] = zones.map(({ cfg, zone }) => {
    const names = link ? zoneRecordNames(link.target, link.group, zone.name) : [];
    const recordSets = names.flatMap((name) => {
      const rid = key(`${zone.id}/A/${name}`);
      if (getRes(c, rid) && owners[rid] === undefined) return []; // written by hand: left alone
      const rec = aRecordResource(
        zone,
        name,
        { ttl: 10, aRecords: ip ? [{ ipv4Address: ip }] : [] },
        undefined,
      );
      putRes(c, rec);
      owners[rid] = key(id);
      return [
        {
          recordType: "A",
          recordSetName: rec.name,
          fqdn: str(rec.properties.fqdn)?.replace(/\.$/, ""),
          ttl: 10,
          ipAddresses: ip ? [ip] : [],
          provisioningState: "Succeeded",
        },
      ];
    });
    const cfgName = str(cfg.name) ?? zone.name.replace(/\./g, "-");
    return { name: cfgName, properties: { privateDnsZoneId: zone.id, recordSets } };
  });
  const r: Resource = {
    id,
    name: existing?.name ?? c.p.name ?? "",
    type: ZG,
    etag,
    properties: { provisioningState: "Succeeded", privateDnsZoneConfigs: out },
  };
  putRes(c, r);
  return lroPutReply(c, r, !existing, pe.location ?? "");
}

function deleteGroup(c: Ctx) {
  const pe = mustPe(c);
  const g = getRes(c, `${pe.id}/privateDnsZoneGroups/${c.p.name}`);
  if (!g) return { status: 204 };
  deleteRecords(c, g.id);
  return lroDeleteReply(c, [g.id], pe.location ?? "");
}

const P = `${NET}/privateEndpoints/{pe}/privateDnsZoneGroups`;
const read = `${ZG}/read`;

const route = routeFor("dnsZoneGroups");

export const zoneGroupRoutes: RouteDef[] = [
  route("GET", `${P}/{name}`, "PrivateDnsZoneGroups_Get", read, (c) => {
    const pe = mustPe(c);
    const g = getRes(c, `${pe.id}/privateDnsZoneGroups/${c.p.name}`);
    if (!g) throw childNotFound("privateDnsZoneGroup", c.p.name ?? "");
    return ok(clone(g));
  }),
  route("GET", P, "PrivateDnsZoneGroups_List", read, (c) => {
    const prefix = `${mustPe(c).id.toLowerCase()}/privatednszonegroups/`;
    return ok(
      listBody(
        Object.values(c.state.resources)
          .filter((r) => key(r.id).startsWith(prefix))
          .map(clone),
      ),
    );
  }),
  route("PUT", `${P}/{name}`, "PrivateDnsZoneGroups_CreateOrUpdate", `${ZG}/write`, putGroup),
  route("DELETE", `${P}/{name}`, "PrivateDnsZoneGroups_Delete", `${ZG}/delete`, deleteGroup),
];
