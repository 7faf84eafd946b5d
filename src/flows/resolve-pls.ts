/**
 * The one way a command finds the Private Link Service it works on: from a Kubernetes Service (where
 * the AKS controller put it), or from `--pls <resource id | alias>` without Kubernetes at all. An
 * alias names no subscription: it is looked up among the PLSs of --subscription (one paged list).
 */
import type { Azure } from "../azure/index.js";
import { findPlsByAlias, readPls } from "../azure/pls-lookup.js";
import type { Context } from "../context.js";
import { ExitCode, PlsctlError, usageError } from "../domain/errors.js";
import type { PlsView } from "../domain/pls.js";
import { parsePlsRef } from "../domain/pls-ref.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import { getService } from "../kube/services.js";
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
  const sub = azure.subscription;
  if (!sub) {
    throw usageError(
      `An alias does not say which subscription its Private Link Service is in: ${ref.alias}.`,
      "Pass --subscription <the PLS's subscription> (or set AZURE_SUBSCRIPTION_ID), or give the PLS's resource id.",
    );
  }
  const pls = await findPlsByAlias(azure, sub, ref.alias).catch((err: unknown) => {
    // Rights on a resource group only (a CI identity) cannot list a subscription: the id still works.
    if (!(err instanceof PlsctlError) || err.exitCode !== ExitCode.Auth) throw err;
    throw new PlsctlError(err.message, {
      exitCode: err.exitCode,
      cause: err,
      ...(err.code ? { code: err.code } : {}),
      hint: `${err.hint ? `${err.hint} ` : ""}Or pass the PLS's resource id instead of its alias: reading it needs rights on its resource group only.`,
    });
  });
  if (!pls) {
    throw notFound(
      `No Private Link Service with alias ${ref.alias} in subscription ${sub} (searched every one this identity can read).`,
      "Check --subscription (it must be the PLS's subscription) and the alias that `plsctl expose` or `plsctl status` printed.",
    );
  }
  return { pls, azure, by: "alias" };
}

export function resolvePls(ctx: Context, target: PlsTarget): Promise<ResolvedPls> {
  return "pls" in target
    ? findPlsByRef(ctx, target.pls)
    : findPlsOfService(ctx, target.service, target.cluster);
}
