/**
 * doctor's cluster-identity check in landing zones (worlds built from defaultWorld()): a
 * user-assigned control-plane identity, a service principal (its object id through
 * --cluster-identity), Network Contributor at management-group scope, a NAT subnet whose PLS
 * network policies are already Disabled (no subnet write needed), the join/actions for an NSG,
 * route table and NAT gateway on the subnet, and loadBalancingRules/read on the load balancer.
 */
import { describe, expect, it } from "vitest";
import { defaultWorld, type IdentitySpec, type WorldSpec } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";

const SUB_ID = "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const SUB = `/subscriptions/${SUB_ID}`;
const SUBNET = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/pls-nat-subnet`;
const HUB = `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network`;
const MG = "/providers/Microsoft.Management/managementGroups/contoso-corp";

function world(change: (w: WorldSpec, ctl: IdentitySpec) => void): WorldSpec {
  const w = defaultWorld();
  const ctl = w.identities.find((i) => i.name === "aks-controller");
  if (!ctl) throw new Error("no controller identity");
  change(w, ctl);
  return w;
}

const cluster = (w: WorldSpec) => {
  const mc = w.managedClusters[0];
  if (!mc) throw new Error("no cluster");
  return mc;
};

const natSubnet = (w: WorldSpec) => {
  const s = w.virtualNetworks[0]?.subnets.find((x) => x.name === "pls-nat-subnet");
  if (!s) throw new Error("no pls-nat-subnet");
  return s;
};

interface Check {
  id: string;
  status: string;
  detail: string;
  fix: string;
}

async function doctor(env: Record<string, string>, extra: string[] = []) {
  const r = await runCli(["doctor", "--nat-subnet", "pls-nat-subnet", ...extra, "-o", "json"], { env });
  const checks = JSON.parse(r.stdout).checks as Check[];
  return { code: r.code, rbac: checks.find((c) => c.id === "rbac.cluster-identity"), checks };
}

describe("a user-assigned control-plane identity", () => {
  const t = useSandbox({
    world: world((w) => {
      cluster(w).controlPlaneIdentityType = "UserAssigned";
    }),
    controller: false,
  });
  it("is read from identity.userAssignedIdentities and evaluated (PASS)", async () => {
    const ctl = t.sb.world.identities.find((i) => i.name === "aks-controller");
    const r = await doctor(t.env);
    expect(r.rbac).toMatchObject({ status: "pass", detail: expect.stringContaining(ctl?.objectId ?? "?") });
  });
});

describe("a service-principal cluster", () => {
  const t = useSandbox({
    world: world((w) => {
      cluster(w).controlPlaneIdentityType = "ServicePrincipal";
    }),
    controller: false,
  });
  const ctl = () => t.sb.world.identities.find((i) => i.name === "aks-controller");

  it("WARNs naming the app id and how to get its object id (not 'cluster not found')", async () => {
    const r = await doctor(t.env);
    expect(r.rbac?.status).toBe("warn");
    expect(r.rbac?.detail).toContain(`service principal ${ctl()?.clientId}`);
    expect(r.rbac?.detail).not.toContain("not found");
    expect(r.rbac?.fix).toContain(
      `--cluster-identity $(az ad sp show --id ${ctl()?.clientId} --query id -o tsv)`,
    );
  });

  it("with --cluster-identity <object id>: evaluated (PASS)", async () => {
    const r = await doctor(t.env, ["--cluster-identity", ctl()?.objectId ?? ""]);
    expect(r.rbac?.status).toBe("pass");
  });

  it("--cluster-identity that is not a GUID is refused (exit 2)", async () => {
    const r = await runCli(["doctor", "--cluster-identity", "my-app"], { env: t.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not an object id");
  });
});

describe("Network Contributor at management-group scope", () => {
  const t = useSandbox({
    world: world((w, ctl) => {
      w.managementGroups = [
        {
          name: "contoso-corp",
          displayName: "Contoso corp",
          tenantId: ctl.tenantId,
          subscriptions: [SUB_ID],
        },
      ];
      ctl.roleAssignments = [
        ...ctl.roleAssignments.filter((a) => a.role !== "Network Contributor"),
        { role: "Network Contributor", scope: MG },
      ];
    }),
    controller: false,
  });
  it("applies to the subscription's subnet (PASS, naming the assignment)", async () => {
    const r = await doctor(t.env);
    expect(r.code, JSON.stringify(r.checks)).toBe(0);
    expect(r.rbac).toMatchObject({
      status: "pass",
      detail: expect.stringContaining(`Network Contributor at ${MG}`),
    });
  });
});

describe("a NAT subnet whose PLS network policies are already Disabled", () => {
  const subnetOnly = (w: WorldSpec, ctl: IdentitySpec) => {
    w.roles?.push({
      name: "Subnet Joiner",
      actions: [
        "Microsoft.Network/virtualNetworks/subnets/read",
        "Microsoft.Network/virtualNetworks/subnets/join/action",
      ],
    });
    ctl.roleAssignments = [
      ...ctl.roleAssignments.filter((a) => a.role !== "Network Contributor"),
      { role: "Subnet Joiner", scope: SUBNET },
    ];
  };
  const t = useSandbox({
    world: world((w, ctl) => {
      subnetOnly(w, ctl);
      natSubnet(w).privateLinkServiceNetworkPolicies = "Disabled";
    }),
    controller: false,
  });
  it("does not require subnets/write: the controller writes the subnet only to disable them (PASS)", async () => {
    const r = await doctor(t.env);
    expect(r.rbac?.status, r.rbac?.detail).toBe("pass");
    expect(r.checks.find((c) => c.id === "nat.network-policies")?.status).toBe("pass");
  });
});

describe("an NSG, a route table and a NAT gateway on the NAT subnet, in a resource group the identity has no role in", () => {
  const t = useSandbox({
    world: world((w) => {
      w.resourceGroups.push({ subscriptionId: SUB_ID, name: "rg-hub", location: "westeurope" });
      Object.assign(natSubnet(w), {
        networkSecurityGroup: `${HUB}/networkSecurityGroups/nsg-spoke`,
        routeTable: `${HUB}/routeTables/rt-spoke`,
        natGateway: `${HUB}/natGateways/ng-spoke`,
      });
    }),
    controller: false,
  });
  it("FAILs naming each join/action and its scope", async () => {
    const r = await doctor(t.env);
    expect(r.rbac?.status).toBe("fail");
    for (const [action, id] of [
      ["networkSecurityGroups/join/action", "networkSecurityGroups/nsg-spoke"],
      ["routeTables/join/action", "routeTables/rt-spoke"],
      ["natGateways/join/action", "natGateways/ng-spoke"],
    ]) {
      expect(r.rbac?.detail).toContain(`Microsoft.Network/${action} on ${HUB}/${id}`);
    }
    expect(r.rbac?.fix).toContain(`--scope ${HUB}/networkSecurityGroups/nsg-spoke`);
    // So the controller cannot disable the subnet's policies either.
    expect(r.checks.find((c) => c.id === "nat.network-policies")?.status).toBe("fail");
  });
});

describe("a role on the node resource group without loadBalancingRules/read", () => {
  const t = useSandbox({
    world: world((w, ctl) => {
      w.roles?.push({
        name: "LB Writer",
        actions: ["Microsoft.Network/loadBalancers/write", "Microsoft.Network/privateLinkServices/*"],
      });
      ctl.roleAssignments = ctl.roleAssignments.map((a) =>
        a.role === "Contributor" ? { ...a, role: "LB Writer" } : a,
      );
    }),
    controller: false,
  });
  it("FAILs naming Microsoft.Network/loadBalancers/loadBalancingRules/read", async () => {
    const r = await doctor(t.env);
    expect(r.rbac?.status).toBe("fail");
    expect(r.rbac?.detail).toContain("Microsoft.Network/loadBalancers/loadBalancingRules/read on");
  });
});
