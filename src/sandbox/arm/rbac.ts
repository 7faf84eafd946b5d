/**
 * Role-based access as Azure evaluates it: an identity may perform an action on a scope when one
 * of its role assignments has a scope that is the same as or a parent of it, and the role's
 * actions match (with `*` wildcards, case-insensitive) and its notActions do not.
 */
import type { IdentitySpec, RoleSpec, WorldSpec } from "../world.js";
import { ArmError } from "./errors.js";

export const BUILTIN_ROLES: RoleSpec[] = [
  { name: "Owner", actions: ["*"] },
  {
    name: "Contributor",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
      "Microsoft.Blueprint/blueprintAssignments/write",
      "Microsoft.Blueprint/blueprintAssignments/delete",
      "Microsoft.Compute/galleries/share/action",
    ],
  },
  { name: "Reader", actions: ["*/read"] },
  {
    name: "Network Contributor",
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Network/*",
      "Microsoft.ResourceHealth/availabilityStatuses/read",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Support/*",
    ],
  },
  {
    name: "Private DNS Zone Contributor",
    actions: [
      "Microsoft.Authorization/*/read",
      "Microsoft.Insights/alertRules/*",
      "Microsoft.Resources/deployments/*",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
      "Microsoft.Network/privateDnsZones/*",
      "Microsoft.Network/privateDnsOperationResults/*",
      "Microsoft.Network/privateDnsOperationStatuses/*",
      "Microsoft.Network/virtualNetworks/read",
      "Microsoft.Network/virtualNetworks/join/action",
    ],
  },
];

const patternCache = new Map<string, RegExp>();
function pattern(p: string): RegExp {
  let re = patternCache.get(p);
  if (!re) {
    re = new RegExp(
      `^${p
        .split("*")
        .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
        .join(".*")}$`,
      "i",
    );
    patternCache.set(p, re);
  }
  return re;
}

function normScope(s: string): string {
  return s.replace(/\/+$/, "").toLowerCase();
}

function scopeCovers(assignment: string, scope: string): boolean {
  const a = normScope(assignment);
  const s = normScope(scope);
  return s === a || s.startsWith(`${a}/`);
}

export function roleTable(world: WorldSpec): Map<string, RoleSpec> {
  const m = new Map<string, RoleSpec>();
  for (const r of [...BUILTIN_ROLES, ...(world.roles ?? [])]) m.set(r.name.toLowerCase(), r);
  return m;
}

function roleAllows(role: RoleSpec, action: string): boolean {
  return (
    role.actions.some((a) => pattern(a).test(action)) &&
    !(role.notActions ?? []).some((a) => pattern(a).test(action))
  );
}

/** True when one of the identity's role assignments allows `action` and its scope passes `inScope`. */
function anyAssignment(
  roles: Map<string, RoleSpec>,
  id: IdentitySpec | undefined,
  action: string,
  inScope: (assignmentScope: string) => boolean,
): boolean {
  if (!id) return false;
  return id.roleAssignments.some((ra) => {
    const role = roles.get(ra.role.toLowerCase());
    return !!role && inScope(ra.scope) && roleAllows(role, action);
  });
}

export function can(
  roles: Map<string, RoleSpec>,
  id: IdentitySpec | undefined,
  action: string,
  scope: string,
): boolean {
  return anyAssignment(roles, id, action, (a) => scopeCovers(a, scope));
}

/** True when the identity may perform `action` on `scope` or on some scope below it (list filtering). */
export function canAtOrBelow(
  roles: Map<string, RoleSpec>,
  id: IdentitySpec | undefined,
  action: string,
  scope: string,
): boolean {
  return anyAssignment(roles, id, action, (a) => scopeCovers(a, scope) || scopeCovers(scope, a));
}

export function authorizationFailed(
  id: { clientId: string; objectId: string },
  action: string,
  scope: string,
) {
  return new ArmError(
    403,
    "AuthorizationFailed",
    `The client '${id.clientId}' with object id '${id.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export function linkedAuthorizationFailed(
  id: { clientId: string; objectId: string },
  action: string,
  scope: string,
  linkedAction: string,
  linkedScope: string,
) {
  return new ArmError(
    403,
    "LinkedAuthorizationFailed",
    `The client '${id.clientId}' with object id '${id.objectId}' has permission to perform action '${action}' on scope '${scope}'; however, it does not have permission to perform action(s) '${linkedAction}' on the linked scope(s) '${linkedScope}' (respectively) or the linked scope(s) are invalid.`,
  );
}
