/** Human renderings of `connections` and of approve/reject/remove. */
import type { ConnectionsResult } from "../domain/connections.js";
import type { Colors } from "./colors.js";
import { renderTable } from "./format.js";

/** A connection state, coloured: Approved green, Pending yellow, Rejected/Disconnected red. */
export const stateColor = (s: string, c: Colors) =>
  s === "Approved"
    ? c.green(s)
    : s === "Pending"
      ? c.yellow(s)
      : s === "Rejected" || s === "Disconnected"
        ? c.red(s)
        : s;

export function renderConnections(r: ConnectionsResult, c: Colors): string {
  if (r.connections.length === 0) {
    return `No connections (${r.pls.length} Private Link Service${r.pls.length === 1 ? "" : "s"} read).\n`;
  }
  const many = r.pls.length > 1;
  return renderTable(
    [
      ...(many ? ["pls"] : []),
      "name",
      "state",
      "requester subscription",
      "endpoint",
      "description",
      "rule",
      "revision",
      "actions required",
      "link id",
    ],
    r.connections.map((x) => [
      ...(many ? [x.pls] : []),
      x.name,
      stateColor(x.status, c),
      x.requesterSubscription ?? "-",
      x.privateEndpointName ?? x.privateEndpointId ?? "-",
      x.description ?? "",
      x.rule ?? "",
      x.revision ?? "",
      x.actionsRequired ?? "",
      x.linkIdentifier ?? "-",
    ]),
  );
}
