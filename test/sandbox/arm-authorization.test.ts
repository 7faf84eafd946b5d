/**
 * The sandbox's Microsoft.Authorization through plsctl's own client (azure/authorization.ts over the
 * network client's pipeline): lists at a scope with atScope()/assignedTo(), inheritance from parent
 * scopes, built-in definitions with Azure's ids, 403 without roleAssignments/read, agreement with the
 * emulator's own RBAC checks; and the managed cluster's two identities.
 */
import { describe, expect, it } from "vitest";
import { roleAssignmentsFor, roleDefinition } from "../../src/azure/authorization.js";
import { getCluster } from "../../src/azure/pls.js";
import { armList } from "../../src/azure/rest.js";
import { grantsFor } from "../../src/domain/rbac.js";
import { can, roleTable } from "../../src/sandbox/arm/rbac.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";

const t = useSandbox({ controller: false });
const SUB = "/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const RG = `${SUB}/resourceGroups/rg-aks`;
const NODE_RG = `${SUB}/resourceGroups/MC_rg-aks_aks-demo_westeurope`;
const SUBNET = `${RG}/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/pls-nat-subnet`;
const AUTH = "/providers/Microsoft.Authorization";
const azureAs = (identity: string) => flowContext(sandboxEnv(t.sb, identity)).ctx.azure();
const who = (name: string) => t.sb.world.identities.find((i) => i.name === name);

interface Wire {
  id: string;
  name: string;
  type: string;
  properties: { roleDefinitionId: string; principalId: string; principalType: string; scope: string };
}

describe("role assignments", () => {
  it("at a subnet: the assignments of its resource group and subscription apply (inherited), in Azure's shape", async () => {
    const azure = await azureAs("provider");
    const ctl = who("aks-controller")?.objectId ?? "";
    const list = await roleAssignmentsFor(azure, SUBNET, ctl);
    expect(list).toEqual([
      expect.objectContaining({
        scope: RG,
        principalId: ctl,
        principalType: "ServicePrincipal",
        roleDefinitionId: `${SUB}${AUTH}/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7`,
      }),
    ]);
    const raw = (await armList(
      azure,
      `${SUBNET}${AUTH}/roleAssignments?$filter=atScope()`,
      "2022-04-01",
    )) as Wire[];
    const provider = raw.find((a) => a.properties.principalId === who("provider")?.objectId);
    expect(provider).toMatchObject({
      type: "Microsoft.Authorization/roleAssignments",
      properties: { scope: SUB },
    });
    expect(provider?.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(provider?.id).toBe(`${SUB}${AUTH}/roleAssignments/${provider?.name}`);
  });

  it("atScope() leaves out assignments below the scope; without it they are listed; assignedTo() keeps one principal", async () => {
    const azure = await azureAs("provider");
    const all = (await armList(azure, `${SUB}${AUTH}/roleAssignments`, "2022-04-01")) as Wire[];
    const at = (await armList(
      azure,
      `${SUB}${AUTH}/roleAssignments?$filter=atScope()`,
      "2022-04-01",
    )) as Wire[];
    expect(all.map((a) => a.properties.scope)).toContain(NODE_RG);
    expect(at.map((a) => a.properties.scope)).toEqual([SUB]);
    const ci = who("ci")?.objectId ?? "";
    const mine = (await armList(
      azure,
      `${SUB}${AUTH}/roleAssignments?$filter=${encodeURIComponent(`assignedTo('${ci}')`)}`,
      "2022-04-01",
    )) as Wire[];
    expect(mine.map((a) => a.properties.scope).sort()).toEqual([NODE_RG, RG].sort());
    expect(new Set(mine.map((a) => a.properties.principalId))).toEqual(new Set([ci]));
  });

  it("refuses a caller without Microsoft.Authorization/roleAssignments/read with AuthorizationFailed (exit 4)", async () => {
    const azure = await azureAs("aks-kubelet");
    await expect(roleAssignmentsFor(azure, SUBNET, "x")).rejects.toMatchObject({
      exitCode: 4,
      code: "AuthorizationFailed",
      message: expect.stringContaining("Microsoft.Authorization/roleAssignments/read"),
    });
  });

  it("agrees with the emulator's own checks (one evaluator)", async () => {
    const azure = await azureAs("provider");
    const roles = roleTable(t.sb.world);
    for (const name of ["ci", "aks-controller", "provider", "aks-kubelet"]) {
      const id = who(name);
      for (const scope of [SUBNET, `${NODE_RG}/providers/Microsoft.Network/privateLinkServices/p`]) {
        const grants = await Promise.all(
          (await roleAssignmentsFor(azure, scope, id?.objectId ?? "")).map(async (a) => ({
            scope: a.scope,
            role: await roleDefinition(azure, a.roleDefinitionId),
          })),
        );
        for (const action of [
          "Microsoft.Network/virtualNetworks/subnets/write",
          "Microsoft.Network/privateLinkServices/read",
          "Microsoft.Network/privateLinkServices/privateEndpointConnectionsApproval/action",
          "Microsoft.Authorization/roleAssignments/write",
        ]) {
          expect([name, scope, action, grantsFor(grants, action, scope).length > 0]).toEqual([
            name,
            scope,
            action,
            can(roles, id, action, scope),
          ]);
        }
      }
    }
  });
});

describe("role definitions", () => {
  it("built-ins carry Azure's ids and action lists; a world role is a CustomRole with a stable id", async () => {
    const azure = await azureAs("provider");
    const ids: Record<string, string> = {
      Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
      Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
      Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
      "Private DNS Zone Contributor": "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
    };
    for (const [roleName, id] of Object.entries(ids)) {
      const d = await roleDefinition(azure, `${SUB}${AUTH}/roleDefinitions/${id}`);
      expect(d).toMatchObject({ roleName, builtIn: true });
    }
    const net = await roleDefinition(azure, `${SUB}${AUTH}/roleDefinitions/${ids["Network Contributor"]}`);
    expect(net.actions).toContain("Microsoft.Network/*");
    const contributor = await roleDefinition(azure, `${SUB}${AUTH}/roleDefinitions/${ids.Contributor}`);
    expect(contributor.notActions).toContain("Microsoft.Authorization/*/Write");
    const [custom] = (await armList(
      azure,
      `${SUB}${AUTH}/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Private Link Approver'")}`,
      "2022-04-01",
    )) as Array<{ name: string; properties: { type: string; roleName: string } }>;
    expect(custom?.properties).toMatchObject({ type: "CustomRole", roleName: "Private Link Approver" });
    const again = await roleDefinition(azure, `${SUB}${AUTH}/roleDefinitions/${custom?.name}`);
    expect(again.roleName).toBe("Private Link Approver");
  });
});

describe("the managed cluster's identities", () => {
  it("identity.principalId is the controller's identity; the kubelet identity is another principal", async () => {
    const azure = await azureAs("provider");
    const mc = await getCluster(azure, SUB.split("/")[2] ?? "", "rg-aks", "aks-demo");
    expect(mc.identityPrincipalId).toBe(who("aks-controller")?.objectId);
    expect(mc.kubeletObjectId).toBe(who("aks-kubelet")?.objectId);
    expect(mc.kubeletObjectId).not.toBe(mc.identityPrincipalId);
  });
});
