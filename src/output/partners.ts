/** Human renderings of the partner inventory: who is missing after a new PLS, what to send them. */
import type { PartnerRecord } from "../domain/inventory.js";
import type { AliasChange } from "../domain/results.js";
import { renderTable } from "./format.js";

/** The table of recorded partners who have no live connection now (status). */
export function renderMissingPartners(missing: PartnerRecord[]): string {
  if (!missing.length) return "";
  return (
    `\nRecorded partners with no connection now (${missing.length}):\n` +
    renderTable(
      ["requester subscription", "endpoint", "was connected to", "last seen"],
      missing.map((p) => [
        p.requesterSubscription ?? "-",
        p.privateEndpointName ?? p.privateEndpointId ?? p.connection,
        p.alias ?? p.plsId,
        p.lastSeen,
      ]),
    )
  );
}

/** The lines `expose` prints first (stderr) when the Service's recorded PLS was another. */
export function aliasChangeLines(a: AliasChange, newAlias: string | null): string[] {
  const lines = [
    `The alias changed: this Service was exposed as ${a.previousAlias ?? a.previousId}; it is now ${newAlias ?? "(the new PLS is not ready yet)"}.`,
  ];
  for (const p of a.missingPartners)
    lines.push(
      `  Partner ${p.requesterSubscription ?? "(unknown subscription)"} (endpoint ${p.privateEndpointName ?? p.connection}) was connected and is not now.`,
    );
  if (a.missingPartners.length && a.restored === null)
    lines.push(
      "  Re-run with --restore-partners to let them back in at once (visibility and auto-approval), and send each the line it prints.",
    );
  return lines;
}

/** The messages to send (stdout, human output). */
export function renderPartnerMessages(a: AliasChange | undefined): string {
  if (!a?.messages.length) return "";
  return `\nSend each partner its line (their next endpoint is approved at once):\n${a.messages
    .map((m) => `  ${m.subscription ?? "(unknown subscription)"}: ${m.message}\n`)
    .join("")}`;
}
