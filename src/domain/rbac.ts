/**
 * Azure RBAC as the client can evaluate it from what ARM shows: an identity may perform an action
 * at a scope when a role assignment at that scope or a parent of it has a role whose `actions`
 * match the action (`*` wildcards, case-insensitive) and whose `notActions` do not
 * (learn.microsoft.com/azure/role-based-access-control/role-definitions, "Actions", "NotActions").
 * Deny assignments and conditions are not evaluated (plsctl says so where it matters).
 */

export interface RoleAssignmentView {
  id: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
}

export interface RoleDefinitionView {
  id: string;
  roleName: string;
  builtIn: boolean;
  actions: string[];
  notActions: string[];
}

/** An assignment with its role, as `allows` takes them. */
export interface Grant {
  scope: string;
  role: Pick<RoleDefinitionView, "roleName" | "actions" | "notActions">;
  /**
   * The scope whose `atScope()` list returned it. An assignment at a management group
   * (`/providers/Microsoft.Management/managementGroups/<id>`) is not a prefix of any subscription
   * scope, yet ARM lists it at every scope of the subscriptions under the group
   * (learn.microsoft.com/azure/role-based-access-control/scope-overview): it applies to the whole
   * subscription it was listed in.
   */
  listedAt?: string;
}

const MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\//i;
export const isManagementGroupScope = (scope: string): boolean => MANAGEMENT_GROUP.test(scope);
const subscriptionScope = (scope: string): string | undefined => /^\/subscriptions\/[^/]+/i.exec(scope)?.[0];

function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}

const norm = (s: string) => s.replace(/\/+$/, "").toLowerCase();

/** An assignment at `assignmentScope` applies to `scope`: the same scope or a parent of it. */
export function scopeApplies(assignmentScope: string, scope: string): boolean {
  const a = norm(assignmentScope);
  const s = norm(scope);
  return a === "" || s === a || s.startsWith(`${a}/`);
}

export function roleAllows(role: Grant["role"], action: string): boolean {
  return role.actions.some((a) => matches(a, action)) && !role.notActions.some((a) => matches(a, action));
}

/** The grants that allow `action` at `scope` (empty: not allowed). */
export function grantsFor(grants: readonly Grant[], action: string, scope: string): Grant[] {
  return grants.filter((g) => grantApplies(g, scope) && roleAllows(g.role, action));
}

function grantApplies(g: Grant, scope: string): boolean {
  if (scopeApplies(g.scope, scope)) return true;
  const sub = g.listedAt ? subscriptionScope(g.listedAt) : undefined;
  return isManagementGroupScope(g.scope) && sub !== undefined && scopeApplies(sub, scope);
}
