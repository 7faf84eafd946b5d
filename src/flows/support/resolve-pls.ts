/**
 * The one way a command finds the Private Link Service it works on: from a Kubernetes Service (where
 * the AKS controller put it), or from `--pls <resource id | alias>` without Kubernetes at all. An
 * alias names no subscription: it is looked up in --subscription, else in every subscription the
 * identity has a role in — one paged list per subscription, or, for an identity whose roles are
 * scoped to resource groups (a CI approver), one list per resource group it can read, stopping at
 * the match. An alias Azure resolves for the caller but found nowhere it can read is exit 4 (the
 * partner asking about the provider's PLS); one found nowhere at all is exit 3.
 */

import { isAliasVisible } from "../../azure/endpoints.js";
import { CredentialsRejectedError } from "../../azure/errors.js";
import type { Azure } from "../../azure/index.js";
import { readPaasTarget } from "../../azure/paas-connections.js";
import {
  findPlsByAlias,
  findPlsByAliasInGroup,
  listReadableResourceGroups,
  listSubscriptionIds,
  readPls,
} from "../../azure/pls-lookup.js";
import type { Context } from "../../context.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { type PaasTargetRef, parsePaasTargetId } from "../../domain/paas-target.js";
import type { PlsView } from "../../domain/pls.js";
import { parsePlsRef } from "../../domain/pls-ref.js";
import { type ServiceView, serviceRef } from "../../domain/service.js";
import { getService } from "../../kube/services.js";
import { type ClusterRef, findPlsForService, locatePlsGroup, type PlsLocation } from "./locate.js";

export type PlsTarget = { service: string; cluster?: ClusterRef } | { pls: string };

export interface ResolvedPls {
  pls: PlsView;
  azure: Azure;
  /** How it was named. */
  by: "service" | "id" | "alias";
  /** With `{service}`: the Service and where its PLS lives. */
  service?: ServiceView;
  location?: PlsLocation;
}

const notFound = (message: string, hint: string) =>
  new PlsctlError(message, { exitCode: ExitCode.NotFound, code: "PlsNotFound", hint });

/** The PLS of a Service in the current namespace (as `status` finds it). */
export async function findPlsOfService(
  ctx: Context,
  name: string,
  cluster: ClusterRef = {},
): Promise<ResolvedPls> {
  const kube = await ctx.kube();
  const svc = await getService(kube, kube.namespace, name);
  const { azure, location } = await locatePlsGroup(ctx, kube, svc, cluster);
  const pls = await findPlsForService(azure, location, svc);
  if (!pls) {
    throw notFound(
      `Service ${serviceRef(svc)} has no Private Link Service (looked in resource group ${location.resourceGroup}).`,
      `See why with: plsctl status ${svc.name} -n ${svc.namespace}`,
    );
  }
  return { pls, azure, by: "service", service: svc, location };
}

/** The PLS a `--pls` value names: a resource id (its own subscription) or an alias (in --subscription). */
export async function findPlsByRef(ctx: Context, value: string): Promise<ResolvedPls> {
  const paas = parsePaasTargetId(value);
  if (paas) return findPaasTarget(ctx, paas);
  const ref = parsePlsRef(value);
  const azure = await ctx.azure();
  if (ref.kind === "id") {
    const pls = await readPls(azure, ref);
    if (!pls) {
      throw notFound(
        `Private Link Service ${ref.name} does not exist in resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}.`,
        "Check the id: `plsctl status <service>` on the provider's cluster prints it.",
      );
    }
    return { pls, azure, by: "id" };
  }
  const subs = azure.subscription ? [azure.subscription] : await listSubscriptionIds(azure);
  if (subs.length === 0) {
    throw usageError(
      `An alias does not say which subscription its Private Link Service is in, and this identity has a role in none: ${ref.alias}.`,
      "Pass --subscription <the PLS's subscription> (or set AZURE_SUBSCRIPTION_ID), or give the PLS's resource id.",
    );
  }
  for (const sub of subs) {
    const pls = await findInSubscription(azure, sub, ref.alias);
    if (pls) return { pls, azure, by: "alias" };
  }
  const where =
    subs.length === 1 ? `subscription ${subs[0]}` : `the ${subs.length} subscriptions this identity can use`;
  // Not in any subscription this identity reads. If Azure still resolves the alias for it, the PLS
  // is somewhere it cannot read — typically the provider's subscription, seen by the partner.
  const sub = subs[0] as string;
  if (await isAliasVisible(azure, sub, ref.region, ref.alias).catch(() => false)) {
    throw new PlsctlError(
      `Private Link Service ${ref.alias} exists, but not in ${where}: this identity cannot read it (it is in a subscription where it has no role — another tenant's, if you are the partner).`,
      {
        exitCode: ExitCode.Auth,
        code: "PlsNotReadable",
        hint: "Deciding on its connections is the provider's: run this as an identity with rights on the PLS's resource group (with --subscription <its subscription>, or --tenant <its tenant> from another tenant), or pass the PLS's resource id.",
      },
    );
  }
  throw notFound(
    `No Private Link Service with alias ${ref.alias} in ${where} (searched every one this identity can read).`,
    "Check --subscription (it must be the PLS's subscription) and the alias that `plsctl expose` or `plsctl status` printed.",
  );
}

/**
 * The PLS with this alias in one subscription: one paged list of the subscription's PLSs; if the
 * identity may not list the subscription (its roles are scoped to resource groups), the resource
 * groups it can read, the node resource groups (`MC_…`, where AKS puts PLSs) first, one list each,
 * stopping at the match.
 */
async function findInSubscription(azure: Azure, sub: string, alias: string): Promise<PlsView | undefined> {
  try {
    return await findPlsByAlias(azure, sub, alias);
  } catch (err) {
    // A 403 (not a 401: another tenant's token reads nothing there) means rights below the subscription.
    if (
      !(err instanceof PlsctlError) ||
      err.exitCode !== ExitCode.Auth ||
      err instanceof CredentialsRejectedError
    )
      throw err;
    const groups = await listReadableResourceGroups(azure, sub).catch(() => {
      throw withIdHint(err);
    });
    const ordered = [...groups.filter((g) => /^mc_/i.test(g)), ...groups.filter((g) => !/^mc_/i.test(g))];
    for (const rg of ordered) {
      const pls = await findPlsByAliasInGroup(azure, sub, rg, alias);
      if (pls) return pls;
    }
    return undefined;
  }
}

const withIdHint = (err: PlsctlError) =>
  new PlsctlError(err.message, {
    exitCode: err.exitCode,
    cause: err,
    ...(err.code ? { code: err.code } : {}),
    hint: `${err.hint ? `${err.hint} ` : ""}Or pass the PLS's resource id instead of its alias: reading it needs rights on its resource group only.`,
  });

/**
 * A Key Vault, SQL server or Storage account named by its id: its connections are decided as a
 * PLS's (connections, approve, reject, remove); one GET proves it exists.
 */
async function findPaasTarget(ctx: Context, ref: PaasTargetRef): Promise<ResolvedPls> {
  const azure = await ctx.azure();
  const pls = await readPaasTarget(azure, ref);
  if (!pls) {
    throw notFound(
      `${ref.label} ${ref.name} does not exist in resource group ${ref.resourceGroup} of subscription ${ref.subscriptionId}.`,
      "Check the id (az resource show --ids <id>).",
    );
  }
  return { pls, azure, by: "id" };
}

export function resolvePls(ctx: Context, target: PlsTarget): Promise<ResolvedPls> {
  return "pls" in target
    ? findPlsByRef(ctx, target.pls)
    : findPlsOfService(ctx, target.service, target.cluster);
}
