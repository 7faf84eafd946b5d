/** The roles engine: built-in roles, world roles, wildcards, notActions and scope inheritance. */
import { describe, expect, it } from "vitest";
import { can, canAtOrBelow, roleTable } from "../../src/sandbox/arm/rbac.js";
import { defaultWorld, type IdentitySpec } from "../../src/sandbox/world.js";

const world = defaultWorld();
const roles = roleTable(world);
const SUB = "/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const NODE = `${SUB}/resourceGroups/MC_rg-aks_aks-demo_westeurope`;
const PLS = `${NODE}/providers/Microsoft.Network/privateLinkServices/pls1`;
const who = (name: string) => world.identities.find((i) => i.name === name);
const withRole = (role: string, scope: string): IdentitySpec => ({
  name: "x",
  displayName: "x",
  tenantId: "t",
  objectId: "o",
  clientId: "c",
  defaultSubscriptionId: "s",
  roleAssignments: [{ role, scope }],
});

describe("roles engine", () => {
  it("Contributor may do everything but write role assignments", () => {
    const p = who("provider");
    expect(can(roles, p, "Microsoft.Network/privateLinkServices/write", PLS)).toBe(true);
    expect(
      can(roles, p, "Microsoft.Network/privateLinkServices/privateEndpointConnectionsApproval/action", PLS),
    ).toBe(true);
    expect(can(roles, p, "Microsoft.Authorization/roleAssignments/write", SUB)).toBe(false);
    expect(can(roles, p, "Microsoft.Network/privateLinkServices/read", "/subscriptions/other")).toBe(false);
  });

  it("a world role on a resource group covers the resources below it, not its siblings", () => {
    const ci = who("ci");
    expect(
      can(
        roles,
        ci,
        "Microsoft.Network/privateLinkServices/privateEndpointConnections/write",
        `${PLS}/privateEndpointConnections/x`,
      ),
    ).toBe(true);
    expect(can(roles, ci, "Microsoft.Network/privateLinkServices/write", PLS)).toBe(false);
    expect(
      can(
        roles,
        ci,
        "Microsoft.Network/privateLinkServices/read",
        `${SUB}/resourceGroups/MC_rg-aks_aks-demo_westeurope2/providers/Microsoft.Network/privateLinkServices/p`,
      ),
    ).toBe(false);
    expect(canAtOrBelow(roles, ci, "Microsoft.Network/privateLinkServices/read", SUB)).toBe(true);
  });

  it("resource-scope assignments, Reader's */read and case-insensitive matching", () => {
    const reader = withRole("reader", PLS);
    expect(can(roles, reader, "microsoft.network/PRIVATELINKSERVICES/read", PLS.toUpperCase())).toBe(true);
    expect(can(roles, reader, "Microsoft.Network/privateLinkServices/write", PLS)).toBe(false);
    expect(can(roles, reader, "Microsoft.Network/privateLinkServices/read", NODE)).toBe(false);
    const net = withRole("Network Contributor", NODE);
    expect(
      can(
        roles,
        net,
        "Microsoft.Network/loadBalancers/write",
        `${NODE}/providers/Microsoft.Network/loadBalancers/lb`,
      ),
    ).toBe(true);
    expect(can(roles, net, "Microsoft.ContainerService/managedClusters/read", NODE)).toBe(false);
    expect(can(roles, withRole("No Such Role", SUB), "*/read", SUB)).toBe(false);
  });
});
