/**
 * `connect --replace`, as pure rules: what an endpoint of the same name already there means for a
 * run of `connect`. A Private Link Service dies with its load-balancer frontend (a Service deleted
 * or recreated, a cluster replaced: Azure/AKS#4023, kubernetes-sigs/cloud-provider-azure#1825); the
 * controller deletes its connections first, and the partner's endpoint is left `Disconnected` —
 * "the private endpoint becomes informative and should be deleted for clean up"
 * (learn.microsoft.com/azure/private-link/manage-private-endpoint, connection states). A Rejected
 * one cannot be approved again either (MicrosoftDocs/azure-docs#115121). Such an endpoint is only
 * ever replaced: deleted, and made again under the same name to the provider's new alias.
 */
import { usageError } from "./errors.js";

/** Connection states that never carry traffic again: the endpoint can only be replaced. */
export const REPLACEABLE_STATES = ["Disconnected", "Rejected"] as const;

export const isReplaceable = (state: string): boolean =>
  REPLACEABLE_STATES.some((s) => s.toLowerCase() === state.toLowerCase());

/** What the endpoint of that name holds, as connect read it. */
export interface ExistingEndpoint {
  name: string;
  resourceGroup: string;
  target: string;
  subnetId: string;
  state: string;
}

export interface WantedEndpoint {
  /** The target as `--pls` names it now. */
  target: string;
  subnetId: string;
  replace: boolean;
}

/** `create`: nothing there; `reuse`: the same endpoint (a re-run); `replace`: delete it, then create. */
export type ExistingDecision = "create" | "reuse" | "replace";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Why a replaceable connection no longer works, in the partner's words. */
export function replaceableWhy(state: string): string {
  return state.toLowerCase() === "rejected"
    ? "the provider rejected it"
    : "the provider removed or recreated its service";
}

function whatReplaceDeletes(old: ExistingEndpoint): string {
  return `the old endpoint, its target ${old.target || "(none)"} and its ${old.state} connection state`;
}

function refusedReplace(old: ExistingEndpoint): Error {
  const would =
    old.state.toLowerCase() === "approved"
      ? "cut a working connection"
      : old.state.toLowerCase() === "pending"
        ? "abandon a request the provider has not decided yet"
        : "delete an endpoint whose connection is not settled";
  return usageError(
    `--replace refused: private endpoint ${old.name} connects ${old.target || "to nothing"} and its connection is ${old.state}; replacing it would ${would}. Nothing was changed.`,
    `--replace only replaces an endpoint whose connection is ${REPLACEABLE_STATES.join(" or ")}. If you really mean to drop this one, delete it first (plsctl disconnect --name ${old.name} --resource-group ${old.resourceGroup}) and connect again; or pick another --name for a second endpoint.`,
  );
}

/**
 * Decided before any write. Another target (or subnet) is refused (exit 2) unless `--replace`,
 * which takes only an endpoint whose connection is Disconnected or Rejected; the same target is
 * reused (a re-run) unless `--replace` is asked of a Disconnected or Rejected one (a PLS recreated
 * under the same resource id).
 */
export function decideExisting(old: ExistingEndpoint | undefined, want: WantedEndpoint): ExistingDecision {
  if (!old) return "create";
  const sameEndpoint = same(old.target, want.target) && same(old.subnetId, want.subnetId);
  const dead = isReplaceable(old.state);
  if (sameEndpoint) return want.replace && dead ? "replace" : "reuse";
  if (want.replace) {
    if (!dead) throw refusedReplace(old);
    return "replace";
  }
  const where = `Private endpoint ${old.name} already exists in resource group ${old.resourceGroup} and connects ${old.target || "to nothing"}`;
  if (dead) {
    throw usageError(
      `${where}, whose connection is ${old.state} (${replaceableWhy(old.state)}); nothing was changed.`,
      `To replace it with an endpoint to ${want.target} under the same name — --replace deletes ${whatReplaceDeletes(old)}, and keeps the DNS name plsctl wrote, pointed at the new IP — re-run this command with --replace.`,
    );
  }
  throw usageError(
    `${where} (${old.state}) from subnet ${old.subnetId}; nothing was changed.`,
    `Remove this one first (plsctl disconnect --name ${old.name} --resource-group ${old.resourceGroup}), or pick another --name for a second endpoint.`,
  );
}
