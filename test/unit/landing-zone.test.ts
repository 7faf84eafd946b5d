/**
 * Landing-zone rules without I/O: the approve 403 hint names the action ARM checks, a deny
 * assignment 403 (AKS lockdown or another) is named with its fix, management-group grants apply to
 * the subscription they were listed in, and which subnets the pods take their IPs from.
 */
import { describe, expect, it } from "vitest";
import { APPROVAL_ACTION } from "../../src/azure/connections.js";
import { azureError } from "../../src/azure/errors.js";
import { ExitCode } from "../../src/domain/errors.js";
import { natOnPodSubnet, podSubnets } from "../../src/domain/pod-subnet.js";
import { grantsFor } from "../../src/domain/rbac.js";

const restError = (statusCode: number, code: string, message: string) =>
  Object.assign(new Error(message), { name: "RestError", statusCode, code });

const PLS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/pls";

describe("the approve 403 hint", () => {
  it("names privateEndpointConnections/write, the action ARM authorizes the connection PUT on", () => {
    const e = azureError(restError(403, "AuthorizationFailed", "Forbidden."), "approve connection c of pls", {
      action: APPROVAL_ACTION,
      scope: PLS,
    });
    expect(e.exitCode).toBe(ExitCode.Auth);
    expect(e.message).toContain("'Microsoft.Network/privateLinkServices/privateEndpointConnections/write'");
    expect(e.hint).toContain("'Microsoft.Network/privateLinkServices/privateEndpointConnections/write'");
    expect(`${e.message} ${e.hint}`).not.toContain("privateEndpointConnectionsApproval");
  });
});

describe("a deny assignment 403", () => {
  const denied = (name: string) =>
    `The client 'c' with object id 'o' has permission to perform action 'Microsoft.Network/privateLinkServices/delete' on scope '${PLS}'; however, the access is denied because of the deny assignment with name '${name}' and Id 'abc' at scope '/subscriptions/s/resourcegroups/MC_rg_aks_westeurope'.`;

  it("AKS lockdown: named, exit 4, the fix is to move the PLS out (a role cannot override it)", () => {
    const e = azureError(
      restError(
        403,
        "DenyAssignmentAuthorizationFailed",
        denied(
          "kubernetes.azure.com/1/2: node resource group deny assignment created by Azure Kubernetes Services for nrg-lockdown, see: https://aka.ms/aks/nrg_lockdown",
        ),
      ),
      "delete Private Link Service pls",
    );
    expect(e.exitCode).toBe(ExitCode.Auth);
    expect(e.message).toBe(
      "Could not delete Private Link Service pls: the AKS node resource group lockdown deny assignment on MC_rg_aks_westeurope forbids 'Microsoft.Network/privateLinkServices/delete' for every principal but the cluster's own identities (DenyAssignmentAuthorizationFailed).",
    );
    expect(e.hint).toContain("cannot be overridden by any role assignment");
    expect(e.hint).toContain("--pls-resource-group <rg>");
    expect(e.hint).not.toContain("Ask an owner to grant a role");
  });

  it("another deny assignment: named by its name and scope, to be lifted by its owner", () => {
    const e = azureError(
      restError(
        403,
        "DenyAssignmentAuthorizationFailed",
        denied("Deny assignment 'x' created by Deployment Stack 'st'"),
      ),
      "delete Private Link Service pls",
    );
    expect(e.message).toContain("deny assignment 'Deny assignment 'x' created by Deployment Stack 'st''");
    expect(e.hint).toContain("cannot be overridden by any role assignment");
    expect(e.hint).not.toContain("--pls-resource-group");
  });
});

describe("grants at management-group scope", () => {
  const role = { roleName: "Network Contributor", actions: ["Microsoft.Network/*"], notActions: [] };
  const MG = "/providers/Microsoft.Management/managementGroups/corp";
  it("apply in the subscription whose atScope() list returned them, not elsewhere", () => {
    const g = [{ scope: MG, role, listedAt: "/subscriptions/s/resourceGroups/rg-aks" }];
    expect(
      grantsFor(g, "Microsoft.Network/virtualNetworks/subnets/write", "/subscriptions/s/resourceGroups/x"),
    ).toHaveLength(1);
    expect(
      grantsFor(g, "Microsoft.Network/virtualNetworks/subnets/write", "/subscriptions/t/resourceGroups/x"),
    ).toHaveLength(0);
  });
});

describe("the pods' subnets", () => {
  const nodes = ["/s/vnet/subnets/nodes"];
  it.each([
    [
      "Azure CNI, node-subnet mode",
      { networkPlugin: "azure", networkPluginMode: undefined, podSubnetIds: [] },
      nodes,
    ],
    [
      "Azure CNI with a pod subnet",
      { networkPlugin: "azure", networkPluginMode: undefined, podSubnetIds: ["/s/vnet/subnets/pods"] },
      ["/s/vnet/subnets/pods"],
    ],
    ["Azure CNI overlay", { networkPlugin: "azure", networkPluginMode: "overlay", podSubnetIds: [] }, []],
    ["kubenet", { networkPlugin: "kubenet", networkPluginMode: undefined, podSubnetIds: [] }, []],
  ])("%s", (_, n, want) => {
    expect(podSubnets({ ...n, nodeSubnetIds: nodes })).toEqual(want);
  });
  it("finds the NAT subnet among them, case-insensitively", () => {
    const n = {
      networkPlugin: "azure",
      networkPluginMode: undefined,
      podSubnetIds: [],
      nodeSubnetIds: nodes,
    };
    expect(natOnPodSubnet(["/S/VNET/subnets/NODES"], n)).toBe("/S/VNET/subnets/NODES");
    expect(natOnPodSubnet(["/s/vnet/subnets/nat"], n)).toBeUndefined();
  });
});
