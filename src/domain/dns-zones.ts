/**
 * Private DNS zones in a landing zone, as pure rules: Azure links a virtual network to only one zone
 * of overlapping names (learn.microsoft.com/troubleshoot/azure/azure-kubernetes/error-codes/
 * createorupdatevirtualnetworklinkfailed-error: BadRequest "A virtual network cannot be linked to
 * multiple zones with overlapping namespaces"), so the zone already linked to the endpoint's VNet —
 * often a central one in a hub subscription — is the one to write into. Also `--dns-zone-id`.
 */
import { usageError } from "./errors.js";
import { parseResourceId } from "./resource-id.js";

/** Where a private DNS zone is. */
export interface ZoneRef {
  subscriptionId: string;
  resourceGroup: string;
  zone: string;
}

/** `a` and `b` are the same DNS name, or one lies inside the other. */
export function namespacesOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase().replace(/\.$/, "");
  const y = b.toLowerCase().replace(/\.$/, "");
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

export const zoneIdOfRef = (z: ZoneRef): string =>
  `/subscriptions/${z.subscriptionId}/resourceGroups/${z.resourceGroup}/providers/Microsoft.Network/privateDnsZones/${z.zone}`;

/** `--dns-zone-id`: a private DNS zone's resource id (its name must agree with `--dns-zone` when both are given). */
export function parseZoneId(raw: string, dnsZone?: string): ZoneRef {
  const value = raw.trim().replace(/\/+$/, "");
  const id = parseResourceId(value);
  const ok =
    id?.provider.toLowerCase() === "microsoft.network" &&
    id.path.length === 2 &&
    id.path[0]?.toLowerCase() === "privatednszones";
  if (!id || !ok) {
    throw usageError(
      `--dns-zone-id ${JSON.stringify(raw)} is not a private DNS zone's resource id; nothing was changed.`,
      "Give /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/privateDnsZones/<zone> (az network private-dns zone show … --query id).",
    );
  }
  const zone = id.name.toLowerCase();
  if (dnsZone !== undefined && dnsZone.trim().replace(/\.$/, "").toLowerCase() !== zone) {
    throw usageError(
      `--dns-zone ${dnsZone} and --dns-zone-id (zone ${zone}) name different zones; nothing was changed.`,
      "Leave out --dns-zone: --dns-zone-id names the zone.",
    );
  }
  return { subscriptionId: id.subscriptionId, resourceGroup: id.resourceGroup, zone };
}

/**
 * The endpoint tag that says where plsctl wrote its A record when that is outside the endpoint's
 * resource group (a hub zone), so `disconnect` finds it with one read. Its value is the record's id.
 */
export const DNS_RECORD_TAG = "plsctlDnsRecord";

export const recordIdOf = (z: ZoneRef, label: string): string => `${zoneIdOfRef(z)}/A/${label}`;

/** The zone and label of a record id written by recordIdOf; undefined for anything else. */
export function parseRecordId(id: string): { zone: ZoneRef; label: string } | undefined {
  const m = /^(.*\/providers\/Microsoft\.Network\/privateDnsZones\/[^/]+)\/A\/([^/]+)$/i.exec(id.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const r = parseResourceId(m[1]);
  if (!r) return undefined;
  return {
    zone: { subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup, zone: r.name },
    label: m[2],
  };
}

export interface DnsFlags {
  dnsZone?: string | undefined;
  dnsZoneId?: string | undefined;
  noDns?: boolean | undefined;
}

/**
 * `--dns-zone-id` and `--no-dns` against the target: the zone named by id (a PLS target with
 * `--dns-name`, or a PaaS target's zone group, whose zone must be the group id's standard one), or
 * no DNS at all. Returns the zone the id names, if any.
 */
export function checkZoneFlags(
  f: DnsFlags & { dnsName?: string | undefined },
  target: { kind: string; zone?: string },
): ZoneRef | undefined {
  if (f.noDns && (f.dnsZone !== undefined || f.dnsName !== undefined || f.dnsZoneId !== undefined)) {
    throw usageError("--no-dns goes alone: leave out --dns-zone, --dns-zone-id and --dns-name.");
  }
  if (f.dnsZoneId === undefined) return undefined;
  const ref = parseZoneId(f.dnsZoneId, f.dnsZone);
  if (target.kind === "paas" && target.zone && ref.zone !== target.zone.toLowerCase()) {
    throw usageError(
      `--dns-zone-id names zone ${ref.zone}, but this endpoint's zone group needs ${target.zone} (the name Azure's records use); nothing was changed.`,
      `Pass the id of your ${target.zone} zone (often a central one in the hub), or leave --dns-zone-id out.`,
    );
  }
  return ref;
}
