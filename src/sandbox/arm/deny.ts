/**
 * Node resource group lockdown as ARM enforces it: a cluster with
 * `nodeResourceGroupProfile.restrictionLevel: ReadOnly` gets a system deny assignment on its node
 * resource group that denies every write, delete and action (reads stay allowed) to every principal
 * except the cluster's own identities (learn.microsoft.com/azure/aks/node-resource-group-lockdown,
 * https://aka.ms/aks/nrg_lockdown). A deny assignment wins over any role assignment
 * (learn.microsoft.com/azure/role-based-access-control/deny-assignments): a caller whose roles allow
 * the action gets 403 `DenyAssignmentAuthorizationFailed`, worded as ARM words it for AKS's
 * lockdown ("… has permission to perform action … however, the access is denied because of the deny
 * assignment with name 'kubernetes.azure.com/…: node resource group deny assignment created by
 * Azure Kubernetes Services for nrg-lockdown, see: https://aka.ms/aks/nrg_lockdown' and Id … at
 * scope …").
 */
import type { IdentitySpec, ManagedClusterSpec, WorldSpec } from "../world.js";
import { ArmError } from "./errors.js";
import { derivedGuid, scopeCovers } from "./rbac.js";
import type { Json } from "./types.js";

/** "All principals" in a system deny assignment (learn.microsoft.com, deny assignment properties). */
const EVERYONE = "00000000-0000-0000-0000-000000000000";

export interface DenyAssignment {
  id: string;
  name: string;
  displayName: string;
  scope: string;
  excluded: IdentitySpec[];
}

const nodeRgScope = (mc: ManagedClusterSpec) =>
  `/subscriptions/${mc.subscriptionId}/resourceGroups/${mc.nodeResourceGroup}`;

/** The deny assignments the world's locked clusters imply, one per node resource group. */
export function denyAssignments(world: WorldSpec): DenyAssignment[] {
  return world.managedClusters
    .filter((mc) => mc.nodeResourceGroupRestrictionLevel === "ReadOnly")
    .map((mc) => {
      const scope = nodeRgScope(mc);
      const guid = derivedGuid(`nrg-lockdown:${scope.toLowerCase()}`);
      const name = guid.replace(/-/g, "");
      const clusterGuid = derivedGuid(`cluster:${mc.subscriptionId}/${mc.resourceGroup}/${mc.name}`);
      const excluded = world.identities.filter(
        (i) => i.name === mc.controllerIdentity || i.name === mc.kubeletIdentity,
      );
      return {
        id: `${scope}/providers/Microsoft.Authorization/denyAssignments/${name}`,
        name,
        displayName: `kubernetes.azure.com/${clusterGuid}/${guid}: node resource group deny assignment created by Azure Kubernetes Services for nrg-lockdown, see: https://aka.ms/aks/nrg_lockdown`,
        scope,
        excluded,
      };
    });
}

/** The 403 for `action` on `scope` when a deny assignment blocks this caller, else undefined. */
export function denied(
  world: WorldSpec,
  caller: { name: string; clientId: string; objectId: string },
  action: string,
  scope: string,
): ArmError | undefined {
  if (/\/read$/i.test(action)) return undefined;
  const d = denyAssignments(world).find(
    (a) => scopeCovers(a.scope, scope) && !a.excluded.some((i) => i.name === caller.name),
  );
  if (!d) return undefined;
  return new ArmError(
    403,
    "DenyAssignmentAuthorizationFailed",
    `The client '${caller.clientId}' with object id '${caller.objectId}' has permission to perform action '${action}' on scope '${scope}'; however, the access is denied because of the deny assignment with name '${d.displayName}' and Id '${d.name}' at scope '${d.scope.replace("/resourceGroups/", "/resourcegroups/")}'.`,
  );
}

/** A deny assignment as `GET {scope}/providers/Microsoft.Authorization/denyAssignments` lists it (api-version 2022-04-01). */
export function denyAssignmentBody(d: DenyAssignment): Json {
  return {
    properties: {
      denyAssignmentName: d.displayName,
      description: "node resource group lockdown (nodeResourceGroupProfile.restrictionLevel: ReadOnly)",
      permissions: [{ actions: ["*"], notActions: ["*/read"], dataActions: [], notDataActions: [] }],
      scope: d.scope,
      doNotApplyToChildScopes: false,
      principals: [{ id: EVERYONE, type: "SystemDefined" }],
      excludePrincipals: d.excluded.map((i) => ({ id: i.objectId, type: "ServicePrincipal" })),
      isSystemProtected: true,
    },
    id: d.id,
    type: "Microsoft.Authorization/denyAssignments",
    name: d.name,
  };
}
