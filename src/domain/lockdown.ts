/**
 * Node resource group lockdown (`nodeResourceGroupProfile.restrictionLevel: ReadOnly`, the default
 * of AKS Automatic; learn.microsoft.com/azure/aks/node-resource-group-lockdown): a deny assignment
 * on the node resource group lets only the cluster's own identities write there. The AKS controller
 * can still create a PLS in it, but nobody else can approve, reject or remove its connections or
 * delete it — and no role assignment overrides a deny assignment. So plsctl puts the PLS of a
 * locked cluster in another resource group (`azure-pls-resource-group`), where the cluster
 * identity needs rights of its own (cloud-provider-azure issue #4608; Azure/AKS#3721).
 */

export const isLocked = (restrictionLevel: string | undefined): boolean =>
  (restrictionLevel ?? "").toLowerCase() === "readonly";

export const sameGroup = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Why a PLS in a locked node resource group is a dead end, in one sentence. */
export function lockdownWhy(nodeResourceGroup: string): string {
  return `the cluster's node resource group ${nodeResourceGroup} is locked (nodeResourceGroupProfile.restrictionLevel: ReadOnly): a deny assignment lets only the cluster's own identities write there, so a PLS in it could not be approved, rejected, removed or deleted by plsctl (approve, reject, remove, unexpose), and no role assignment overrides a deny assignment`;
}

/** Where to put it instead, and what the cluster identity needs there. */
export function lockdownFix(
  service: string,
  principalId: string | undefined,
  subscriptionId: string,
): string {
  const who = principalId ?? "<cluster identity object id>";
  return `Put the PLS in a resource group outside the node resource group: plsctl expose ${service} --pls-resource-group <rg>. The cluster identity needs Microsoft.Network/privateLinkServices/read|write|delete there: az role assignment create --assignee ${who} --role "Network Contributor" --scope /subscriptions/${subscriptionId}/resourceGroups/<rg>`;
}
