/**
 * Approval policy as code: a YAML (or JSON) file, reviewed in git, that names the partners whose
 * connections `plsctl approve --policy` approves.
 *
 * ```yaml
 * partners:
 *   - name: fabrikam
 *     subscriptions: [9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d]
 *     message: "^fabrikam "          # optional: regex on the partner's request message
 *     services: [default/sample-app]  # optional: namespace/name of the Service, or the PLS name
 *     description: "Fabrikam, contract 2026-114"
 * ```
 *
 * The request message exists only while a connection is Pending (approving replaces it with the
 * approval description), so `message` is checked on Pending connections only.
 */
import { auditRule, parseAudit } from "./audit.js";
import type { ConnectionSummary } from "./connections.js";
import { OWNER_TAG, type PlsView } from "./pls.js";
import { dataFactoryOf } from "./requester-kinds.js";

/**
 * Who requests the connection. `partner`: a private endpoint in the partner's own subscription.
 * The others are Microsoft-managed: the endpoint lives in a subscription Microsoft owns, which no
 * document names, so they match on what the connection carries (src/domain/requester-kinds.ts).
 */
export type RequesterKind = "partner" | "frontdoor" | "fabric" | "datafactory";

export interface PolicyEntry {
  name: string;
  /** `partner` when the file says nothing. */
  kind?: RequesterKind;
  /** Lower case. Required for `partner`; optional for the others (the Microsoft-managed subscription seen). */
  subscriptions: string[];
  /** datafactory: the factories whose managed private endpoints it allows. */
  factories?: string[];
  message?: RegExp;
  services?: string[];
  description?: string;
}

export interface Policy {
  file: string;
  partners: PolicyEntry[];
  /** The policy's revision, written into every decision: PLSCTL_POLICY_REVISION, else a hash of the file. */
  revision?: string;
}

const lower = (s: string | null | undefined) => (s ?? "").toLowerCase();

function serviceMatches(services: string[], pls: PlsView): boolean {
  const owner = lower(pls.tags[OWNER_TAG]);
  return services.some((s) => lower(s) === owner || lower(s) === lower(pls.name));
}

/**
 * Whether an entry's `message` holds. While Pending, the request message must match. After a
 * decision the request message is gone (the description is the provider's), so the message can no
 * longer be checked: the connection counts only if plsctl's audit marker says this very entry
 * decided it (under whichever revision). An Approved connection approved by hand, or by another
 * entry, is not allowed by an entry that asks for a message: `--enforce` handles it as drift.
 */
function messageHolds(e: PolicyEntry, c: ConnectionSummary): boolean {
  if (!e.message) return true;
  if (c.status === "Pending") return e.message.test(c.description ?? "");
  return parseAudit(c.description)?.rule === auditRule(e.name);
}

/**
 * The requester: for `partner` its subscription is listed; for a Microsoft-managed kind the
 * subscription, when listed, must match, and a datafactory entry needs the endpoint to be one of
 * its factories' (`<factory>.<managed private endpoint>`, src/domain/requester-kinds.ts).
 */
function requesterMatches(e: PolicyEntry, c: ConnectionSummary): boolean {
  const sub = lower(c.requesterSubscription);
  if ((e.kind ?? "partner") === "partner") return e.subscriptions.includes(sub);
  if (e.subscriptions.length > 0 && !e.subscriptions.includes(sub)) return false;
  if (e.kind === "datafactory") return dataFactoryOf(c, e.factories ?? []);
  return true;
}

/** The first entry that allows this connection of this PLS, or undefined. */
export function allowingEntry(p: Policy, pls: PlsView, c: ConnectionSummary): PolicyEntry | undefined {
  return p.partners.find(
    (e) => requesterMatches(e, c) && (!e.services || serviceMatches(e.services, pls)) && messageHolds(e, c),
  );
}

/** The `-o json` document of `plsctl policy check` (fields are added, never renamed). */
export interface PolicyCheckResult {
  file: string;
  valid: true;
  partners: Array<{
    name: string;
    kind: RequesterKind;
    factories: string[] | null;
    subscriptions: string[];
    message: string | null;
    services: string[] | null;
    description: string | null;
  }>;
}

export const policyCheckResult = (p: Policy): PolicyCheckResult => ({
  file: p.file,
  valid: true,
  partners: p.partners.map((e) => ({
    name: e.name,
    kind: e.kind ?? "partner",
    factories: e.factories ?? null,
    subscriptions: e.subscriptions,
    message: e.message?.source ?? null,
    services: e.services ?? null,
    description: e.description ?? null,
  })),
});
