/** `plsctl migrate`: the two exposures and where each partner is connected. */
import type { MigrateResult } from "../domain/migrate.js";
import type { Colors } from "./colors.js";
import { renderTable } from "./format.js";

const WHERE = { old: "old only", both: "both", new: "new only", none: "neither" } as const;

export function renderMigrate(r: MigrateResult, _c: Colors): string {
  const ref = `${r.service.namespace}/${r.service.name}`;
  let out = `${ref}: ${r.from.context} (${r.from.alias ?? "no PLS"}) → ${r.to.context} (${r.to.alias ?? "no PLS"})\n`;
  out += `\nPartners (${r.partners.length}):\n`;
  out += r.partners.length
    ? renderTable(
        ["requester subscription", "endpoints", "connected to"],
        r.partners.map((p) => [p.subscription, p.endpoints.join(", ") || "-", WHERE[p.on]]),
      )
    : "  none recorded\n";
  if (r.messages.length)
    out += `\nSend each partner its line (their next endpoint is approved at once):\n${r.messages
      .map((m) => `  ${m.subscription ?? "(unknown subscription)"}: ${m.message}\n`)
      .join("")}`;
  out += r.finished
    ? `\nFinished: the old exposure on ${r.from.context} is removed.\n`
    : `\nWhen every partner is on the new one: plsctl migrate ${r.service.name} -n ${r.service.namespace} --to-context ${r.to.context} --finish\n`;
  return out;
}
