/**
 * What `approve`, `reject` and `remove` do to each connection: which connections the selection
 * takes (every selector given must hold: names AND --all-pending AND --from-subscription AND
 * --message-match AND --policy), and the rules per state. Pure: the flow lists, this decides, the
 * flow writes.
 *
 * Rules (learn.microsoft.com, "Manage a Private Endpoint connection"): approve acts on Pending
 * only — an Approved connection is never PUT again (the resource provider's PUT is not idempotent,
 * Azure/azure-rest-api-specs#30308), a Rejected one cannot be approved (the partner deletes and
 * recreates the endpoint), a Disconnected one is left; reject acts on Pending and Approved;
 * remove deletes whatever is there.
 */
import { withAudit } from "./audit.js";
import { type ConnectionSummary, summarizeConnection } from "./connections.js";
import type { ExitCodeValue } from "./errors.js";
import type { ConnectionView, PlsView } from "./pls.js";
import { allowingEntry, type Policy } from "./policy.js";

export type Verb = "approve" | "reject" | "remove";
export type Outcome = "approved" | "rejected" | "removed" | "skipped" | "refused" | "failed";
export type Action = "approve" | "reject" | "remove" | "none";

export interface Selection {
  /** Connection names (or their private endpoint's name), any casing. */
  names: string[];
  allPending: boolean;
  /** Lower case. */
  fromSubscriptions: string[];
  messageMatch?: RegExp | undefined;
  policy?: Policy | undefined;
  /** approve --policy --enforce: reject what no entry allows (Pending, and Approved: drift). */
  enforce?: boolean;
  /** With --enforce: remove drifted Approved connections instead of rejecting them. */
  prune?: boolean;
}

export const hasSelector = (s: Selection): boolean =>
  s.names.length > 0 ||
  s.allPending ||
  s.fromSubscriptions.length > 0 ||
  s.messageMatch !== undefined ||
  s.policy !== undefined;

/** One connection's plan: what will be (or was, after the writes) done and why. */
export interface Decision {
  pls: string;
  plsId: string;
  name: string;
  requester: string | null;
  privateEndpointId: string | null;
  from: string;
  /** The state after the action; null for a removal or when nothing is written. */
  to: string | null;
  action: Action;
  /** What happened; in a dry run, what would happen. */
  outcome: Outcome;
  reason: string;
  /** The policy entry (partner name) that allowed it, or null. */
  rule: string | null;
  /** The description written with the decision (approve/reject). */
  description: string | null;
}

export interface Target {
  pls: PlsView;
  connections: ConnectionView[];
}

const lower = (s: string | null | undefined) => (s ?? "").toLowerCase();

function nameMatches(names: string[], c: ConnectionSummary): boolean {
  return names.some((n) => lower(n) === lower(c.name) || lower(n) === lower(c.privateEndpointName));
}

/** The names given that no connection of any target carries (a typo must not pass silently). */
export function unknownNames(names: string[], targets: Target[]): string[] {
  const all = targets.flatMap((t) => t.connections.map(summarizeConnection));
  return names.filter((n) => !all.some((c) => nameMatches([n], c)));
}

/**
 * Every selector but the policy holds. The description is the partner's request message only
 * while Pending (after a decision it is the provider's), so --message-match takes Pending
 * connections only. Approve never takes a Rejected connection by a selector: it can never be
 * approved, and a scheduled run must not fail on the rejection an earlier run wrote; named
 * explicitly, it is refused (exit 1).
 */
function baseSelected(verb: Verb, s: Selection, c: ConnectionSummary): boolean {
  const named = s.names.length > 0;
  if (named && !nameMatches(s.names, c)) return false;
  if (s.allPending && c.status !== "Pending") return false;
  if (s.fromSubscriptions.length > 0 && !s.fromSubscriptions.includes(lower(c.requesterSubscription)))
    return false;
  if (s.messageMatch && (c.status !== "Pending" || !s.messageMatch.test(c.description ?? ""))) return false;
  if (verb === "approve" && !named && c.status === "Rejected") return false;
  return true;
}

const PUT_NOT_IDEMPOTENT =
  "not written again: the resource provider's PUT is not idempotent (Azure/azure-rest-api-specs#30308)";

function rule(verb: Verb, status: string): { action: Action; outcome: Outcome; reason: string } {
  const skip = (reason: string) => ({ action: "none" as const, outcome: "skipped" as const, reason });
  if (verb === "remove") return { action: "remove", outcome: "removed", reason: "selected" };
  if (verb === "reject") {
    if (status === "Pending" || status === "Approved")
      return { action: "reject", outcome: "rejected", reason: "selected" };
    return skip(status === "Rejected" ? "already Rejected" : `${status}: nothing to reject`);
  }
  if (status === "Pending") return { action: "approve", outcome: "approved", reason: "selected" };
  if (status === "Approved") return skip(`already Approved; ${PUT_NOT_IDEMPOTENT}`);
  if (status === "Rejected")
    return {
      action: "none",
      outcome: "refused",
      reason:
        "a Rejected connection cannot be approved (Azure refuses it); the partner must delete their private endpoint and create a new one, then approve the new connection",
    };
  return skip(`${status}: the partner's endpoint is gone or removed; nothing to approve`);
}

/**
 * The plan for one PLS's connections. `description` overrides the policy entry's description;
 * connections the selection does not take are left out.
 */
export function plan(verb: Verb, s: Selection, t: Target, description: string | undefined): Decision[] {
  const out: Decision[] = [];
  for (const view of t.connections) {
    const c = summarizeConnection(view);
    if (!baseSelected(verb, s, c)) continue;
    const entry = s.policy ? allowingEntry(s.policy, t.pls, c) : undefined;
    let r = rule(verb, c.status);
    let ruleName: string | null = entry?.name ?? null;
    if (s.policy && !entry) {
      if (!(verb === "approve" && s.enforce)) continue;
      // --enforce: what no entry allows is rejected (Pending), or rejected/removed (Approved: drift).
      if (c.status === "Pending")
        r = { action: "reject", outcome: "rejected", reason: "no policy entry allows it (--enforce)" };
      else if (c.status === "Approved")
        r = s.prune
          ? {
              action: "remove",
              outcome: "removed",
              reason: "drift: no policy entry allows it any more (--prune)",
            }
          : {
              action: "reject",
              outcome: "rejected",
              reason: "drift: no policy entry allows it any more (--enforce)",
            };
      else continue;
      ruleName = null;
    } else if (entry && r.reason === "selected") {
      r = { ...r, reason: `allowed by policy entry ${entry.name}` };
    }
    const to = r.action === "approve" ? "Approved" : r.action === "reject" ? "Rejected" : null;
    const desc =
      r.action === "approve" || r.action === "reject"
        ? auditedDescription(s, description, r.action === "approve" ? entry?.description : undefined, {
            to: to ?? "",
            rule: ruleName ?? (s.policy ? "enforce" : "cli"),
          })
        : null;
    out.push({
      pls: t.pls.name,
      plsId: t.pls.id,
      name: c.name,
      requester: c.requesterSubscription,
      privateEndpointId: c.privateEndpointId,
      from: c.status,
      to,
      action: r.action,
      outcome: r.outcome,
      reason: r.reason,
      rule: ruleName,
      description: desc,
    });
  }
  return out;
}

/**
 * What is written with a decision: the user's --description, else the entry's description, else
 * `Approved by plsctl`, then the audit marker (src/domain/audit.ts): the rule and the policy revision.
 */
function auditedDescription(
  s: Selection,
  given: string | undefined,
  fromEntry: string | undefined,
  d: { to: string; rule: string },
): string {
  const text = given ?? fromEntry ?? `${d.to} by plsctl`;
  return withAudit(text, { rule: d.rule, revision: s.policy?.revision ?? null });
}

export type Summary = Record<Outcome, number>;

export function summarize(decisions: Decision[]): Summary {
  const s: Summary = { approved: 0, rejected: 0, removed: 0, skipped: 0, refused: 0, failed: 0 };
  for (const d of decisions) s[d.outcome] += 1;
  return s;
}

/** The `-o json` document of approve/reject/remove (fields are added, never renamed). */
export interface DecideResult {
  verb: Verb;
  dryRun: boolean;
  /** remove: the names given that no connection carries (already removed: a re-run); absent when none. */
  absent?: string[];
  results: Decision[];
  summary: Summary;
  /** 0 when nothing failed; 1 when a connection failed or was refused (or none matched with --fail-if-none); 4 when a write was not authorised. */
  exitCode: ExitCodeValue;
}
