/**
 * `connect --replace`: the endpoint of that name whose connection the provider disconnected
 * (its Private Link Service deleted or recreated with a new alias) or rejected is deleted, and
 * connect then makes the new one under the same name. Its DNS name stays: the A record plsctl
 * wrote for the old endpoint (in the resource group's zone or a hub's, wherever it is) is found
 * before the delete and rewritten to the new IP; a PaaS target's zone group is put on the new
 * endpoint. Every step reads first: interrupted after the delete, a re-run creates the new
 * endpoint; after the create, a re-run finds it (same target) and writes nothing.
 */
import { deleteEndpoint, type EndpointAt, type EndpointView } from "../azure/endpoints.js";
import type { Azure } from "../azure/index.js";
import type { Context } from "../context.js";
import { zoneIdOfRef } from "../domain/dns-zones.js";
import { ownRecords } from "./endpoint-records.js";

/** The old endpoint as `connect -o json` reports it under `replaced`. */
export interface ReplacedEndpoint {
  id: string;
  target: string;
  state: string;
  privateIp: string | null;
}

/**
 * The DNS record to keep when `--replace` runs without DNS flags: the one plsctl wrote for this
 * endpoint (a hub's first, named by the endpoint's tag; else one in the resource group's zones,
 * found by its metadata — also after an interrupted run deleted the endpoint, as the id stays).
 */
export async function carriedRecord(
  azure: Azure,
  at: EndpointAt,
  endpointId: string,
  existing: EndpointView | undefined,
): Promise<{ zoneId: string; label: string } | undefined> {
  const records = await ownRecords(azure, at, endpointId, existing);
  const pick = records.find((r) => r.central) ?? records[0];
  return pick ? { zoneId: zoneIdOfRef(pick.at), label: pick.name } : undefined;
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
