/** What `plsctl sandbox requests` shows: one row per identity and operation, then the totals. */
import type { RequestsResult } from "../domain/results.js";
import type { Colors } from "./colors.js";
import { renderTable } from "./format.js";

export function renderRequests(r: RequestsResult, c: Colors): string {
  const lines: string[] = [];
  if (r.requests.length === 0)
    lines.push(`No requests counted by the sandbox's Azure Resource Manager (${r.arm}).`);
  else {
    lines.push(
      renderTable(
        ["identity", "kind", "operation", "request", "count"],
        r.requests.map((x) => [
          x.identity,
          x.kind === "write" ? c.yellow(x.kind) : x.kind,
          x.operation,
          `${x.method} ${x.route}`,
          String(x.count),
        ]),
      ).trimEnd(),
    );
  }
  lines.push("", `Reads: ${r.reads}   Writes: ${r.writes}   Total: ${r.total}`);
  if (r.unauthenticated > 0) lines.push(`Unauthenticated: ${r.unauthenticated}`);
  lines.push(`Unrouted: ${r.unrouted}`);
  for (const u of r.unroutedRequests) lines.push(`  ${c.red(u)}`);
  if (r.reset) lines.push("", "The counters were reset.");
  return `${lines.join("\n")}\n`;
}
