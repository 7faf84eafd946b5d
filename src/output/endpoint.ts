/** Human renderings of the partner's private endpoint (connect, disconnect). */
import type { ConnectResult, DisconnectResult } from "../domain/results.js";
import type { Colors } from "./colors.js";
import { stateColor } from "./connections.js";
import { renderFields } from "./format.js";

export function renderConnect(r: ConnectResult, c: Colors): string {
  let out = renderFields([
    ["Private endpoint", c.bold(r.endpoint.name)],
    ["Resource id", r.endpoint.id],
    ["Target", `${r.target}${r.groupId ? ` (${r.groupId})` : ""}`],
    ["Connection", `${r.manual ? "manual" : "automatic"}, ${stateColor(r.state, c)}`],
    ["Description", r.description ?? undefined],
    ["Private IP", r.privateIp ?? c.dim("(none yet)")],
    ["DNS name", r.fqdn ?? undefined],
    ["DNS zone", r.dns ? `${r.dns.zone}${r.dns.zoneGroup ? " (zone group)" : ""}` : undefined],
  ]);
  if (r.replaced) {
    out += `\nReplaced: the old private endpoint ${r.endpoint.name} (to ${r.replaced.target}, ${r.replaced.state}${r.replaced.privateIp ? `, IP ${r.replaced.privateIp}` : ""}) was deleted and this one created under the same name${r.fqdn && r.privateIp ? `; ${r.fqdn} now points at ${r.privateIp}` : ""}.\n`;
  }
  if (r.targetKind === "paas" && r.state === "Pending") {
    const name = r.target.split("/").pop() ?? r.target;
    out += `\nThe connection waits for the owner of ${name} to approve it. Send them this line (they run it as the resource's owner):\n  ${r.approveCommand ?? `plsctl approve --pls ${r.target} ${r.endpoint.name}`}\n(or in the Azure portal: ${name} → Networking → Private endpoint connections; or az network private-endpoint-connection approve --id <connection id>, listed by az network private-endpoint-connection list --id ${r.target}).\n`;
  } else if (r.approveCommand) {
    out += `\nThe connection waits for the provider. Send them this line (they run it as the PLS's owner):\n  ${r.approveCommand}\n`;
  }
  return out;
}

export function renderDisconnect(r: DisconnectResult, _c: Colors): string {
  if (!r.changed) {
    return `Private endpoint ${r.endpoint.name} does not exist in resource group ${r.endpoint.resourceGroup}; nothing to do.\n`;
  }
  const lines = [
    r.endpointDeleted ? `Deleted private endpoint ${r.endpoint.name} (and its network interface).` : "",
    ...r.deletedRecords.map((f) => `Deleted DNS record ${f}.`),
  ].filter(Boolean);
  return `${lines.join("\n")}\n`;
}
