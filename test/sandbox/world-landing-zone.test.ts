/**
 * The sandbox's landing-zone world: the file's new fields validated with their paths; the managed
 * cluster as ARM shows a locked, user-assigned, Azure CNI cluster (and a service-principal one);
 * role assignments at management-group scope served by the Authorization API at that scope and,
 * inherited, at the subscription's.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { getCluster } from "../../src/azure/pls.js";
import { armGet, armList } from "../../src/azure/rest.js";
import { defaultWorld } from "../../src/sandbox/world.js";
import { loadWorldFile, validateWorld, WorldFileError } from "../../src/sandbox/world-file.js";
import { flowContext } from "../helpers/flow-context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { networkAs } from "../helpers/sandbox-sdk.js";

const LANDING_ZONE = fileURLToPath(new URL("../../examples/landing-zone.yaml", import.meta.url));
const SUB = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const MG = "/providers/Microsoft.Management/managementGroups/contoso-corp";
const AUTH = "/providers/Microsoft.Authorization";

function problems(change: (w: Record<string, unknown>) => void): string[] {
  const w = JSON.parse(JSON.stringify(defaultWorld())) as Record<string, unknown>;
  change(w);
  try {
    validateWorld(w);
  } catch (e) {
    if (e instanceof WorldFileError) return e.problems;
    throw e;
  }
  return [];
}

describe("world file: landing-zone fields", () => {
  it("names every bad value by its path", () => {
    const p = problems((w) => {
      const [mc] = w.managedClusters as Array<Record<string, unknown>>;
      Object.assign(mc ?? {}, {
        nodeResourceGroupRestrictionLevel: "Locked",
        controlPlaneIdentityType: "Managed",
        network: "calico",
        podSubnetName: "pods",
        plsResourceGroup: "MC_rg-aks_aks-demo_westeurope",
      });
      w.managementGroups = [{ name: "corp", displayName: "Corp", tenantId: "nope", subscriptions: ["x"] }];
      const [id] = w.identities as Array<{ roleAssignments: Array<{ role: string; scope: string }> }>;
      id?.roleAssignments.push({
        role: "Reader",
        scope: "/providers/Microsoft.Management/managementGroups/other",
      });
      const [vnet] = w.virtualNetworks as Array<{ subnets: Array<Record<string, unknown>> }>;
      Object.assign(vnet?.subnets[1] ?? {}, { networkSecurityGroup: "nsg-spoke" });
    });
    expect(p).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^managedClusters\[0\]\.nodeResourceGroupRestrictionLevel: must be one of "Unrestricted", "ReadOnly"/,
        ),
        expect.stringMatching(/^managedClusters\[0\]\.controlPlaneIdentityType: must be one of/),
        expect.stringMatching(/^managedClusters\[0\]\.network: must be one of/),
        expect.stringMatching(/^managedClusters\[0\]\.podSubnetName: needs network: "azure-cni"/),
        expect.stringMatching(
          /^managedClusters\[0\]\.plsResourceGroup: must be another resource group than the node resource group/,
        ),
        expect.stringMatching(
          /^managementGroups\[0\]\.tenantId: "nope" is not the id of any entry in tenants/,
        ),
        expect.stringMatching(
          /^managementGroups\[0\]\.subscriptions\[0\]: "x" is not one of the subscriptions/,
        ),
        expect.stringMatching(/^identities\[0\]\.roleAssignments\[1\]\.scope: .* names no management group/),
        expect.stringMatching(
          /^virtualNetworks\[0\]\.subnets\[1\]\.networkSecurityGroup: must be a resource id ending in \/providers\/Microsoft\.Network\/networkSecurityGroups\/<name>/,
        ),
      ]),
    );
  });

  it("examples/landing-zone.yaml loads", () => {
    expect(loadWorldFile(LANDING_ZONE).managementGroups?.[0]?.name).toBe("contoso-corp");
  });
});

describe("a landing-zone sandbox", () => {
  const t = useSandbox({ world: loadWorldFile(LANDING_ZONE), controller: false });
  const azure = () => flowContext(t.env).ctx.azure();
  const ctl = () => t.sb.world.identities.find((i) => i.name === "aks-controller");

  it("managedClusters GET: restriction level, user-assigned identity, Azure CNI in node-subnet mode", async () => {
    const c = await getCluster(await azure(), SUB, "rg-aks", "aks-demo");
    expect(c.restrictionLevel).toBe("ReadOnly");
    expect(c.controlPlane).toEqual({
      kind: "UserAssigned",
      principalId: ctl()?.objectId,
      clientId: ctl()?.clientId,
      resourceId: `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-controller`,
    });
    expect(c.identityPrincipalId).toBe(ctl()?.objectId);
    expect([c.networkPlugin, c.networkPluginMode, c.podSubnetIds]).toEqual(["azure", undefined, []]);
    const raw = (await armGet(
      await azure(),
      `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`,
      "2025-01-01",
    )) as { properties: { nodeResourceGroupProfile: unknown; servicePrincipalProfile: unknown } };
    expect(raw.properties.nodeResourceGroupProfile).toEqual({ restrictionLevel: "ReadOnly" });
    expect(raw.properties.servicePrincipalProfile).toEqual({ clientId: "msi" });
  });

  it("role assignments at the management group: listed at its scope and, with atScope(), at the subscription's", async () => {
    const a = await azure();
    const filter = encodeURIComponent(`atScope() and assignedTo('${ctl()?.objectId}')`);
    // The operator's Contributor on the subscription gives no right at the group above it.
    await expect(armList(a, `${MG}${AUTH}/roleAssignments?$filter=${filter}`, "2022-04-01")).rejects.toThrow(
      /does not have authorization to perform action 'Microsoft.Authorization\/roleAssignments\/read'/,
    );
    // Network Contributor (Microsoft.Authorization/*/read) at the group does.
    const asController = await flowContext(sandboxEnv(t.sb, "aks-controller")).ctx.azure();
    const atMg = (await armList(
      asController,
      `${MG}${AUTH}/roleAssignments?$filter=${filter}`,
      "2022-04-01",
    )) as Array<{
      properties: { scope: string; roleDefinitionId: string };
    }>;
    expect(atMg.map((x) => x.properties)).toEqual([
      expect.objectContaining({
        scope: MG,
        roleDefinitionId: `${AUTH}/roleDefinitions/4d97b98b-1d4f-4787-a291-c67834d212e7`,
      }),
    ]);
    const subnet = `/subscriptions/${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet`;
    const atSubnet = (await armList(
      a,
      `${subnet}${AUTH}/roleAssignments?$filter=${filter}`,
      "2022-04-01",
    )) as Array<{
      properties: { scope: string };
    }>;
    expect(atSubnet.map((x) => x.properties.scope)).toEqual([MG]);
  });
});

describe("a service-principal cluster", () => {
  const w = defaultWorld();
  if (w.managedClusters[0]) w.managedClusters[0].controlPlaneIdentityType = "ServicePrincipal";
  const t = useSandbox({ world: w, controller: false });
  it("shows no identity, its app id in servicePrincipalProfile", async () => {
    const c = await getCluster(await flowContext(t.env).ctx.azure(), SUB, "rg-aks", "aks-demo");
    const ctl = t.sb.world.identities.find((i) => i.name === "aks-controller");
    expect(c.controlPlane).toEqual({
      kind: "ServicePrincipal",
      principalId: undefined,
      clientId: ctl?.clientId,
    });
    expect(c.identityPrincipalId).toBeUndefined();
  });
});

describe("a subnet with a network security group in another resource group", () => {
  const w = defaultWorld();
  w.resourceGroups.push({ subscriptionId: SUB, name: "rg-hub", location: "westeurope" });
  const nsg = `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/networkSecurityGroups/nsg-spoke`;
  const subnet = w.virtualNetworks[0]?.subnets.find((s) => s.name === "pls-nat-subnet");
  if (subnet) subnet.networkSecurityGroup = nsg;
  const t = useSandbox({ world: w, controller: false });
  const write = (identity: string) =>
    networkAs(t.sb, identity).subnets.createOrUpdate(
      "rg-aks",
      "aks-vnet",
      "pls-nat-subnet",
      {
        addressPrefix: "10.225.0.0/24",
        networkSecurityGroup: { id: nsg },
        privateLinkServiceNetworkPolicies: "Disabled",
      },
      { updateIntervalInMs: 10 },
    );

  it("a write of it needs networkSecurityGroups/join/action on the NSG (403 LinkedAuthorizationFailed)", async () => {
    const err = await write("aks-controller").then(
      () => undefined,
      (e: { statusCode?: number; code?: string; message: string }) => e,
    );
    expect(err?.statusCode).toBe(403);
    expect(err?.code).toBe("LinkedAuthorizationFailed");
    expect(err?.message).toContain(
      `'Microsoft.Network/networkSecurityGroups/join/action' on the linked scope(s) '${nsg}'`,
    );
  });

  it("with a role over the NSG's resource group (Contributor on the subscription) it goes through", async () => {
    const s = await write("provider");
    expect(s.networkSecurityGroup?.id).toBe(nsg);
  });
});
