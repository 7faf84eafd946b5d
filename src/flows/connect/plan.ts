/**
 * `connect`, the plan: everything read and checked before the first write — the subnet and its
 * region, an endpoint of that name already there (reused, replaced, or refused), the DNS record
 * `--replace` carries over, the zone to write into and its record. Reads only; apply.ts writes
 * what the plan says. The rules that need no request are in src/domain/connect-plan.ts.
 */
import { type EndpointView, lookupSubnet, readEndpoint } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import {
  type ConnectFlags,
  checkSubnet,
  type DnsAsked,
  dnsAsked,
  type FlagPlan,
  recordTagsOf,
  zoneToWrite,
} from "../../domain/connect-plan.js";
import { decideExisting } from "../../domain/connect-replace.js";
import { privateEndpointId, type ResourceAt } from "../../domain/resource-id.js";
import { checkRecord, type DnsPlan } from "./dns.js";
import { carriedRecord } from "./replace.js";
import { chooseZone, type ZoneChoice } from "./zone.js";

export interface ConnectPlan extends FlagPlan {
  flags: ConnectFlags;
  /** The endpoint's address. */
  at: ResourceAt;
  endpointId: string;
  location: string;
  /** The subnet's id as Azure spells it. */
  subnetId: string;
  vnet: { id: string; name: string };
  /** The endpoint of that name this run reuses (maybe still provisioning), if any. */
  existing: EndpointView | undefined;
  /** The endpoint of that name `--replace` deletes right before the new one's PUT, if any. */
  replacing: EndpointView | undefined;
  /** The zone to write into, and where in it; undefined: no DNS. */
  zone: ZoneChoice | undefined;
  dnsPlan: DnsPlan | undefined;
  /** The tag that tells disconnect where the A record is (a hub's zone). */
  recordTags: Record<string, string> | undefined;
}

/** Reads and checks everything; writes nothing. */
export async function planConnect(
  azure: Azure,
  flags: ConnectFlags & { location?: string | undefined },
  fp: FlagPlan,
): Promise<ConnectPlan> {
  const { target, name, subscriptionId: sub } = fp;
  const subnet = checkSubnet(fp.subnetId, await lookupSubnet(azure, fp.subnetId), flags.location);
  const vnet = { id: subnet.vnet.id, name: subnet.vnet.name };
  const at = { subscriptionId: sub, resourceGroup: flags.resourceGroup, name };
  const found = await readEndpoint(azure, at);
  const decision = decideExisting(found, {
    target: target.ref,
    subnetId: subnet.subnetId,
    replace: Boolean(flags.replace),
  });
  const endpointId = found?.id ?? privateEndpointId(at);
  const dns = await dnsOf(azure, flags, fp, { at, endpointId, found });
  const zoneName = zoneToWrite(flags, target, dns);
  const own = { subscriptionId: sub, resourceGroup: flags.resourceGroup };
  const zone = zoneName ? await chooseZone(azure, zoneName, dns.byId, own, vnet) : undefined;
  const dnsPlan: DnsPlan | undefined = zone
    ? { zone: zone.zone, vnet, endpointId, central: zone.central }
    : undefined;
  if (dnsPlan && dns.wanted) {
    const currentIp = found?.privateIp ?? null;
    await checkRecord(azure, dnsPlan, dns.wanted.label, currentIp, Boolean(flags.overwriteDns));
  }
  return {
    ...fp,
    dns,
    flags,
    at,
    endpointId,
    location: subnet.location,
    subnetId: subnet.subnetId,
    vnet,
    existing: decision === "reuse" ? found : undefined,
    replacing: decision === "replace" ? found : undefined,
    zone,
    dnsPlan,
    recordTags: recordTagsOf(zone, dns.wanted),
  };
}

/** --replace without DNS flags keeps the name plsctl wrote for the endpoint: as if they were given. */
async function dnsOf(
  azure: Azure,
  flags: ConnectFlags,
  fp: FlagPlan,
  ep: { at: ResourceAt; endpointId: string; found: EndpointView | undefined },
): Promise<DnsAsked> {
  if (!flags.replace || fp.target.kind === "paas") return fp.dns;
  const carried = await carriedRecord(azure, flags, ep.at, ep.endpointId, ep.found);
  return carried ? dnsAsked({ ...flags, ...carried }, fp.target) : fp.dns;
}
