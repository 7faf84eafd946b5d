/**
 * May the cluster identity — the managed cluster's control-plane identity (system-assigned,
 * user-assigned, or a service principal), the one the cloud controller acts as, not the kubelet
 * identity — do what the controller does for a PLS? Its role assignments at (or above, management
 * groups included) the NAT subnet, the node resource group and the PLS resource group,
 * with their roles' actions/notActions, against the actions the controller needs (cloud-provider-
 * azure's PLS reconcile; learn.microsoft.com/azure/aks/internal-lb "Private Link Service"
 * prerequisites): Network Contributor, or a custom role with exactly these actions, is enough.
 */
import { roleAssignmentsFor, roleDefinition } from "../../azure/authorization.js";
import { whoAmI } from "../../azure/identity.js";
import type { ClusterInfo } from "../../azure/pls.js";
import type { SubnetView } from "../../azure/subnets.js";
import { type Finding, fail, pass, warn } from "../../domain/doctor.js";
import { ExitCode, isPlsctlError, type PlsctlError } from "../../domain/errors.js";
import { type Grant, grantsFor, type RoleDefinitionView } from "../../domain/rbac.js";
import { type Facts, type NatSubnetFacts, NotChecked } from "./facts.js";

export const SUBNET_WRITE = "Microsoft.Network/virtualNetworks/subnets/write";
const SUBNET_READ_JOIN = [
  "Microsoft.Network/virtualNetworks/subnets/read",
  "Microsoft.Network/virtualNetworks/subnets/join/action",
];
const LB_ACTIONS = [
  "Microsoft.Network/loadBalancers/write",
  "Microsoft.Network/loadBalancers/loadBalancingRules/read",
];
const PLS_ACTIONS = [
  "Microsoft.Network/privateLinkServices/read",
  "Microsoft.Network/privateLinkServices/write",
  "Microsoft.Network/privateLinkServices/delete",
];

/**
 * What the controller does on the NAT subnet: read and join it always; write it only to turn
 * `privateLinkServiceNetworkPolicies` off (cloud-provider-azure pkg/provider/azure_privatelinkservice.go,
 * disablePLSNetworkPolicy: no write when already Disabled). A subnet write carries the subnet's
 * network security group, route table and NAT gateway, and ARM checks `join/action` on each
 * (learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet, "Permissions").
 */
export function subnetNeeds(subnet: SubnetView): Array<[string, string]> {
  const needs: Array<[string, string]> = SUBNET_READ_JOIN.map((a) => [a, subnet.id]);
  if (subnet.plsNetworkPolicies === "Disabled") return needs;
  needs.push([SUBNET_WRITE, subnet.id]);
  if (subnet.nsgId) needs.push(["Microsoft.Network/networkSecurityGroups/join/action", subnet.nsgId]);
  if (subnet.routeTableId) needs.push(["Microsoft.Network/routeTables/join/action", subnet.routeTableId]);
  if (subnet.natGatewayId) needs.push(["Microsoft.Network/natGateways/join/action", subnet.natGatewayId]);
  return needs;
}

export interface Missing {
  action: string;
  scope: string;
}

export type Rights =
  | {
      kind: "evaluated";
      principalId: string;
      kubeletId: string | undefined;
      missing: Missing[];
      roles: string[];
      subnetId: string;
      plsScope: string;
    }
  | { kind: "unreadable"; principalId: string; scope: string; error: PlsctlError };

const cache = new WeakMap<Facts, Promise<Rights>>();

/** The cluster identity's rights where the controller works, read once per run. */
export function clusterRights(f: Facts, nat: () => Promise<NatSubnetFacts>): Promise<Rights> {
  let p = cache.get(f);
  if (!p) {
    p = evaluate(f, nat);
    cache.set(f, p);
  }
  return p;
}

/**
 * The control-plane identity's object id: system- or user-assigned from the managed cluster; a
 * service principal shows only its app id there, so its object id comes from --cluster-identity.
 */
function principalOf(f: Facts, cluster: ClusterInfo | undefined): string {
  if (f.o.clusterIdentity) return f.o.clusterIdentity;
  const cp = cluster?.controlPlane;
  if (cp?.principalId) return cp.principalId;
  if (cp?.kind === "ServicePrincipal") {
    throw new NotChecked(
      `Not checked: the cluster's control plane runs as service principal ${cp.clientId} (servicePrincipalProfile.clientId), an app id; its role assignments are listed by object id, which Azure Resource Manager does not show.`,
      `Pass its object id: plsctl doctor … --cluster-identity $(az ad sp show --id ${cp.clientId} --query id -o tsv)`,
    );
  }
  throw new NotChecked(
    "Not checked: the AKS cluster (and so its identity) was not found.",
    "Pass --cluster <name> --cluster-resource-group <rg>.",
  );
}

async function evaluate(f: Facts, nat: () => Promise<NatSubnetFacts>): Promise<Rights> {
  const { azure, location, cluster } = await f.dep("azure.location", f.located);
  const principalId = principalOf(f, cluster);
  const { subnet } = await f.dep("nat.subnet", nat);
  const rg = (name: string) => `/subscriptions/${location.subscriptionId}/resourceGroups/${name}`;
  const nodeRg = rg(location.nodeResourceGroup);
  const plsRg = rg(location.resourceGroup);
  const needs: Array<[string, string]> = [
    ...subnetNeeds(subnet),
    ...LB_ACTIONS.map((a): [string, string] => [
      a,
      `${nodeRg}/providers/Microsoft.Network/loadBalancers/kubernetes-internal`,
    ]),
    ...PLS_ACTIONS.map((a): [string, string] => [
      a,
      `${plsRg}/providers/Microsoft.Network/privateLinkServices/*`,
    ]),
  ];
  const grants: Grant[] = [];
  const definitions = new Map<string, Promise<RoleDefinitionView>>();
  const scopes = new Set([subnet.id, nodeRg, plsRg, ...needs.map(([, scope]) => scope).filter(isJoined)]);
  for (const scope of scopes) {
    let assignments: Awaited<ReturnType<typeof roleAssignmentsFor>>;
    try {
      assignments = await roleAssignmentsFor(azure, scope, principalId);
    } catch (err) {
      if (isPlsctlError(err) && err.exitCode === ExitCode.Auth)
        return { kind: "unreadable", principalId, scope, error: err };
      throw err;
    }
    for (const a of assignments) {
      const key = a.roleDefinitionId.split("/").pop()?.toLowerCase() ?? a.roleDefinitionId;
      if (!definitions.has(key)) definitions.set(key, roleDefinition(azure, a.roleDefinitionId, scope));
      const role = await (definitions.get(key) as Promise<RoleDefinitionView>);
      grants.push({ scope: a.scope, role, listedAt: scope });
    }
  }
  const missing = needs
    .filter(([action, scope]) => grantsFor(grants, action, scope).length === 0)
    .map(([action, scope]) => ({ action, scope }));
  const roles = [...new Set(grants.map((g) => `${g.role.roleName} at ${g.scope}`))];
  return {
    kind: "evaluated",
    principalId,
    kubeletId: cluster?.kubeletObjectId,
    missing,
    roles,
    subnetId: subnet.id,
    plsScope: plsRg,
  };
}

/** An NSG, route table or NAT gateway the subnet write joins (its own scope to list assignments at). */
const isJoined = (scope: string) => /\/(networkSecurityGroups|routeTables|natGateways)\/[^/]+$/i.test(scope);

export async function rbacClusterIdentity(f: Facts, nat: () => Promise<NatSubnetFacts>): Promise<Finding> {
  const r = await clusterRights(f, nat);
  if (r.kind === "unreadable") {
    const me = await whoAmI((await f.located()).azure).catch(() => undefined);
    return warn(
      `Cannot read the role assignments of the cluster identity ${r.principalId} at ${r.scope}: ${r.error.message}`,
      `Grant the identity plsctl runs as a role with Microsoft.Authorization/roleAssignments/read there, e.g. Reader: az role assignment create --assignee ${me?.objectId ?? "<your object id>"} --role Reader --scope ${r.scope}`,
    );
  }
  const who = `cluster identity ${r.principalId}${r.kubeletId ? ` (not the kubelet identity ${r.kubeletId})` : ""}`;
  if (r.missing.length === 0) {
    return pass(
      `The ${who} may do what the controller does on the NAT subnet, the load balancer and Private Link Services (${r.roles.join("; ")}).`,
    );
  }
  const byScope = new Map<string, string[]>();
  for (const m of r.missing) byScope.set(m.scope, [...(byScope.get(m.scope) ?? []), m.action]);
  const detail = [...byScope].map(([scope, actions]) => `${actions.join(", ")} on ${scope}`).join("; ");
  const scopes = [...byScope.keys()].map((s) =>
    s.endsWith("/*") ? r.plsScope : s.includes("/loadBalancers/") ? s.replace(/\/providers\/.*$/, "") : s,
  );
  const fix = [...new Set(scopes)]
    .map(
      (s) =>
        `az role assignment create --assignee ${r.principalId} --role "Network Contributor" --scope ${s}`,
    )
    .join(" && ");
  return fail(
    `The ${who} lacks ${detail}: the AKS controller will fail with AuthorizationFailed (a SyncLoadBalancerFailed event).`,
    `${fix} (or a custom role with exactly these actions); a new role assignment can take several minutes (up to an hour for a managed identity's cached token) to apply.`,
  );
}
