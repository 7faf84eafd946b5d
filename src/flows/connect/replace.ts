/**
 * `connect --replace`: the endpoint of that name whose connection the provider disconnected
 * (its Private Link Service deleted or recreated with a new alias) or rejected is deleted, and
 * connect then makes the new one under the same name. Its DNS name stays: the A record plsctl
 * wrote for the old endpoint (in the resource group's zone or a hub's, wherever it is) is found
 * before the delete and rewritten to the new IP; a PaaS target's zone group is put on the new
 * endpoint. Every step reads first: interrupted after the delete, a re-run creates the new
 * endpoint; after the create, a re-run finds it (same target) and writes nothing.
 */
import { deleteEndpoint, type EndpointAt, type EndpointView } from "../../azure/endpoints.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import { zoneIdOfRef } from "../../domain/dns-zones.js";
import { PlsctlError } from "../../domain/errors.js";
import { ownRecords } from "../support/endpoint-records.js";

/** The old endpoint as `connect -o json` reports it under `replaced`. */
export interface ReplacedEndpoint {
  id: string;
  target: string;
  state: string;
  privateIp: string | null;
}

/**
 * The DNS flags to use when `--replace` runs without any: the record plsctl wrote for this
 * endpoint (a hub's first, named by the endpoint's tag; else one in the resource group's zones,
 * found by its metadata — also after an interrupted run deleted the endpoint, as the id stays).
 */
export async function carriedRecord(
  azure: Azure,
  flags: {
    dnsZone?: string | undefined;
    dnsName?: string | undefined;
    dnsZoneId?: string | undefined;
    noDns?: boolean | undefined;
  },
  at: EndpointAt,
  endpointId: string,
  existing: EndpointView | undefined,
): Promise<{ dnsZoneId: string; dnsName: string } | undefined> {
  const given = [flags.dnsZone, flags.dnsName, flags.dnsZoneId].some((f) => f !== undefined) || flags.noDns;
  if (given) return undefined;
  const records = await ownRecords(azure, at, endpointId, existing);
  const pick = records.find((r) => r.central) ?? records[0];
  return pick ? { dnsZoneId: zoneIdOfRef(pick.at), dnsName: pick.name } : undefined;
}

/** Deletes the old endpoint (long-running; its NIC and IP go with it). */
export async function deleteReplaced(
  ctx: Context,
  azure: Azure,
  old: EndpointView,
): Promise<ReplacedEndpoint> {
  const at = { subscriptionId: old.subscriptionId, resourceGroup: old.resourceGroup, name: old.name };
  ctx.progress({ kind: "replacing-endpoint", name: old.name, target: old.target, state: old.state });
  await deleteEndpoint(azure, at);
  ctx.progress({ kind: "old-endpoint-deleted", name: old.name, target: old.target });
  return { id: old.id, target: old.target, state: old.state, privateIp: old.privateIp };
}

/**
 * The new endpoint's PUT failed after the old one was deleted: the error says so (instead of
 * "nothing was created") and that the same command, re-run, creates it.
 */
export function notReplaced(err: unknown, name: string): unknown {
  if (!(err instanceof PlsctlError)) return err;
  const why = err.message.replace(/\s*Nothing was created\.?\s*$/, "");
  // Azure's message (or a sandbox fault's) may end without a full stop: one sentence, then the next.
  const sentence = /[.!?…]$/.test(why) ? why : `${why}.`;
  return new PlsctlError(
    `${sentence} The old private endpoint ${name} was deleted (--replace); the new one was not created.`,
    {
      exitCode: err.exitCode,
      ...(err.code ? { code: err.code } : {}),
      cause: err,
      hint: `${err.hint ? `${err.hint} ` : ""}Then re-run the same command (with --replace): it creates the endpoint under the same name and points its DNS record at it.`,
    },
  );
}
