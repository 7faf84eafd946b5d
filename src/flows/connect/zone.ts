/**
 * `connect`'s private DNS zone in a landing zone, settled before the endpoint exists. Azure links a
 * VNet to only one zone of a namespace (learn.microsoft.com/troubleshoot/azure/azure-kubernetes/
 * error-codes/createorupdatevirtualnetworklinkfailed-error), and landing zones link every spoke to
 * central `privatelink.*` (and custom) zones in a hub subscription. So plsctl looks for a zone of the
 * name already linked to the endpoint's VNet in every subscription it can read, and writes there
 * (the A record, or the zone group's target); `--dns-zone-id` names the zone instead. Only when none
 * is linked does it create its own in --resource-group and link it — still before the endpoint, so
 * a link Azure refuses (a zone plsctl cannot see) stops the run with nothing half-made.
 */
import { subscriptionIds, zonesLinkedTo } from "../../azure/dns-discovery.js";
import { createEndpoint, type EndpointView } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import { createZone, deleteZone, linkZone, zoneExists, zoneLinkedTo } from "../../azure/private-dns.js";
import type { Context } from "../../context.js";
import { type ZoneRef, zoneIdOfRef } from "../../domain/dns-zones.js";
import { ExitCode, PlsctlError } from "../../domain/errors.js";

export interface ZoneChoice {
  zone: ZoneRef;
  /** Outside the endpoint's resource group: a hub's zone found linked, or --dns-zone-id. */
  central: boolean;
}

const sameZone = (a: ZoneRef, b: { subscriptionId: string; resourceGroup: string }) =>
  a.subscriptionId.toLowerCase() === b.subscriptionId.toLowerCase() &&
  a.resourceGroup.toLowerCase() === b.resourceGroup.toLowerCase();

const WHAT_TO_DO = (zone: string, vnet: string) =>
  `Ask the team that runs the hub's DNS for Private DNS Zone Contributor on its ${zone} zone (plsctl then writes there), or pass --dns-zone-id <id of the zone linked to ${vnet}> once you may write it, or connect without DNS (leave out --dns-zone/--dns-name; --no-dns for a PaaS target) and have them add the record.`;

/** The zone to write into: --dns-zone-id, the one linked to the VNet already, or the partner's own. */
export async function chooseZone(
  azure: Azure,
  name: string,
  byId: ZoneRef | undefined,
  own: { subscriptionId: string; resourceGroup: string },
  vnet: { id: string; name: string },
): Promise<ZoneChoice> {
  if (byId) {
    if (!(await zoneExists(azure, byId))) {
      throw new PlsctlError(
        `Private DNS zone ${byId.zone} (--dns-zone-id) does not exist in resource group ${byId.resourceGroup} of subscription ${byId.subscriptionId}. Nothing was created.`,
        {
          exitCode: ExitCode.NotFound,
          code: "DnsZoneNotFound",
          hint: "Check the id (az network private-dns zone list --query [].id), or leave out --dns-zone-id.",
        },
      );
    }
    return { zone: byId, central: !sameZone(byId, own) };
  }
  const subs = await subscriptionIds(azure);
  if (!subs.some((s) => s.toLowerCase() === own.subscriptionId.toLowerCase())) subs.push(own.subscriptionId);
  const found = await zonesLinkedTo(azure, subs, name, vnet.id);
  const [first] = found.linked;
  if (first && first.zone === name.toLowerCase()) return { zone: first, central: !sameZone(first, own) };
  if (first) {
    throw new PlsctlError(
      `Virtual network ${vnet.name} is linked to private DNS zone ${first.zone} (${first.id}, link ${first.linkName}), whose namespace overlaps ${name}: Azure links a VNet to only one zone of overlapping names. Nothing was created.`,
      {
        exitCode: ExitCode.Usage,
        code: "DnsZoneOverlaps",
        hint: `Write the name in ${first.zone} instead (--dns-zone ${first.zone} with the matching --dns-name), or leave out --dns-zone.`,
      },
    );
  }
  const [hidden] = found.unreadable;
  if (hidden) {
    throw new PlsctlError(
      `Private DNS zone ${hidden.zone} exists in resource group ${hidden.resourceGroup} of subscription ${hidden.subscriptionId} and may be linked to virtual network ${vnet.name} (Azure links a VNet to only one zone of a name), but this identity may not read its virtual network links (${hidden.code}). Nothing was created.`,
      { exitCode: ExitCode.Auth, code: "DnsZoneNotReadable", hint: WHAT_TO_DO(name, vnet.name) },
    );
  }
  return { zone: { ...own, zone: name.toLowerCase() }, central: false };
}

const isOverlapRefusal = (err: unknown) =>
  err instanceof PlsctlError &&
  /overlapping namespaces/i.test(`${err.message} ${String((err.cause as Error | undefined)?.message ?? "")}`);

/**
 * The zone exists and is linked to the VNet (registration off); writes only what is missing. A link
 * Azure refuses because another zone of the name is linked where this identity cannot see it: the
 * zone plsctl just created is removed again and the run stops (exit 4), before any endpoint.
 */
export async function ensureZone(
  ctx: Context,
  azure: Azure,
  z: ZoneRef,
  vnet: { id: string; name: string },
  central = false,
): Promise<boolean> {
  let changed = false;
  const exists = await zoneExists(azure, z);
  if (!exists) {
    await createZone(azure, z);
    changed = true;
  }
  const linked = exists && (await zoneLinkedTo(azure, z, vnet.id));
  if (!linked) {
    try {
      await linkZone(azure, z, vnet.name.toLowerCase(), vnet.id);
    } catch (err) {
      if (!isOverlapRefusal(err)) throw err;
      if (!exists) await deleteZone(azure, z);
      throw new PlsctlError(
        `Azure refused to link private DNS zone ${z.zone} (${zoneIdOfRef(z)}) to virtual network ${vnet.name}: another zone of that name is linked to it already, in a subscription or resource group this identity cannot see (BadRequest: a virtual network cannot be linked to multiple zones with overlapping namespaces). Nothing was created${exists ? "" : " (plsctl removed the zone it had just made)"}.`,
        {
          exitCode: ExitCode.Auth,
          code: "DnsZoneLinkedElsewhere",
          cause: err,
          hint: WHAT_TO_DO(z.zone, vnet.name),
        },
      );
    }
    changed = true;
  }
  ctx.progress({
    kind: "dns-zone",
    zone: z.zone,
    created: !exists,
    linked: !linked,
    id: zoneIdOfRef(z),
    central,
  });
  return changed;
}

/**
 * An endpoint made before plsctl wrote into a hub's zone for it (e.g. first connected without DNS)
 * gets the tag that tells disconnect where the record is: the same endpoint PUT again, with the tag
 * added (Azure updates an endpoint in place when its connection is unchanged). Returns whether it
 * wrote.
 */
export async function ensureTagged(
  azure: Azure,
  ep: EndpointView,
  tags: Record<string, string>,
): Promise<boolean> {
  if (Object.entries(tags).every(([k, v]) => ep.tags[k] === v)) return false;
  await createEndpoint(azure, {
    subscriptionId: ep.subscriptionId,
    resourceGroup: ep.resourceGroup,
    name: ep.name,
    location: ep.location,
    subnetId: ep.subnetId,
    target: ep.target,
    groupIds: ep.groupIds,
    manual: ep.manual,
    requestMessage: ep.requestMessage ?? undefined,
    tags: { ...ep.tags, ...tags },
  });
  return true;
}
