/**
 * Where the controller puts (or put) a Service's PLS: subscription and resource group from the
 * azure-pls-resource-group annotation, else the node resource group — read from the nodes'
 * providerID, or from the managed cluster (`--cluster`) — and the PLS itself, found as the controller
 * finds it: by the Service's own load balancer frontend, never by tag or name.
 */
import type { Azure } from "../../azure/index.js";
import {
  type ClusterInfo,
  findClusterByNodeResourceGroup,
  getCluster,
  listPls,
  loadBalancerFrontends,
} from "../../azure/pls.js";
import type { Context } from "../../context.js";
import { ANN, isInternal } from "../../domain/annotations.js";
import { ExitCode, PlsctlError, usageError } from "../../domain/errors.js";
import { lookalikePls, type PlsView, plsOnFrontend } from "../../domain/pls.js";
import { defaultPlsName, frontendName, parseProviderId } from "../../domain/resource-id.js";
import { type ServiceView, serviceRef } from "../../domain/service.js";
import type { Kube } from "../../kube/index.js";
import { nodeProviderIds } from "../../kube/services.js";

export interface ClusterRef {
  cluster?: string | undefined;
  clusterResourceGroup?: string | undefined;
}

export interface PlsLocation {
  subscriptionId: string;
  /** Where the PLS is (or will be). */
  resourceGroup: string;
  /** Where AKS puts the load balancers (the cluster's node resource group). */
  nodeResourceGroup: string;
  /** How it was found, for --verbose. */
  source: string;
  /** The managed cluster, when it was read (--cluster, or looked up). */
  cluster?: ClusterInfo;
}

export async function locatePlsGroup(
  ctx: Context,
  kube: Kube,
  svc: ServiceView,
  ref: ClusterRef,
  plsResourceGroup?: string,
  /** The nodes' providerIDs, when the caller already asked for them (status, in parallel). */
  providerIds?: Promise<string[]>,
): Promise<{ azure: Azure; location: PlsLocation }> {
  const azure = await ctx.azure();
  const explicitRg = plsResourceGroup ?? svc.annotations[ANN.plsResourceGroup]?.trim();
  if (ref.cluster) {
    if (!ref.clusterResourceGroup) {
      throw usageError("--cluster needs --cluster-resource-group (the resource group of the AKS cluster).");
    }
    const sub = azure.subscription;
    if (!sub) throw usageError("--cluster needs --subscription (or AZURE_SUBSCRIPTION_ID).");
    const cluster = await getCluster(azure, sub, ref.clusterResourceGroup, ref.cluster);
    return {
      azure,
      location: {
        subscriptionId: sub,
        resourceGroup: explicitRg || cluster.nodeResourceGroup,
        nodeResourceGroup: cluster.nodeResourceGroup,
        source: `cluster ${ref.cluster}`,
        cluster,
      },
    };
  }
  const fromNode = (await (providerIds ?? nodeProviderIds(kube)))
    .map(parseProviderId)
    .find((p) => p !== undefined);
  if (!fromNode) {
    throw usageError(
      "Cannot tell which Azure subscription and node resource group this cluster uses: its nodes have no Azure providerID.",
      "Pass --cluster <name> --cluster-resource-group <rg> --subscription <id>, or --pls-resource-group.",
    );
  }
  if (azure.subscription && azure.subscription.toLowerCase() !== fromNode.subscriptionId) {
    ctx.report.warn(
      `--subscription ${azure.subscription} differs from the cluster's subscription ${fromNode.subscriptionId} (from its nodes); using the cluster's.`,
    );
  }
  return {
    azure,
    location: {
      subscriptionId: fromNode.subscriptionId,
      resourceGroup: explicitRg || fromNode.resourceGroup,
      nodeResourceGroup: fromNode.resourceGroup,
      source: explicitRg ? "azure-pls-resource-group" : "the nodes' providerID",
    },
  };
}

/**
 * The managed cluster behind the location, read once: from --cluster, else found by its node
 * resource group (node providerIDs spell that in lower case; ARM's spelling comes with it).
 * Undefined when the caller may not list clusters or none matches.
 */
export async function clusterOf(
  ctx: Context,
  azure: Azure,
  location: PlsLocation,
): Promise<ClusterInfo | undefined> {
  if (location.cluster) return location.cluster;
  try {
    const found = await findClusterByNodeResourceGroup(
      azure,
      location.subscriptionId,
      location.nodeResourceGroup,
    );
    if (found) {
      location.cluster = found;
      const sameRg = location.resourceGroup.toLowerCase() === location.nodeResourceGroup.toLowerCase();
      location.nodeResourceGroup = found.nodeResourceGroup;
      if (sameRg) location.resourceGroup = found.nodeResourceGroup;
    }
    return found;
  } catch (err) {
    // An identity that may not list clusters goes on without (the checks that need the cluster say
    // so); a failure on the way (a dropped connection, 5xx after the retries) is not a "no".
    if (
      !(err instanceof PlsctlError) ||
      (err.exitCode !== ExitCode.Auth && err.exitCode !== ExitCode.NotFound)
    )
      throw err;
    ctx.report.debug(`cannot look up the AKS cluster: ${err.message}`);
    return undefined;
  }
}

export const INTERNAL_LB = "kubernetes-internal";
/** The public load balancer: AKS names it after the cloud-config clusterName, `kubernetes`. */
export const EXTERNAL_LB = "kubernetes";

/** What a look for the Service's PLS found. */
export interface ServicePlsLookup {
  /** The Service's PLS: the one on its own frontend; undefined when none is provably its. */
  pls: PlsView | undefined;
  /** PLSs with the Service's owner tag or name on another frontend: not the Service's. */
  lookalikes: PlsView[];
}

const lbIdPrefix = (location: PlsLocation) =>
  `/subscriptions/${location.subscriptionId}/resourceGroups/${location.nodeResourceGroup}/providers/Microsoft.Network/loadBalancers/`.toLowerCase();

/**
 * A frontend the controller named after the Service, on a load balancer of the cluster's node
 * resource group: `a<uid>` or `a<uid>-<subnet>` (cloud-provider-azure pkg/provider/azure_loadbalancer.go,
 * getFrontendIPConfigNames; the UID makes it the Service's alone). Needs no read of the load balancer.
 */
function namedAfterService(location: PlsLocation, svc: ServiceView, frontendId: string): boolean {
  const id = frontendId.toLowerCase();
  const prefix = lbIdPrefix(location);
  const m = /^[^/]+\/frontendipconfigurations\/([^/]+)$/.exec(id.slice(prefix.length));
  return id.startsWith(prefix) && m?.[1]?.startsWith(frontendName(svc.uid).toLowerCase()) === true;
}

/**
 * The frontends carrying the Service's ingress IP on the cluster's load balancer (a frontend it shares
 * with the Service it was named after).
 */
async function frontendsByIp(azure: Azure, location: PlsLocation, svc: ServiceView): Promise<string[]> {
  const lbs = isInternal(svc.annotations) ? [INTERNAL_LB] : [INTERNAL_LB, EXTERNAL_LB];
  const out: string[] = [];
  for (const lb of lbs) {
    const frontends = await loadBalancerFrontends(
      azure,
      location.subscriptionId,
      location.nodeResourceGroup,
      lb,
    );
    for (const f of frontends) {
      if (f.id && f.privateIp !== undefined && svc.ingressIps.includes(f.privateIp)) out.push(f.id);
    }
  }
  return out;
}

/**
 * Looks for the Service's PLS in its resource group: one list; one read of the cluster's load
 * balancer only when no PLS sits on a frontend named after the Service and it has an IP (a shared
 * frontend). Only the Service's own frontend proves a PLS is its.
 */
export async function lookupServicePls(
  azure: Azure,
  location: PlsLocation,
  svc: ServiceView,
  wantedName?: string,
): Promise<ServicePlsLookup> {
  const all = await listPls(azure, location.subscriptionId, location.resourceGroup);
  if (all.length === 0) return { pls: undefined, lookalikes: [] };
  const named = all.find((p) => p.frontendIds.some((f) => namedAfterService(location, svc, f)));
  const name =
    wantedName ??
    svc.annotations[ANN.plsName]?.trim() ??
    defaultPlsName(svc.uid, svc.annotations[ANN.internalSubnet]);
  if (named || svc.ingressIps.length === 0) {
    return { pls: named, lookalikes: lookalikePls(all, { owner: serviceRef(svc), name }, named) };
  }
  try {
    const pls = plsOnFrontend(all, await frontendsByIp(azure, location, svc));
    return { pls, lookalikes: lookalikePls(all, { owner: serviceRef(svc), name }, pls) };
  } catch (err) {
    // Without the load balancer, a PLS on this cluster's load balancers might sit on a frontend the
    // Service shares: say why it cannot tell. With none there, the Service has none.
    const prefix = lbIdPrefix(location);
    const onCluster = all.some((p) => p.frontendIds.some((f) => f.toLowerCase().startsWith(prefix)));
    if (err instanceof PlsctlError && err.exitCode === ExitCode.Auth && !onCluster) {
      return { pls: undefined, lookalikes: lookalikePls(all, { owner: serviceRef(svc), name }, undefined) };
    }
    throw err;
  }
}

/** The Service's PLS: the one on its own load balancer frontend, never one found by tag or name. */
export async function findPlsForService(
  azure: Azure,
  location: PlsLocation,
  svc: ServiceView,
  wantedName?: string,
): Promise<PlsView | undefined> {
  return (await lookupServicePls(azure, location, svc, wantedName)).pls;
}
