/**
 * Which Private Link Services `connections`, `approve`, `reject` and `remove` work on: a Service's
 * (as `expose` finds it), `--pls <id | alias>` (no Kubernetes), `-A/--all-services` (every Service
 * of the cluster, all namespaces, that has a PLS), or `--all` (every PLS of the subscription that
 * the AKS controller made — its `k8s-azure-owner-service` tag — optionally of one cluster, by its
 * `k8s-azure-cluster-name` tag; no Kubernetes). Each comes with its connections: one paged list.
 * `--all --subscriptions a,b|all` finds the fleet with Azure Resource Graph instead (flows/support/fleet.ts):
 * one query, its rows carry the connections.
 */

import { listAksPls, listConnections } from "../../azure/connections.js";
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import type { Target } from "../../domain/decide.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { CLUSTER_TAG, type PlsView } from "../../domain/pls.js";
import { listLoadBalancerServices } from "../../kube/services.js";
import { checkFleet, findFleet } from "./fleet.js";
import { type ClusterRef, findPlsForService, locatePlsGroup } from "./locate.js";
import { resolvePls } from "./resolve-pls.js";

export interface Which extends ClusterRef {
  service?: string | undefined;
  pls?: string | undefined;
  allServices?: boolean | undefined;
  all?: boolean | undefined;
  clusterName?: string | undefined;
  /** With --all: `a,b` or `all` — found with Azure Resource Graph (flows/support/fleet.ts). */
  subscriptions?: string | undefined;
}

export function checkWhich(w: Which): void {
  const given = [w.service !== undefined, w.pls !== undefined, Boolean(w.allServices), Boolean(w.all)];
  const n = given.filter(Boolean).length;
  if (n === 0)
    throw usageError(
      "Say which Private Link Service: a Service name, --pls <resource id | alias>, -A/--all-services or --all.",
    );
  if (n > 1)
    throw usageError(
      "Give only one of: a Service name, --pls, -A/--all-services, --all.",
      "Each names the Private Link Services to work on in its own way.",
    );
  if (w.clusterName !== undefined && !w.all) throw usageError("--cluster-name goes with --all.");
  if (w.subscriptions !== undefined && !w.all) throw usageError("--subscriptions goes with --all.");
  if (w.subscriptions !== undefined) checkFleet(w.subscriptions, w.clusterName);
}

/** `--all` refused at subscription scope: the identity's roles are narrower; Resource Graph is the way. */
function withFleetHint(err: unknown, sub: string): unknown {
  if (!(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) return err;
  return new PlsctlError(err.message, {
    exitCode: err.exitCode,
    code: err.code,
    cause: err,
    hint: `${err.hint ? `${err.hint} ` : ""}An identity with roles on resource groups only: add --subscriptions ${sub} (plsctl then asks Azure Resource Graph, which returns the PLSs this identity can read).`,
  });
}

/** The PLSs named, without their connections yet. */
async function findPls(ctx: Context, w: Which): Promise<{ azure: Azure; pls: PlsView[] }> {
  if (w.all) {
    const azure = await ctx.azure();
    const sub = azure.subscription;
    if (!sub)
      throw usageError("--all needs --subscription (or AZURE_SUBSCRIPTION_ID): the subscription to search.");
    const all = await listAksPls(azure, sub).catch((err: unknown) => {
      throw withFleetHint(err, sub);
    });
    const wanted = w.clusterName?.toLowerCase();
    return {
      azure,
      pls: wanted ? all.filter((p) => p.tags[CLUSTER_TAG]?.toLowerCase() === wanted) : all,
    };
  }
  if (w.allServices) {
    const kube = await ctx.kube();
    const services = await listLoadBalancerServices(kube, kube.namespace);
    const out: PlsView[] = [];
    let azure: Azure | undefined;
    for (const svc of services) {
      const located = await locatePlsGroup(ctx, kube, svc, w);
      azure = located.azure;
      const pls = await findPlsForService(located.azure, located.location, svc);
      if (pls && !out.some((p) => p.id.toLowerCase() === pls.id.toLowerCase())) out.push(pls);
    }
    return { azure: azure ?? (await ctx.azure()), pls: out };
  }
  const r = await resolvePls(
    ctx,
    w.pls !== undefined ? { pls: w.pls } : { service: w.service ?? "", cluster: w },
  );
  return { azure: r.azure, pls: [r.pls] };
}

export async function findTargets(ctx: Context, w: Which): Promise<{ azure: Azure; targets: Target[] }> {
  checkWhich(w);
  if (w.all && w.subscriptions !== undefined) {
    const found = await findFleet(ctx, w.subscriptions, w.clusterName);
    if (found.withConnections)
      return { azure: found.azure, targets: found.pls.map((p) => ({ pls: p, connections: p.connections })) };
    return { azure: found.azure, targets: await withConnections(found.azure, found.pls) };
  }
  const { azure, pls } = await findPls(ctx, w);
  return { azure, targets: await withConnections(azure, pls) };
}

/** One paged list of connections per PLS. */
const withConnections = (azure: Azure, pls: PlsView[]): Promise<Target[]> =>
  Promise.all(pls.map(async (p) => ({ pls: p, connections: await listConnections(azure, p) })));
