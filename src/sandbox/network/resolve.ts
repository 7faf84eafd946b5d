/**
 * The partner's side of a connection, read from the ARM emulator's state: which VNet the client
 * stands in, what a name means there (private DNS zones linked to that VNet, as Azure DNS at
 * 168.63.129.16 answers them), and which private endpoint holds the destination address.
 */
import type { ArmState, Resource } from "../arm/types.js";
import { arr, obj, str } from "../arm/util.js";

const VNET = "microsoft.network/virtualnetworks";
const PE = "microsoft.network/privateendpoints";
const ZONE = "microsoft.network/privatednszones";
const LINK = `${ZONE}/virtualnetworklinks`;
const MAX_CNAME_HOPS = 8;

export const lower = (s: string | undefined): string => (s ?? "").toLowerCase();
const ofType = (state: Readonly<ArmState>, type: string): Resource[] =>
  Object.values(state.resources).filter((r) => lower(r.type) === type);

export const isIpv4 = (s: string): boolean =>
  /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split(".").every((o) => Number(o) <= 255);

export type VnetChoice = { vnets: Resource[] } | { error: string };

/**
 * The VNets a client may stand in: the one its proxy user names (a VNet name, or its resource id,
 * URL-decoded), else every VNet — the destination then has to pick one.
 */
export function clientVnets(state: Readonly<ArmState>, user: string | undefined): VnetChoice {
  const all = ofType(state, VNET);
  if (user === undefined || user === "") return { vnets: all };
  let wanted = user;
  try {
    wanted = decodeURIComponent(user);
  } catch {
    // not URL-encoded: taken as is
  }
  const hits = wanted.startsWith("/")
    ? all.filter((v) => lower(v.id) === lower(wanted))
    : all.filter((v) => lower(v.name) === lower(wanted));
  if (hits.length === 1) return { vnets: hits };
  if (hits.length > 1)
    return {
      error: `More than one VNet is named "${wanted}"; name it by its resource id (URL-encoded) in the proxy URL's user part.`,
    };
  return {
    error: `The sandbox has no VNet "${wanted}" (it has ${all.map((v) => v.name).join(", ") || "none"}); put a VNet name or resource id in the proxy URL's user part.`,
  };
}

function linkedZones(state: Readonly<ArmState>, vnet: Resource): Resource[] {
  const zoneIds = new Set(
    ofType(state, LINK)
      .filter((l) => lower(str(obj(l.properties.virtualNetwork).id)) === lower(vnet.id))
      .map((l) => lower(l.id.replace(/\/virtualNetworkLinks\/[^/]+$/i, ""))),
  );
  return ofType(state, ZONE).filter((z) => zoneIds.has(lower(z.id)));
}

/**
 * The IPv4 addresses a name has in a VNet: the A records of the most specific private zone linked
 * to it that contains the name, following CNAMEs in those zones. A name no linked zone contains is
 * not resolved (the sandbox has no public DNS: it must never send the client elsewhere).
 */
export function resolveName(state: Readonly<ArmState>, vnet: Resource, name: string): string[] {
  const zones = linkedZones(state, vnet);
  let fqdn = lower(name).replace(/\.$/, "");
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const zone = zones
      .filter((z) => fqdn === lower(z.name) || fqdn.endsWith(`.${lower(z.name)}`))
      .sort((a, b) => b.name.length - a.name.length)[0];
    if (!zone) return [];
    const label = fqdn === lower(zone.name) ? "@" : fqdn.slice(0, -(zone.name.length + 1));
    const record = (type: string) => state.resources[lower(`${zone.id}/${type}/${label}`)];
    const a = record("A");
    if (a) return arr(a.properties.aRecords).flatMap((r) => str(obj(r).ipv4Address) ?? []);
    const target = str(obj(record("CNAME")?.properties.cnameRecord).cname);
    if (!target) return [];
    fqdn = lower(target).replace(/\.$/, "");
  }
  return [];
}

/** The private IPv4 addresses of an endpoint (its NIC's ipConfigurations). */
export function endpointIps(state: Readonly<ArmState>, pe: Resource): string[] {
  return arr(pe.properties.networkInterfaces).flatMap((n) => {
    const nic = state.resources[lower(str(obj(n).id))];
    return arr(nic?.properties.ipConfigurations).flatMap(
      (c) => str(obj(obj(c).properties).privateIPAddress) ?? [],
    );
  });
}

const inVnet = (pe: Resource, vnet: Resource) =>
  lower(str(obj(pe.properties.subnet).id)).startsWith(`${lower(vnet.id)}/subnets/`);

export interface EndpointHit {
  vnet: Resource;
  endpoint: Resource;
  ip: string;
}

/** `resolved`: what a name resolved to in the client VNets (absent for an address). */
export type EndpointLookup =
  | { hit: EndpointHit }
  | { error: string; ambiguous?: boolean; resolved?: string[] };

/** The one private endpoint that `host` (an IPv4 address or a name) reaches from the client VNets. */
export function findEndpoint(state: Readonly<ArmState>, vnets: Resource[], host: string): EndpointLookup {
  const named = !isIpv4(host);
  const pes = ofType(state, PE);
  const hits: EndpointHit[] = [];
  const resolved = new Set<string>();
  for (const vnet of vnets) {
    const ips = named ? resolveName(state, vnet, host) : [host];
    if (named) for (const ip of ips) resolved.add(ip);
    for (const pe of pes.filter((p) => inVnet(p, vnet))) {
      const ip = endpointIps(state, pe).find((a) => ips.includes(a));
      if (ip) hits.push({ vnet, endpoint: pe, ip });
    }
  }
  const where = vnets.length === 1 ? `VNet ${vnets[0]?.name}` : "any VNet of the sandbox";
  const first = hits[0];
  if (!first) {
    if (named && resolved.size === 0)
      return {
        error: `${host} does not resolve in ${where}: no private DNS zone linked to it has that name.`,
        resolved: [],
      };
    if (named)
      return {
        error: `${host} resolves to ${[...resolved].join(", ")}, and no private endpoint in ${where} has that address.`,
        resolved: [...resolved],
      };
    return { error: `No private endpoint in ${where} has the address ${host}.` };
  }
  if (hits.some((h) => lower(h.endpoint.id) !== lower(first.endpoint.id))) {
    const names = hits.map((h) => `${h.endpoint.name} (VNet ${h.vnet.name})`).join(", ");
    return {
      ambiguous: true,
      error: `${host} is ambiguous: ${names} all answer to it. Name the client's VNet in the proxy URL, e.g. http://${first.vnet.name}@127.0.0.1:<port>.`,
    };
  }
  return { hit: first };
}
