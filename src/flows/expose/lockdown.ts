/**
 * `expose` on a cluster whose node resource group is locked (domain/lockdown.ts): the PLS must go
 * to a resource group outside it. Checked from the managed cluster's restriction level before
 * anything is written.
 */
import type { Azure } from "../../azure/index.js";
import type { Context } from "../../context.js";
import { usageError } from "../../domain/errors.js";
import { isLocked, lockdownFix, lockdownWhy, sameGroup } from "../../domain/lockdown.js";
import { clusterOf, type PlsLocation } from "../support/locate.js";

/** Refuses (exit 2) a PLS in the node resource group of a locked cluster. */
export async function refuseLockedNodeGroup(
  ctx: Context,
  azure: Azure,
  location: PlsLocation,
  service: { name: string; namespace: string },
): Promise<void> {
  if (!sameGroup(location.resourceGroup, location.nodeResourceGroup)) return;
  const cluster = await clusterOf(ctx, azure, location);
  if (!cluster || !isLocked(cluster.restrictionLevel)) return;
  const nodeRg = location.nodeResourceGroup;
  throw usageError(
    `Refusing to expose ${service.namespace}/${service.name} into ${nodeRg}: ${lockdownWhy(nodeRg)}. Nothing was changed.`,
    lockdownFix(service.name, cluster.controlPlane?.principalId, location.subscriptionId),
  );
}
