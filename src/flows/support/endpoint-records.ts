/**
 * The A records plsctl wrote for a private endpoint: those in the private zones of the endpoint's
 * resource group whose metadata names the endpoint, and the one in a hub's zone that the endpoint's
 * `plsctlDnsRecord` tag names (when its metadata names the endpoint too). Nothing else is plsctl's:
 * `disconnect` deletes these, `connect --replace` points them at the new endpoint.
 */
import type { EndpointAt } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import { type ARecordView, listARecordsIn, readARecord, type ZoneAt } from "../../azure/private-dns.js";
import { isOurRecord } from "../../domain/connect.js";
import { DNS_RECORD_TAG, parseRecordId } from "../../domain/dns-zones.js";

export type OwnRecord = ARecordView & { at: ZoneAt; central: boolean };

/** The record a hub's zone holds for the endpoint, named by its tag, when it is still plsctl's for it. */
async function recordElsewhere(
  azure: Azure,
  ep: { id: string; tags: Record<string, string> },
): Promise<OwnRecord | undefined> {
  const ref = parseRecordId(ep.tags[DNS_RECORD_TAG] ?? "");
  if (!ref) return undefined;
  const rec = await readARecord(azure, ref.zone, ref.label);
  return rec && isOurRecord(rec.metadata, ep.id) ? { ...rec, at: ref.zone, central: true } : undefined;
}

/**
 * plsctl's records for the endpoint `at` (whose id is `endpointId`); `existing` (the endpoint as
 * read, when it is there) adds the hub record its tag names.
 */
export async function ownRecords(
  azure: Azure,
  at: EndpointAt,
  endpointId: string,
  existing: { id: string; tags: Record<string, string> } | undefined,
): Promise<OwnRecord[]> {
  const records = await listARecordsIn(azure, at);
  const ours: OwnRecord[] = records
    .filter((r) => isOurRecord(r.metadata, existing?.id ?? endpointId))
    .map((r) => ({
      ...r,
      at: { subscriptionId: at.subscriptionId, resourceGroup: at.resourceGroup, zone: r.zone },
      central: false,
    }));
  const elsewhere = existing && (await recordElsewhere(azure, existing));
  if (elsewhere && !ours.some((r) => r.fqdn.toLowerCase() === elsewhere.fqdn.toLowerCase()))
    ours.push(elsewhere);
  return ours;
}
