/**
 * Node resource group lockdown (domain/lockdown.ts): read from the managed cluster's
 * `nodeResourceGroupProfile.restrictionLevel`. A locked node resource group as the PLS resource
 * group is a FAIL (the PLS would be out of plsctl's reach); a PLS resource group outside it PASSes.
 */
import { type Finding, fail, pass } from "../../domain/doctor.js";
import { isLocked, lockdownFix, lockdownWhy, sameGroup } from "../../domain/lockdown.js";
import { type Facts, NotChecked } from "./facts.js";

export async function nodeGroupLockdown(f: Facts): Promise<Finding> {
  const { location, cluster } = await f.dep("azure.location", f.located);
  if (!cluster) {
    throw new NotChecked(
      "Not checked: the AKS cluster was not found, so whether its node resource group is locked is unknown.",
      "Pass --cluster <name> --cluster-resource-group <rg>.",
    );
  }
  const level = cluster.restrictionLevel ?? "Unrestricted";
  const nodeRg = location.nodeResourceGroup;
  if (!isLocked(level)) {
    return pass(`nodeResourceGroupProfile.restrictionLevel: ${level}: ${nodeRg} is not locked.`);
  }
  if (sameGroup(location.resourceGroup, nodeRg)) {
    return fail(
      `The PLS would go to ${nodeRg}, but ${lockdownWhy(nodeRg)}.`,
      lockdownFix(f.o.service ?? "<service>", cluster.controlPlane?.principalId, location.subscriptionId),
    );
  }
  return pass(
    `${nodeRg} is locked (restrictionLevel: ReadOnly); the PLS goes to ${location.resourceGroup}, outside it, where plsctl can approve and remove connections.`,
  );
}
