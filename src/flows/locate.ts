/**
 * Where the controller puts (or put) a Service's PLS: subscription and resource group from the
 * azure-pls-resource-group annotation, else the node resource group — read from the nodes'
 * providerID, or from the managed cluster (`--cluster`) — and the PLS itself, found by its LB
 * frontend, its owner tag, or the name the controller would give it.
 */
import type { Azure } from "../azure/index.js";
import {
  type ClusterInfo,
  findClusterByNodeResourceGroup,
  getCluster,
  listPls,
  loadBalancerFrontends,
} from "../azure/pls.js";
import type { Context } from "../context.js";
import { ANN } from "../domain/annotations.js";
import { usageError } from "../domain/errors.js";
import { matchServicePls, type PlsView } from "../domain/pls.js";
import { defaultPlsName, parseProviderId } from "../domain/resource-id.js";
import { type ServiceView, serviceRef } from "../domain/service.js";
import type { Kube } from "../kube/index.js";
import { nodeProviderIds } from "../kube/services.js";

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
  const fromNode = (await nodeProviderIds(kube)).map(parseProviderId).find((p) => p !== undefined);
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
    ctx.report.debug(`cannot look up the AKS cluster: ${(err as Error).message}`);
    return undefined;
  }
}

export const INTERNAL_LB = "kubernetes-internal";

/** Finds the Service's PLS in its resource group: one list, plus one LB read when the tag is missing. */
export async function findPlsForService(
  azure: Azure,
  location: PlsLocation,
  svc: ServiceView,
  wantedName?: string,
): Promise<PlsView | undefined> {
  const all = await listPls(azure, location.subscriptionId, location.resourceGroup);
  const owner = serviceRef(svc);
  const name =
    wantedName ??
    svc.annotations[ANN.plsName]?.trim() ??
    defaultPlsName(svc.uid, svc.annotations[ANN.internalSubnet]);
  const byTagOrName = matchServicePls(all, { owner, name });
  if (byTagOrName || svc.ingressIps.length === 0 || all.length === 0) return byTagOrName;
  const frontends = await loadBalancerFrontends(
    azure,
    location.subscriptionId,
    location.nodeResourceGroup,
    INTERNAL_LB,
  );
  const frontendId = frontends.find(
    (f) => f.privateIp !== undefined && svc.ingressIps.includes(f.privateIp),
  )?.id;
  return frontendId ? matchServicePls(all, { owner, frontendId }) : undefined;
}
