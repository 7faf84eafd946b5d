/**
 * `--all --subscriptions a,b|all`: the fleet's AKS-made Private Link Services and their
 * connections from one Azure Resource Graph query (src/azure/resource-graph.ts), over every
 * subscription named (`all`: every one this identity has a role in). When Resource Graph refuses
 * (or cannot answer), plsctl says so on stderr and lists instead: per subscription, and, where a
 * subscription-wide list is not authorised (roles scoped to resource groups), per resource group
 * it can read. Never a silent partial list: a listing that fails fails the run.
 */
import { listAksPls } from "../../azure/connections.js";
import type { Azure } from "../../azure/index.js";
import { listPls } from "../../azure/pls.js";
import { listReadableResourceGroups, listSubscriptionIds } from "../../azure/pls-lookup.js";
import { GraphRefused, queryFleet } from "../../azure/resource-graph.js";
import type { Context } from "../../context.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { CLUSTER_NAME_PATTERN } from "../../domain/fleet-query.js";
import { CLUSTER_TAG, OWNER_TAG, type PlsView } from "../../domain/pls.js";
import { GUID_PATTERN } from "../../domain/policy-schema.js";

/** At most this many subscriptions per query (Resource Graph's guidance: groups under 300). */
const MAX_SUBSCRIPTIONS = 300;

export function checkFleet(subscriptions: string, clusterName: string | undefined): void {
  const ids = subscriptions.split(",").map((s) => s.trim());
  if (subscriptions.trim().toLowerCase() !== "all") {
    const guid = new RegExp(GUID_PATTERN);
    const bad = ids.filter((s) => !guid.test(s));
    if (bad.length > 0 || ids.length === 0)
      throw usageError(
        `--subscriptions ${subscriptions}: ${bad.join(", ") || "empty"} is not a subscription id (a GUID).`,
        "Give subscription ids separated by commas, or `all` for every subscription this identity reads.",
      );
  }
  if (clusterName !== undefined && !CLUSTER_NAME_PATTERN.test(clusterName))
    throw usageError(
      `--cluster-name ${clusterName} is not a cluster name (letters, digits, '.', '_', '-').`,
      "AKS writes `kubernetes` unless the cluster's name was configured.",
    );
}

async function subscriptionsOf(azure: Azure, given: string): Promise<string[]> {
  if (given.trim().toLowerCase() !== "all")
    return [...new Set(given.split(",").map((s) => s.trim().toLowerCase()))];
  const all = await listSubscriptionIds(azure);
  if (all.length === 0)
    throw new PlsctlError("--subscriptions all: this identity has a role in no subscription.", {
      exitCode: ExitCode.NotFound,
      code: "NoSubscription",
      hint: "Assign the identity a role (Reader on the node resource groups is enough to list), or name the subscriptions.",
    });
  return all.map((s) => s.toLowerCase());
}

/** Listing, one subscription: its PLSs, or per readable resource group where that is refused. */
async function listSubscription(ctx: Context, azure: Azure, sub: string): Promise<PlsView[]> {
  try {
    return await listAksPls(azure, sub);
  } catch (err) {
    if (!(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) throw err;
    ctx.report.warn(
      `Listing the Private Link Services of subscription ${sub} is not authorised; listing each resource group this identity can read instead.`,
    );
    const out: PlsView[] = [];
    for (const rg of await listReadableResourceGroups(azure, sub))
      out.push(...(await listPls(azure, sub, rg)).filter((p) => p.tags[OWNER_TAG] !== undefined));
    return out;
  }
}

export interface Fleet {
  azure: Azure;
  pls: PlsView[];
  /** True when the PLSs came from Resource Graph with their connections (no list per PLS needed). */
  withConnections: boolean;
}

export async function findFleet(
  ctx: Context,
  given: string,
  clusterName: string | undefined,
): Promise<Fleet> {
  const azure = await ctx.azure();
  const subs = await subscriptionsOf(azure, given);
  try {
    const pls: PlsView[] = [];
    for (let i = 0; i < subs.length; i += MAX_SUBSCRIPTIONS)
      pls.push(
        ...(await queryFleet(azure, {
          subscriptions: subs.slice(i, i + MAX_SUBSCRIPTIONS),
          clusterName,
          sleep: (ms) => ctx.clock.sleep(ms, ctx.signal),
          onQuotaWait: (ms) =>
            ctx.report.warn(
              `Azure Resource Graph quota used up (x-ms-user-quota-remaining: 0); waiting ${Math.ceil(ms / 1000)}s for it to reset before the next page.`,
            ),
        })),
      );
    return { azure, pls, withConnections: true };
  } catch (err) {
    if (!(err instanceof GraphRefused)) throw err;
    ctx.report.warn(
      `Azure Resource Graph refused the query (${err.reason}); listing the Private Link Services of ${subs.length} subscription${subs.length === 1 ? "" : "s"} instead (one request per subscription and per PLS).`,
    );
  }
  const pls: PlsView[] = [];
  for (const sub of subs) pls.push(...(await listSubscription(ctx, azure, sub)));
  const wanted = clusterName?.toLowerCase();
  return {
    azure,
    pls: wanted ? pls.filter((p) => p.tags[CLUSTER_TAG]?.toLowerCase() === wanted) : pls,
    withConnections: false,
  };
}
