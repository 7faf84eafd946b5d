/**
 * The audit trail plsctl leaves on every approval and rejection it writes: the connection's
 * `privateLinkServiceConnectionState.description` ends in `[plsctl rule=<rule> rev=<revision>]` —
 * the policy entry (or `enforce`, or `cli` for a decision by flags) and the policy revision (a
 * content hash of the file, or PLSCTL_POLICY_REVISION such as a git SHA). The user's text (or the
 * entry's description) comes first and is shortened, never the marker, so both fit.
 *
 * Length: no Azure document states a limit for a provider's description. The bounds found are for
 * the same field written by the consumer: 140 characters (Fabric's managed private endpoint
 * `requestMessage`, learn.microsoft.com/rest/api/fabric/core/managed-private-endpoints) and 128,
 * the bound hashicorp/terraform-provider-azurerm#25610 observed for some services ("this limit
 * varies depending on the service"). plsctl keeps to the smallest, 128.
 *
 * Parsed back only from a decided connection: while Pending the description is the partner's
 * request message, which a partner could make look like a marker.
 */
export const DESCRIPTION_MAX = 128;

export interface Audit {
  rule: string;
  revision: string | null;
}

const MARK = /\s?\[plsctl rule=([^\s\]]+)(?: rev=([^\s\]]+))?\]$/;
const SAFE = (s: string, max: number) => s.replace(/[^A-Za-z0-9._:/@+-]/g, "_").slice(0, max);
const RULE_MAX = 32;
const REVISION_MAX = 12;

/**
 * What is left for the text: 128 less the longest marker (`[plsctl rule=` 13 + 32 + ` rev=` 5 + 12
 * + `]` 1 = 63) and a space. A longer --description or policy `description` is refused (exit 2).
 */
export const DESCRIPTION_TEXT_MAX = DESCRIPTION_MAX - (13 + RULE_MAX + 5 + REVISION_MAX + 1) - 1;

/** The rule as written in the marker: the entry's name with anything but a safe character as `_`. */
export const auditRule = (rule: string): string => SAFE(rule, RULE_MAX) || "_";

/** The revision as written: its first 12 characters (a short git SHA; a content hash's prefix). */
export const auditRevision = (rev: string): string => SAFE(rev, REVISION_MAX);

export function auditMarker(a: Audit): string {
  const rev = a.revision ? ` rev=${auditRevision(a.revision)}` : "";
  return `[plsctl rule=${auditRule(a.rule)}${rev}]`;
}

/** `text [plsctl rule=… rev=…]`, the text shortened (with …) so that the whole fits in DESCRIPTION_MAX. */
export function withAudit(text: string, a: Audit): string {
  const marker = auditMarker(a);
  const room = DESCRIPTION_MAX - marker.length - 1;
  const t = text.trim().replace(MARK, "");
  const cut = t.length > room ? `${t.slice(0, Math.max(0, room - 1))}…` : t;
  return cut === "" ? marker : `${cut} ${marker}`;
}

/** The audit fields of a description plsctl wrote, or null. */
export function parseAudit(description: string | null | undefined): Audit | null {
  const m = MARK.exec(description ?? "");
  if (!m) return null;
  return { rule: m[1] ?? "", revision: m[2] ?? null };
}
