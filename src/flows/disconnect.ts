/**
 * `plsctl disconnect`: deletes the partner's private endpoint (long-running; its NIC, its
 * connection on the provider's side and its zone groups' records go with it, reported among the
 * deleted records) and the A records plsctl wrote for it — those in the private zones of the
 * endpoint's resource group whose metadata names this endpoint, and the one in a hub's zone that
 * the endpoint's `plsctlDnsRecord` tag names (when its metadata names this endpoint too). Records are deleted first, so an interrupted run leaves the endpoint for the
 * re-run to find. A second run finds nothing and writes nothing. Zones and VNet links stay: other
 * endpoints may use them.
 */
import { deleteEndpoint, readEndpoint } from "../azure/endpoints.js";
import { deleteARecord, zoneGroupRecords } from "../azure/private-dns.js";
import type { Context } from "../context.js";
import { requireEndpointName } from "../domain/connect.js";
import { usageError } from "../domain/errors.js";
import { requireResourceGroup } from "../domain/names.js";
import { privateEndpointId } from "../domain/resource-id.js";
import type { DisconnectResult } from "../domain/results.js";
import { ownRecords } from "./support/endpoint-records.js";

export interface DisconnectOptions {
  name: string;
  resourceGroup: string;
}

export async function runDisconnect(ctx: Context, o: DisconnectOptions): Promise<DisconnectResult> {
  requireEndpointName(o.name);
  requireResourceGroup(o.resourceGroup, "--resource-group");
  const sub = ctx.globals.subscription ?? ctx.env.subscriptionId;
  if (!sub) {
    throw usageError(
      "No subscription for the private endpoint.",
      "Pass --subscription <your subscription id> (or set AZURE_SUBSCRIPTION_ID).",
    );
  }
  const azure = await ctx.azure();
  const at = { subscriptionId: sub, resourceGroup: o.resourceGroup, name: o.name };
  const id = privateEndpointId(at);
  const existing = await readEndpoint(azure, at);
  const ours = await ownRecords(azure, at, id, existing);
  for (const r of ours) {
    ctx.progress({ kind: "deleting-record", fqdn: r.fqdn });
    await deleteARecord(azure, r.at, r.name);
  }
  let endpointDeleted = false;
  // A zone group's records (a PaaS endpoint's `<name>.privatelink.…`) go with the endpoint.
  let groupRecords: string[] = [];
  if (existing) {
    groupRecords = await zoneGroupRecords(azure, at);
    ctx.progress({ kind: "deleting-endpoint", name: o.name });
    endpointDeleted = await deleteEndpoint(azure, at);
  }
  return {
    endpoint: { id: existing?.id ?? id, name: o.name, resourceGroup: o.resourceGroup, subscriptionId: sub },
    endpointDeleted,
    deletedRecords: [...ours.map((r) => r.fqdn), ...(endpointDeleted ? groupRecords : [])],
    changed: endpointDeleted || ours.length > 0,
  };
}
