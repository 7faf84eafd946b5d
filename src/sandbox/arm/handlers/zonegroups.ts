/**
 * privateEndpoints/{pe}/privateDnsZoneGroups: the network RP writes A records for the endpoint's
 * FQDNs (its `customDnsConfigs`, i.e. the PLS `fqdns`; the endpoint name when there are none)
 * into each configured zone, and removes them with the group.
 */
import { badRequest, childNotFound } from "../errors.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json, Resource } from "../types.js";
import { arr, clone, isObject, key, listBody, obj, str, weakEtag } from "../util.js";
import { body, delRes, getRes, lroDeleteReply, lroPutReply, mustGet, NET, ok, putRes } from "./common.js";
import { aRecordResource } from "./dns.js";
import { routeFor } from "./routes.js";

const PE = "Microsoft.Network/privateEndpoints";
const ZG = `${PE}/privateDnsZoneGroups`;
const ZONE = "Microsoft.Network/privateDnsZones";

const peIdOf = (c: Ctx) => `/subscriptions/${c.p.sub}/resourceGroups/${c.p.rg}/providers/${PE}/${c.p.pe}`;

const mustPe = (c: Ctx): Resource => mustGet(c, peIdOf(c), PE, c.p.pe ?? "");

/** Relative record name for `fqdn` in `zone` (PaaS style `privatelink.` zones included). */
function relativeName(fqdn: string, zone: string, fallback: string): string {
  const f = fqdn.toLowerCase().replace(/\.$/, "");
  const z = zone.toLowerCase();
  if (f === z) return "@";
  if (f.endsWith(`.${z}`)) return f.slice(0, -(z.length + 1));
  const bare = z.replace(/^privatelink\./, "");
  if (f.endsWith(`.${bare}`)) return f.slice(0, -(bare.length + 1));
  return fallback.toLowerCase();
}

function deleteRecords(c: Ctx, group: Resource): void {
  for (const cfg of arr(group.properties.privateDnsZoneConfigs).map(obj)) {
    const zoneId = str(obj(cfg.properties).privateDnsZoneId) ?? "";
    for (const rs of arr(obj(cfg.properties).recordSets).map(obj)) {
      const rid = `${zoneId}/A/${str(rs.recordSetName)}`;
      if (getRes(c, rid)) delRes(c, rid);
    }
  }
}

export function removeZoneGroupRecords(c: Ctx, peId: string): void {
  const prefix = `${peId.toLowerCase()}/privatednszonegroups/`;
  for (const r of Object.values(c.state.resources)) if (key(r.id).startsWith(prefix)) deleteRecords(c, r);
}

function putGroup(c: Ctx) {
  const pe = mustPe(c);
  const b = body(c);
  const id = `${pe.id}/privateDnsZoneGroups/${c.p.name}`;
  const existing = getRes(c, id);
  const nic = getRes(c, str(obj(arr(pe.properties.networkInterfaces)[0]).id) ?? "");
  const ip = str(obj(obj(arr(nic?.properties.ipConfigurations)[0]).properties).privateIPAddress);
  const fqdns = arr(pe.properties.customDnsConfigs)
    .map((d) => str(obj(d).fqdn) ?? "")
    .filter(Boolean);
  const configs = arr(obj(b.properties).privateDnsZoneConfigs).filter(isObject);
  if (existing) deleteRecords(c, existing);
  const etag = weakEtag();
  const out: Json[] = configs.map((cfg) => {
    const zoneId = str(obj(cfg.properties).privateDnsZoneId) ?? "";
    const zone = getRes(c, zoneId);
    if (!zone || zone.type !== ZONE) {
      throw badRequest(
        "InvalidPrivateDnsZoneIds",
        `Private DNS zone ${zoneId} referenced by ${id} does not exist.`,
      );
    }
    const names = (fqdns.length ? fqdns : [pe.name]).map((f) => ({
      fqdn: f.includes(".") ? f : `${f}.${zone.name}`,
      name: relativeName(f, zone.name, pe.name),
    }));
    const recordSets = names.map(({ name }) => {
      const rec = aRecordResource(
        zone,
        name,
        { ttl: 10, aRecords: ip ? [{ ipv4Address: ip }] : [] },
        undefined,
      );
      putRes(c, rec);
      return {
        recordType: "A",
        recordSetName: rec.name,
        fqdn: str(rec.properties.fqdn)?.replace(/\.$/, ""),
        ttl: 10,
        ipAddresses: ip ? [ip] : [],
        provisioningState: "Succeeded",
      };
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
  deleteRecords(c, g);
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
