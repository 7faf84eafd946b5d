/**
 * Microsoft.Authorization, read side, as ARM serves it (api-version 2022-04-01; REST reference
 * "Role Assignments - List For Scope" and "Role Definitions - List/Get" on learn.microsoft.com):
 * - `GET {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=…]`: the world's
 *   assignments that apply at the scope (at or above it) and, without `atScope()`, those below it;
 *   `assignedTo('<objectId>')` / `principalId eq '<objectId>'` keep one principal's.
 * - `GET {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`.
 * - `GET {scope}/providers/Microsoft.Authorization/roleDefinitions[?$filter=roleName eq '…']` and
 *   `…/roleDefinitions/{id}`: built-ins with Azure's ids, custom roles from the world.
 * - `GET {scope}/providers/Microsoft.Authorization/denyAssignments`: node resource group lockdown's
 *   (deny.ts; REST reference "Deny Assignments - List For Scope").
 * Scopes: a management group (its assignments apply to its subscriptions), a subscription, a
 * resource group, a resource or a child resource (a subnet). Reading needs
 * `Microsoft.Authorization/roleAssignments/read` (resp. `roleDefinitions/read`) at the scope;
 * the rights come from rbac.ts, the evaluator the emulator's own checks use.
 */
import type { IdentitySpec, RoleSpec } from "../../world.js";
import { denyAssignmentBody, denyAssignments } from "../deny.js";
import { ArmError, badRequest } from "../errors.js";
import { derivedGuid, effectiveScopes, roleId, scopeCovers } from "../rbac.js";
import type { Ctx, RouteDef } from "../router.js";
import type { Json } from "../types.js";
import { listBody } from "../util.js";
import { ok } from "./common.js";
import { routeFor } from "./routes.js";

const AUTH = "providers/Microsoft.Authorization";
const SCOPES = [
  "/providers/Microsoft.Management/managementGroups/{mg}",
  "/subscriptions/{sub}",
  "/subscriptions/{sub}/resourceGroups/{rg}",
  "/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{t1}/{n1}",
  "/subscriptions/{sub}/resourceGroups/{rg}/providers/{ns}/{t1}/{n1}/{t2}/{n2}",
];
/** When the sandbox's assignments were made (they exist before any command runs). */
const CREATED = "2024-01-15T09:30:00.0000000Z";

const route = routeFor("authorization");

/** The scope a request addresses: its path up to `/providers/Microsoft.Authorization`. */
function scopeOf(c: Ctx): string {
  return c.req.path.replace(/\/providers\/Microsoft\.Authorization\/.*$/i, "");
}

interface Assignment {
  identity: IdentitySpec;
  role: RoleSpec;
  scope: string;
  name: string;
}

function assignments(c: Ctx): Assignment[] {
  const out: Assignment[] = [];
  for (const identity of c.state.world.identities) {
    for (const ra of identity.roleAssignments) {
      const role = c.emu.roles.get(ra.role.toLowerCase());
      if (!role) continue;
      const scope = ra.scope.replace(/\/+$/, "");
      const name = derivedGuid(`assignment:${identity.objectId}:${roleId(role)}:${scope.toLowerCase()}`);
      out.push({ identity, role, scope, name });
    }
  }
  return out;
}

const subOf = (scope: string) => /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1] ?? "";

/**
 * A role definition's id as an assignment shows it: tenant-level
 * (`/providers/Microsoft.Authorization/roleDefinitions/<guid>`) for a management-group assignment, as
 * Azure's own templates give it there (Azure/bicep-registry-modules avm/ptn/authorization
 * role-assignment, management-group scope).
 */
function definitionId(sub: string, role: RoleSpec): string {
  return `${sub ? `/subscriptions/${sub}` : ""}/${AUTH}/roleDefinitions/${roleId(role)}`;
}

function assignmentBody(a: Assignment): Json {
  return {
    properties: {
      roleDefinitionId: definitionId(subOf(a.scope), a.role),
      principalId: a.identity.objectId,
      principalType: "ServicePrincipal",
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id: `${a.scope}/${AUTH}/roleAssignments/${a.name}`,
    type: "Microsoft.Authorization/roleAssignments",
    name: a.name,
  };
}

function isBuiltIn(c: Ctx, role: RoleSpec): boolean {
  return !(c.state.world.roles ?? []).some((r) => r.name.toLowerCase() === role.name.toLowerCase());
}

function definitionBody(c: Ctx, role: RoleSpec, sub: string): Json {
  const builtIn = isBuiltIn(c, role);
  return {
    properties: {
      roleName: role.name,
      type: builtIn ? "BuiltInRole" : "CustomRole",
      description: role.description ?? "",
      assignableScopes: builtIn ? ["/"] : assignableScopes(c, role),
      permissions: [
        { actions: role.actions, notActions: role.notActions ?? [], dataActions: [], notDataActions: [] },
      ],
      createdOn: CREATED,
      updatedOn: CREATED,
      createdBy: null,
      updatedBy: null,
    },
    id: definitionId(sub, role),
    type: "Microsoft.Authorization/roleDefinitions",
    name: roleId(role),
  };
}

function assignableScopes(c: Ctx, role: RoleSpec): string[] {
  return role.assignableScopes ?? c.state.world.subscriptions.map((s) => `/subscriptions/${s.id}`);
}

/** `$filter` of the assignment list: `atScope()`, `assignedTo('…')`, `principalId eq '…'`, joined by `and`. */
function parseAssignmentFilter(raw: string | null): { atScope: boolean; principal?: string } {
  const out: { atScope: boolean; principal?: string } = { atScope: false };
  if (!raw?.trim()) return out;
  for (const part of raw.split(/\s+and\s+/i)) {
    const p = part.trim();
    const assigned = /^assignedTo\('([^']*)'\)$/i.exec(p) ?? /^principalId\s+eq\s+'([^']*)'$/i.exec(p);
    if (/^atScope\(\)$/i.test(p)) out.atScope = true;
    else if (assigned?.[1] !== undefined) out.principal = assigned[1];
    else throw unsupportedFilter(raw);
  }
  return out;
}

const unsupportedFilter = (raw: string) =>
  badRequest("UnsupportedQuery", `The filter '${raw}' is not supported. (sandbox: unsupported filter)`);

function listAssignments(c: Ctx) {
  const scope = scopeOf(c);
  const f = parseAssignmentFilter(c.req.query.get("$filter"));
  const groups = c.emu.roles.groups;
  // At or above the scope (a management group's assignments apply to its subscriptions), and
  // without atScope() also those below it (for a management group: in its subscriptions).
  const above = (a: Assignment) => effectiveScopes(groups, a.scope).some((s) => scopeCovers(s, scope));
  const below = (a: Assignment) => effectiveScopes(groups, scope).some((s) => scopeCovers(s, a.scope));
  const items = assignments(c).filter(
    (a) =>
      (above(a) || (!f.atScope && below(a))) &&
      (f.principal === undefined || a.identity.objectId.toLowerCase() === f.principal.toLowerCase()),
  );
  return ok(listBody(items.map(assignmentBody)));
}

function getAssignment(c: Ctx) {
  const scope = scopeOf(c).toLowerCase();
  const found = assignments(c).find(
    (a) => a.name.toLowerCase() === c.p.assignment?.toLowerCase() && a.scope.toLowerCase() === scope,
  );
  if (!found) {
    throw new ArmError(
      404,
      "RoleAssignmentNotFound",
      `The role assignment '${c.p.assignment}' is not found.`,
    );
  }
  return ok(assignmentBody(found));
}

function roles(c: Ctx): RoleSpec[] {
  return [...c.emu.roles.values()];
}

function listDefinitions(c: Ctx) {
  const scope = scopeOf(c);
  const raw = c.req.query.get("$filter");
  let match: (r: RoleSpec) => boolean = () => true;
  if (raw?.trim()) {
    const byName = /^roleName\s+eq\s+'([^']*)'$/i.exec(raw.trim());
    const byType = /^type\s+eq\s+'(BuiltInRole|CustomRole)'$/i.exec(raw.trim());
    if (byName) match = (r) => r.name.toLowerCase() === byName[1]?.toLowerCase();
    else if (byType) match = (r) => isBuiltIn(c, r) === (byType[1]?.toLowerCase() === "builtinrole");
    else throw unsupportedFilter(raw);
  }
  const visible = (r: RoleSpec) =>
    isBuiltIn(c, r) || assignableScopes(c, r).some((s) => scopeCovers(s, scope) || scopeCovers(scope, s));
  return ok(
    listBody(
      roles(c)
        .filter((r) => visible(r) && match(r))
        .map((r) => definitionBody(c, r, subOf(scope))),
    ),
  );
}

function getDefinition(c: Ctx) {
  const id = c.p.roleId?.toLowerCase();
  const role = roles(c).find((r) => roleId(r).toLowerCase() === id);
  if (!role) {
    throw new ArmError(
      404,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${c.p.roleId}' does not exist.`,
    );
  }
  return ok(definitionBody(c, role, subOf(scopeOf(c))));
}

/** The deny assignments at, above or below the scope (node resource group lockdown: deny.ts). */
function listDenyAssignments(c: Ctx) {
  const scope = scopeOf(c);
  const items = denyAssignments(c.state.world).filter(
    (d) => scopeCovers(d.scope, scope) || scopeCovers(scope, d.scope),
  );
  return ok(listBody(items.map(denyAssignmentBody)));
}

const ASSIGNMENTS_READ = "Microsoft.Authorization/roleAssignments/read";
const DEFINITIONS_READ = "Microsoft.Authorization/roleDefinitions/read";

export const authorizationRoutes: RouteDef[] = SCOPES.flatMap((scope) => [
  route(
    "GET",
    `${scope}/${AUTH}/roleAssignments`,
    "RoleAssignments_ListForScope",
    ASSIGNMENTS_READ,
    listAssignments,
  ),
  route(
    "GET",
    `${scope}/${AUTH}/roleAssignments/{assignment}`,
    "RoleAssignments_Get",
    ASSIGNMENTS_READ,
    getAssignment,
  ),
  route("GET", `${scope}/${AUTH}/roleDefinitions`, "RoleDefinitions_List", DEFINITIONS_READ, listDefinitions),
  route(
    "GET",
    `${scope}/${AUTH}/denyAssignments`,
    "DenyAssignments_ListForScope",
    "Microsoft.Authorization/denyAssignments/read",
    listDenyAssignments,
  ),
  route(
    "GET",
    `${scope}/${AUTH}/roleDefinitions/{roleId}`,
    "RoleDefinitions_Get",
    DEFINITIONS_READ,
    getDefinition,
  ),
]);
