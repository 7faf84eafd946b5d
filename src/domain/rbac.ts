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
}

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
  return grants.filter((g) => scopeApplies(g.scope, scope) && roleAllows(g.role, action));
}
