/**
 * `plsctl migrate`: blue/green of a Service's Private Link exposure to another cluster. Pure parts:
 * the expose flags that carry the source Service's Private Link settings, the merge of the two
 * clusters' partner inventories, and the cut-over per partner.
 */
import { ANN, type Annotations, splitList } from "./annotations.js";
import type { ConnectionSummary } from "./connections.js";
import type { ExposeFlags } from "./expose.js";
import type { Inventory, PartnerRecord } from "./inventory.js";
import type { AliasChange } from "./results.js";

/**
 * The source Service's `azure-pls-*` settings as expose flags. Left out: static NAT IPs (addresses
 * of the source cluster's subnet: the target picks its own, `--nat-ip-count` kept) and, when the PLS
 * has its own resource group shared by both clusters, its name (two PLSs cannot share a name there).
 */
export function flagsFromAnnotations(a: Annotations): ExposeFlags {
  const list = (key: string) => (a[key] !== undefined ? splitList(a[key]) : undefined);
  const nonEmpty = (v: string[] | undefined) => (v?.length ? v : undefined);
  const proxy = a[ANN.plsProxyProtocol]?.trim().toLowerCase();
  const rg = a[ANN.plsResourceGroup]?.trim() || undefined;
  const count =
    a[ANN.plsNatIpCount]?.trim() ||
    (a[ANN.plsNatIps] ? String(splitList(a[ANN.plsNatIps]).length) : undefined);
  return {
    plsName: rg ? undefined : a[ANN.plsName]?.trim() || undefined,
    plsResourceGroup: rg,
    natSubnet: a[ANN.plsNatSubnet]?.trim() || undefined,
    natIpCount: count,
    fqdn: nonEmpty(list(ANN.plsFqdns)),
    proxyProtocol: proxy === "true" ? true : proxy === "false" ? false : undefined,
    visibility: nonEmpty(list(ANN.plsVisibility)),
    autoApprove: nonEmpty(list(ANN.plsAutoApproval)),
  };
}

const low = (s: string | null | undefined) => (s ?? "").toLowerCase();

/** `into` with what `from` knows and it does not: exposures and partners, each once (newer wins). */
export function mergeInventories(into: Inventory, from: Inventory): Inventory {
  const exposures = [
    ...from.exposures.filter((e) => !into.exposures.some((x) => low(x.plsId) === low(e.plsId))),
    ...into.exposures,
  ];
  const k = (p: PartnerRecord) => `${low(p.plsId)}|${low(p.connection)}`;
  const byKey = new Map(into.partners.map((p) => [k(p), p]));
  for (const p of from.partners) {
    const have = byKey.get(k(p));
    if (!have || have.lastSeen < p.lastSeen) byKey.set(k(p), p);
  }
  return { ...into, exposures, partners: [...byKey.values()] };
}

/** Where a partner is connected during a migration. */
export type CutOverState = "old" | "both" | "new" | "none";

export interface CutOver {
  subscription: string;
  endpoints: string[];
  on: CutOverState;
}

/**
 * Per partner subscription: recorded Approved on the old PLS, or Approved on either now — is it
 * connected (Approved) to the old PLS, the new, both, or neither?
 */
export function cutOver(
  inv: Inventory | undefined,
  oldPlsId: string | undefined,
  oldConns: ConnectionSummary[],
  newConns: ConnectionSummary[],
): CutOver[] {
  const approved = (cs: ConnectionSummary[]) => cs.filter((c) => c.status === "Approved");
  const subsOf = (cs: ConnectionSummary[]) => new Set(approved(cs).map((c) => low(c.requesterSubscription)));
  const [onOld, onNew] = [subsOf(oldConns), subsOf(newConns)];
  const recorded = (inv?.partners ?? []).filter(
    (p) => p.state === "Approved" && oldPlsId !== undefined && low(p.plsId) === low(oldPlsId),
  );
  const endpoints = new Map<string, Set<string>>();
  const note = (sub: string | null, ep: string | null) => {
    if (!sub) return;
    const set = endpoints.get(low(sub)) ?? new Set<string>();
    if (ep) set.add(ep);
    endpoints.set(low(sub), set);
  };
  for (const p of recorded) note(p.requesterSubscription, p.privateEndpointName);
  for (const c of [...approved(oldConns), ...approved(newConns)])
    note(c.requesterSubscription, c.privateEndpointName);
  return [...endpoints.entries()].map(([subscription, eps]) => {
    const [o, n] = [onOld.has(subscription), onNew.has(subscription)];
    return { subscription, endpoints: [...eps].sort(), on: o && n ? "both" : o ? "old" : n ? "new" : "none" };
  });
}

/** The `-o json` document of `plsctl migrate` (fields are added, never renamed). */
export interface MigrateResult {
  service: { namespace: string; name: string };
  from: { context: string; plsId: string | null; alias: string | null };
  to: { context: string; plsId: string | null; alias: string | null };
  /** Per partner subscription: connected (Approved) to the old PLS, the new, both, or neither. */
  partners: CutOver[];
  /** Subscriptions put on the new PLS's visibility and auto-approval. */
  restored: string[];
  /** The line to send each partner still to move. */
  messages: AliasChange["messages"];
  /** `--finish`: the old exposure is gone. */
  finished: boolean;
}
