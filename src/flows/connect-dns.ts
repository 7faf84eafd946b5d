/**
 * `connect`'s DNS records: in the zone connect-zone.ts settled (the one linked to the endpoint's VNet
 * already, or the partner's own), either plsctl's own A record (`--dns-zone --dns-name`, a PLS target) or, for a PaaS target,
 * a zone group on the standard `privatelink.*` zone (Azure writes and removes its records). Every
 * step reads first and writes only what is missing, so a re-run writes nothing.
 */

import type { Azure } from "../azure/index.js";
import {
  readARecord,
  writeARecord,
  writeZoneGroup,
  type ZoneAt,
  zoneGroupZones,
  zoneIdOf,
} from "../azure/private-dns.js";
import type { Context } from "../context.js";
import { fqdnOf, isOurRecord, recordMetadata } from "../domain/connect.js";
import { usageError } from "../domain/errors.js";

export interface DnsPlan {
  zone: ZoneAt;
  vnet: { id: string; name: string };
  endpointId: string;
}

/**
 * Before any write: an A record `label` that exists, is not plsctl's for this endpoint and does not
 * already hold the endpoint's IP is refused (exit 2) unless `overwrite`.
 */
export async function checkRecord(
  azure: Azure,
  p: DnsPlan,
  label: string,
  currentIp: string | null,
  overwrite: boolean,
): Promise<void> {
  const rec = await readARecord(azure, p.zone, label);
  if (!rec || overwrite || isOurRecord(rec.metadata, p.endpointId)) return;
  if (currentIp && rec.ips.length === 1 && rec.ips[0] === currentIp) return;
  const fqdn = fqdnOf(p.zone.zone, label);
  throw usageError(
    `${fqdn} already has an A record pointing at ${rec.ips.join(", ") || "no address"}, which plsctl did not write for this endpoint; nothing was changed.`,
    `Pick another --dns-name, or pass --overwrite-dns to point ${fqdn} at the endpoint (plsctl then owns the record, and disconnect deletes it).`,
  );
}

/** The A record `label` → `ip`, marked as plsctl's for the endpoint. Returns whether anything was written. */
export async function writeRecord(
  ctx: Context,
  azure: Azure,
  p: DnsPlan,
  label: string,
  ip: string,
): Promise<boolean> {
  const rec = await readARecord(azure, p.zone, label);
  const fqdn = fqdnOf(p.zone.zone, label);
  const upToDate = rec?.ips.length === 1 && rec.ips[0] === ip;
  if (!upToDate) await writeARecord(azure, p.zone, label, ip, recordMetadata(p.endpointId));
  ctx.progress({ kind: "dns-record", fqdn, ip, changed: !upToDate });
  return !upToDate;
}

/** A PaaS endpoint's zone group on the standard zone (created and linked when missing). */
export async function writeZoneGroupFor(
  ctx: Context,
  azure: Azure,
  p: DnsPlan,
  endpoint: { subscriptionId: string; resourceGroup: string; name: string },
): Promise<boolean> {
  const zoneId = zoneIdOf(p.zone);
  const has = (await zoneGroupZones(azure, endpoint)).some((z) => z.toLowerCase() === zoneId.toLowerCase());
  if (!has) await writeZoneGroup(azure, endpoint, zoneId, p.zone.zone);
  ctx.progress({ kind: "zone-group", zone: p.zone.zone, changed: !has });
  return !has;
}
