/**
 * `connect`'s DNS records: in the zone connect-zone.ts settled (the one linked to the endpoint's VNet
 * already, or the partner's own), either plsctl's own A record (`--dns-zone --dns-name`, a PLS target) or, for a PaaS target,
 * a zone group on the standard `privatelink.*` zone (Azure writes and removes its records). Every
 * step reads first and writes only what is missing, so a re-run writes nothing.
 */

import type { Azure } from "../../azure/index.js";
import {
  readARecord,
  writeARecord,
  writeZoneGroup,
  type ZoneAt,
  zoneGroupZones,
  zoneIdOf,
} from "../../azure/private-dns.js";
import type { Context } from "../../context.js";
import { fqdnOf, isOurRecord, recordMetadata } from "../../domain/connect.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";

export interface DnsPlan {
  zone: ZoneAt;
  vnet: { id: string; name: string };
  endpointId: string;
  /** The zone is outside the endpoint's resource group (a hub's). */
  central?: boolean;
}

/**
 * A refusal (403) in a zone outside the endpoint's resource group says whose zone it is and what to
 * do. Before the endpoint exists nothing was made; after it, only the DNS is missing and a re-run
 * finishes it.
 */
async function inZone<T>(p: DnsPlan, endpointExists: boolean, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (!p.central || !(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) throw err;
    const state = endpointExists
      ? "The private endpoint exists; only its DNS record is missing."
      : "Nothing was created.";
    throw new PlsctlError(
      `${err.message} The zone is ${zoneIdOf(p.zone)}, linked to virtual network ${p.vnet.name}. ${state}`,
      {
        exitCode: ExitCode.Auth,
        ...(err.code ? { code: err.code } : {}),
        cause: err,
        hint: `Ask the team that runs the hub's DNS for Private DNS Zone Contributor on ${p.zone.zone}, then re-run this command (it writes only what is missing); or connect without DNS and have them add the record.`,
      },
    );
  }
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
  const rec = await inZone(p, false, () => readARecord(azure, p.zone, label));
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
  const rec = await inZone(p, true, () => readARecord(azure, p.zone, label));
  const fqdn = fqdnOf(p.zone.zone, label);
  const upToDate = rec?.ips.length === 1 && rec.ips[0] === ip;
  if (!upToDate) {
    await inZone(p, true, () => writeARecord(azure, p.zone, label, ip, recordMetadata(p.endpointId)));
  }
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
