/** Human rendering of approve/reject/remove: one row per connection, then the counts. */
import type { DecideResult, Summary } from "../domain/decide.js";
import type { Colors } from "./colors.js";
import { stateColor } from "./connections.js";
import { renderTable } from "./format.js";

const ACTIONS = { approve: "approve", reject: "reject", remove: "remove", none: "-" } as const;

/** `2 approved, 1 skipped`: the outcomes that happened, with their counts; empty when none did. */
export const countsOf = (s: Summary): string =>
  Object.entries(s)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");

export function renderDecisions(r: DecideResult, c: Colors): string {
  const counts = countsOf(r.summary);
  const gone = r.absent?.length
    ? `No connection named ${r.absent.join(", ")} (already removed, or never there); nothing to do for ${r.absent.length === 1 ? "it" : "them"}.\n`
    : "";
  if (r.results.length === 0) return gone || "No connection matched the selection; nothing to do.\n";
  const outcome = (o: string) =>
    o === "failed" || o === "refused" ? c.red(o) : o === "skipped" ? c.dim(o) : c.green(o);
  const table = r.dryRun
    ? renderTable(
        ["pls", "connection", "requester", "state", "rule", "action", "reason"],
        r.results.map((d) => [
          d.pls,
          d.name,
          d.requester ?? "-",
          stateColor(d.from, c),
          d.rule ?? "-",
          ACTIONS[d.action],
          d.reason,
        ]),
      )
    : renderTable(
        ["pls", "connection", "requester", "from", "to", "outcome", "reason"],
        r.results.map((d) => [
          d.pls,
          d.name,
          d.requester ?? "-",
          stateColor(d.from, c),
          d.to ?? "-",
          outcome(d.outcome),
          d.reason,
        ]),
      );
  return `${table}\n${r.dryRun ? "Dry run, nothing written. Would be: " : ""}${counts}.\n${gone}`;
}
