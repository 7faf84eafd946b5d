/**
 * Loading a sandbox world from a YAML or JSON file (same shape as `WorldSpec`), with validation
 * that names every problem by its path in the file, so a user can fix the file in one go.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { BUILTIN_ROLES } from "./arm/rbac.js";
import { settingsProblems } from "./arm/settings.js";
import type { WorldSpec } from "./world.js";
import { type Checker, checker, GUID } from "./world-file-check.js";
import {
  dnsZoneProblems,
  existingPlsProblems,
  isRec,
  landingZoneProblems,
  MG_SCOPE,
  managementGroupNames,
} from "./world-file-landing-zone.js";
import { clusterProblems, paasProblems, virtualNetworkProblems } from "./world-file-network.js";

export class WorldFileError extends Error {
  /** What to do: printed once, after the problems. */
  readonly hint =
    "Fix the file (examples/world.yaml is a complete example: the default world) and try again.";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Invalid sandbox world in ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadWorldFile(path: string): WorldSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new WorldFileError(path, [`cannot read the file: ${(e as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (e) {
    throw new WorldFileError(path, [`not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`]);
  }
  return validateWorld(doc, path);
}

function tenantProblems(v: Checker): Set<string> {
  const tenantIds = new Set<string>();
  v.list("tenants").forEach((t, i) => {
    const id = v.str(t, "id", `tenants[${i}]`, GUID, "a GUID");
    if (tenantIds.has(id)) v.bad(`tenants[${i}].id`, `duplicate tenant id ${id}`);
    tenantIds.add(id);
    v.str(t, "displayName", `tenants[${i}]`);
    v.str(t, "defaultDomain", `tenants[${i}]`);
  });
  return tenantIds;
}

/** Subscription id (lower case) → its tenant id. */
function subscriptionProblems(v: Checker, tenantIds: Set<string>): Map<string, string> {
  const subs = new Map<string, string>();
  v.list("subscriptions").forEach((s, i) => {
    const w = `subscriptions[${i}]`;
    const id = v.str(s, "id", w, GUID, "a GUID");
    const tid = v.str(s, "tenantId", w);
    if (tid && !tenantIds.has(tid)) v.bad(`${w}.tenantId`, `"${tid}" is not the id of any entry in tenants`);
    if (subs.has(id.toLowerCase())) v.bad(`${w}.id`, `duplicate subscription id ${id}`);
    subs.set(id.toLowerCase(), tid);
    v.str(s, "displayName", w);
  });
  return subs;
}

/** The role names assignments may use (lower case): the built-in ones and the world's own. */
function roleProblems(v: Checker): Set<string> {
  const roleNames = new Set(BUILTIN_ROLES.map((r) => r.name.toLowerCase()));
  v.list("roles", false).forEach((r, i) => {
    const name = v.str(r, "name", `roles[${i}]`);
    roleNames.add(name.toLowerCase());
    if (!Array.isArray(r.actions) || !r.actions.every((a) => typeof a === "string")) {
      v.bad(`roles[${i}].actions`, "must be a list of action patterns such as Microsoft.Network/*/read");
    }
    if (r.id !== undefined && (typeof r.id !== "string" || !GUID.test(r.id)))
      v.bad(`roles[${i}].id`, "must be a GUID (the role definition's name in ARM)");
  });
  return roleNames;
}

interface Directory {
  tenantIds: Set<string>;
  subs: Map<string, string>;
  roleNames: Set<string>;
  groups: Set<string>;
}

const subOfScope = (scope: string) => /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase();

function roleAssignmentProblems(v: Checker, d: Directory, ra: unknown, rw: string, tid: string): void {
  if (!isRec(ra)) {
    v.bad(rw, "must be a mapping with role and scope");
    return;
  }
  const role = v.str(ra, "role", rw);
  if (role && !d.roleNames.has(role.toLowerCase())) {
    v.bad(
      `${rw}.role`,
      `"${role}" is neither a built-in role (Owner, Contributor, Reader, Network Contributor, Private DNS Zone Contributor) nor defined in roles`,
    );
  }
  const scope = v.str(ra, "scope", rw);
  const sub = subOfScope(scope);
  const group = MG_SCOPE.exec(scope)?.[1];
  if (group !== undefined) {
    if (!d.groups.has(group.toLowerCase()))
      v.bad(`${rw}.scope`, `"${scope}" names no management group of managementGroups`);
  } else if (scope && (!sub || !d.subs.has(sub)))
    v.bad(`${rw}.scope`, `"${scope}" must start with /subscriptions/<one of the subscriptions>`);
  else if (scope && d.subs.get(sub ?? "") !== tid)
    v.bad(`${rw}.scope`, `"${scope}" is in another tenant than the identity`);
}

/** The identities' names. */
function identityProblems(v: Checker, d: Directory): Set<string> {
  const names = new Set<string>();
  v.list("identities").forEach((id, i) => {
    const w = `identities[${i}]`;
    const name = v.str(id, "name", w, /^[a-z0-9][a-z0-9-]*$/, "a lower-case name (letters, digits, '-')");
    if (names.has(name)) v.bad(`${w}.name`, `duplicate identity name ${name}`);
    names.add(name);
    v.str(id, "displayName", w);
    const tid = v.str(id, "tenantId", w);
    if (tid && !d.tenantIds.has(tid))
      v.bad(`${w}.tenantId`, `"${tid}" is not the id of any entry in tenants`);
    v.str(id, "objectId", w, GUID, "a GUID");
    v.str(id, "clientId", w, GUID, "a GUID");
    const def = v.str(id, "defaultSubscriptionId", w);
    if (def && d.subs.get(def.toLowerCase()) !== tid) {
      v.bad(`${w}.defaultSubscriptionId`, `"${def}" is not a subscription of the identity's tenant ${tid}`);
    }
    if (!Array.isArray(id.roleAssignments)) v.bad(`${w}.roleAssignments`, "must be a list (may be empty)");
    else
      id.roleAssignments.forEach((ra: unknown, j: number) => {
        roleAssignmentProblems(v, d, ra, `${w}.roleAssignments[${j}]`, tid);
      });
  });
  return names;
}

/** "subscription/resource group" (lower case) of every resource group. */
function resourceGroupProblems(v: Checker, subs: Map<string, string>): Set<string> {
  const rgs = new Set<string>();
  v.list("resourceGroups").forEach((g, i) => {
    const w = `resourceGroups[${i}]`;
    const sub = v.str(g, "subscriptionId", w);
    if (sub && !subs.has(sub.toLowerCase()))
      v.bad(`${w}.subscriptionId`, `"${sub}" is not one of the subscriptions`);
    const name = v.str(g, "name", w, /^[-\w._()]{1,90}$/, "a valid resource group name");
    rgs.add(`${sub}/${name}`.toLowerCase());
    v.str(g, "location", w);
  });
  return rgs;
}

/** Checks a parsed world document; throws WorldFileError listing every problem. */
export function validateWorld(doc: unknown, source = "world"): WorldSpec {
  if (!isRec(doc))
    throw new WorldFileError(source, [
      "the document must be a mapping with tenants, subscriptions, identities, …",
    ]);
  const v = checker(doc);
  const tenantIds = tenantProblems(v);
  const subs = subscriptionProblems(v, tenantIds);
  const roleNames = roleProblems(v);
  const names = identityProblems(v, { tenantIds, subs, roleNames, groups: managementGroupNames(doc) });
  const rgs = resourceGroupProblems(v, subs);
  const { subnets, vnetIds } = virtualNetworkProblems(v, rgs);
  clusterProblems(v, { rgs, subnets, names });
  paasProblems(v, rgs);
  dnsZoneProblems(v.list("privateDnsZones", false), { rgs, vnetIds, str: v.str, bad: v.bad });
  existingPlsProblems(v.list("privateLinkServices", false), { rgs, subnets, str: v.str, bad: v.bad });
  const problems = v.problems;
  if (doc.emulator !== undefined) problems.push(...settingsProblems(doc.emulator, "emulator"));
  problems.push(...landingZoneProblems(doc, subs, tenantIds, rgs));
  if (problems.length) throw new WorldFileError(source, problems);
  const w = doc as unknown as WorldSpec;
  return { ...w, managedClusters: w.managedClusters ?? [], roles: w.roles ?? [] };
}
