/**
 * Role-based access as Azure evaluates it: an identity may perform an action on a scope when one
 * of its role assignments has a scope that is the same as or a parent of it, and the role's
 * actions match (with `*` wildcards, case-insensitive) and its notActions do not.
 *
 * The one evaluator of the emulator: the request pipeline's checks use `can`/`canAtOrBelow`, and the
 * Microsoft.Authorization API (handlers/authorization.ts) shows the same assignments and roles.
 * Built-in ids, descriptions and action lists are Azure's (learn.microsoft.com/azure/
 * role-based-access-control/built-in-roles: general and networking categories).
 */
import { createHash } from "node:crypto";
import { type IdentitySpec, managementGroupScope, type RoleSpec, type WorldSpec } from "../world.js";
import { ArmError } from "./errors.js";

export const BUILTIN_ROLES: RoleSpec[] = [
  {
    name: "Owner",
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    description:
      "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
  },
  {
    name: "Contributor",
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    description:
      "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
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
  {
    name: "Reader",
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
  },
  {
    name: "Network Contributor",
    id: "4d97b98b-1d4f-4787-a291-c67834d212e7",
    description: "Lets you manage networks, but not access to them.",
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
    id: "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
    description:
      "Lets you manage private DNS zone resources, but not the virtual networks they are linked to.",
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

/** A role definition's GUID: Azure's for built-ins, the world's, or one derived from the name. */
export function roleId(role: RoleSpec): string {
  return role.id ?? derivedGuid(`role:${role.name.toLowerCase()}`);
}

/** A stable GUID-shaped id from a string (role assignments and custom roles need one per sandbox). */
export function derivedGuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function normScope(s: string): string {
  return s.replace(/\/+$/, "").toLowerCase();
}

/** True when an assignment at `assignment` applies to `scope` (the same scope or a parent of it). */
export function scopeCovers(assignment: string, scope: string): boolean {
  const a = normScope(assignment);
  const s = normScope(scope);
  return s === a || s.startsWith(`${a}/`);
}

/**
 * The roles by lower-case name; `groups` maps a management group's scope (lower case) to the
 * subscription scopes under it, where its role assignments apply
 * (learn.microsoft.com/azure/role-based-access-control/scope-overview).
 */
export type RoleTable = Map<string, RoleSpec> & { groups?: Map<string, string[]> };

export function roleTable(world: WorldSpec): RoleTable {
  const m: RoleTable = new Map<string, RoleSpec>();
  for (const r of [...BUILTIN_ROLES, ...(world.roles ?? [])]) m.set(r.name.toLowerCase(), r);
  m.groups = managementGroups(world);
  return m;
}

export function managementGroups(world: WorldSpec): Map<string, string[]> {
  return new Map(
    (world.managementGroups ?? []).map((g) => [
      normScope(managementGroupScope(g.name)),
      g.subscriptions.map((s) => `/subscriptions/${s}`),
    ]),
  );
}

/** The scopes an assignment at `scope` is made at: itself, and for a management group its subscriptions. */
export function effectiveScopes(groups: Map<string, string[]> | undefined, scope: string): string[] {
  return [scope, ...(groups?.get(normScope(scope)) ?? [])];
}

export function roleAllows(role: RoleSpec, action: string): boolean {
  return (
    role.actions.some((a) => pattern(a).test(action)) &&
    !(role.notActions ?? []).some((a) => pattern(a).test(action))
  );
}

/** True when one of the identity's role assignments allows `action` and its scope passes `inScope`. */
function anyAssignment(
  roles: RoleTable,
  id: IdentitySpec | undefined,
  action: string,
  inScope: (assignmentScope: string) => boolean,
): boolean {
  if (!id) return false;
  return id.roleAssignments.some((ra) => {
    const role = roles.get(ra.role.toLowerCase());
    return (
      !!role && effectiveScopes(roles.groups, ra.scope).some((s) => inScope(s)) && roleAllows(role, action)
    );
  });
}

export function can(roles: RoleTable, id: IdentitySpec | undefined, action: string, scope: string): boolean {
  return anyAssignment(roles, id, action, (a) => scopeCovers(a, scope));
}

/** True when the identity may perform `action` on `scope` or on some scope below it (list filtering). */
export function canAtOrBelow(
  roles: RoleTable,
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

/**
 * ARM's linked access check of a resource in a subscription of another tenant than the caller's
 * token: 403 LinkedAuthorizationFailed, "the current tenant … is not authorized to access linked
 * subscription …" (the message as reported in Azure/OpenShift#41 and Azure/azure-cli-extensions#7143;
 * for an automatic private endpoint connection across tenants, ansible-collections/azure#973 and
 * Azure/azure-sdk-for-go#14306).
 */
export function linkedTenantNotAuthorized(
  action: string,
  scope: string,
  tenantId: string,
  linkedSubscription: string,
) {
  return new ArmError(
    403,
    "LinkedAuthorizationFailed",
    `The client has permission to perform action '${action}' on scope '${scope}', however the current tenant '${tenantId}' is not authorized to access linked subscription '${linkedSubscription}'.`,
  );
}
