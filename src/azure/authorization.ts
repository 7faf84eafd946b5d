/**
 * Role assignments and role definitions (Microsoft.Authorization, api-version 2022-04-01), read
 * through rest.ts: what `doctor` needs to tell whether an identity may do something at a scope.
 * REST reference: learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope and
 * role-definitions/get.
 */
import type { RoleAssignmentView, RoleDefinitionView } from "../domain/rbac.js";
import { call } from "./call.js";
import type { Azure } from "./handle.js";
import { armGet, armList } from "./rest.js";

const API = "2022-04-01";
const AUTH = "/providers/Microsoft.Authorization";

interface AssignmentWire {
  id?: string;
  name?: string;
  properties?: { roleDefinitionId?: string; principalId?: string; principalType?: string; scope?: string };
}

interface DefinitionWire {
  id?: string;
  name?: string;
  properties?: {
    roleName?: string;
    type?: string;
    permissions?: Array<{ actions?: string[]; notActions?: string[] }>;
  };
}

/**
 * The role assignments that apply to `principalId` at `scope` (made there or at a parent scope):
 * `$filter=atScope() and assignedTo('<id>')`.
 */
export async function roleAssignmentsFor(
  azure: Azure,
  scope: string,
  principalId: string,
): Promise<RoleAssignmentView[]> {
  const filter = encodeURIComponent(`atScope() and assignedTo('${principalId}')`);
  return call(
    azure,
    `read the role assignments at ${scope}`,
    async () => {
      const path = `${scope}${AUTH}/roleAssignments?$filter=${filter}`;
      const items = (await armList(azure, path, API)) as AssignmentWire[];
      return items.map((a) => ({
        id: a.id ?? "",
        scope: a.properties?.scope ?? "",
        roleDefinitionId: a.properties?.roleDefinitionId ?? "",
        principalId: a.properties?.principalId ?? "",
        principalType: a.properties?.principalType ?? "",
      }));
    },
    { action: "Microsoft.Authorization/roleAssignments/read", scope },
  );
}

/**
 * One role definition by its id (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/<guid>`).
 * An assignment at a management group names it tenant-wide (`/providers/Microsoft.Authorization/
 * roleDefinitions/<guid>`): it is read in the subscription of `atScope`, where it is visible too.
 */
export async function roleDefinition(
  azure: Azure,
  id: string,
  atScope?: string,
): Promise<RoleDefinitionView> {
  const sub = atScope ? /^\/subscriptions\/[^/]+/i.exec(atScope)?.[0] : undefined;
  const path =
    !/^\/subscriptions\//i.test(id) && sub
      ? `${sub}${id.replace(/^.*(\/providers\/Microsoft\.Authorization\/)/i, "$1")}`
      : id;
  return call(
    azure,
    `read role definition ${id.split("/").pop() ?? id}`,
    async () => {
      const d = (await armGet(azure, path, API)) as DefinitionWire;
      const perms = d.properties?.permissions ?? [];
      return {
        id: d.id ?? id,
        roleName: d.properties?.roleName ?? d.name ?? id,
        builtIn: d.properties?.type === "BuiltInRole",
        actions: perms.flatMap((p) => p.actions ?? []),
        notActions: perms.flatMap((p) => p.notActions ?? []),
      };
    },
    {
      action: "Microsoft.Authorization/roleDefinitions/read",
      scope: id.replace(/\/providers\/Microsoft\.Authorization\/.*$/i, ""),
    },
  );
}
