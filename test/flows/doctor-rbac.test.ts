/**
 * doctor's cluster-identity check against world variants built from defaultWorld(): no right on the
 * NAT subnet (FAIL naming the missing actions), a custom role with exactly the needed actions at the
 * subnet (PASS), and a caller who may not read role assignments (WARN naming what to grant).
 */
import { describe, expect, it } from "vitest";
import { defaultWorld, type WorldSpec } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";

const SUB = "/subscriptions/1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b";
const SUBNET = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/pls-nat-subnet`;
const CTL = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";

function world(change: (w: WorldSpec) => void): WorldSpec {
  const w = defaultWorld();
  change(w);
  return w;
}

const identity = (w: WorldSpec, name: string) => {
  const i = w.identities.find((x) => x.name === name);
  if (!i) throw new Error(name);
  return i;
};

/** The controller identity without its Network Contributor on rg-aks (where the VNet is). */
const withoutNetworkContributor = world((w) => {
  const ctl = identity(w, "aks-controller");
  ctl.roleAssignments = ctl.roleAssignments.filter((a) => a.role !== "Network Contributor");
});

/** …and instead a custom role with exactly the subnet actions, at the subnet. */
const withCustomRole = world((w) => {
  w.roles?.push({
    name: "PLS Subnet Operator",
    actions: [
      "Microsoft.Network/virtualNetworks/subnets/read",
      "Microsoft.Network/virtualNetworks/subnets/write",
      "Microsoft.Network/virtualNetworks/subnets/join/action",
    ],
  });
  const ctl = identity(w, "aks-controller");
  ctl.roleAssignments = [
    ...ctl.roleAssignments.filter((a) => a.role !== "Network Contributor"),
    { role: "PLS Subnet Operator", scope: SUBNET },
  ];
});

/** The operator may do its job but not read role assignments. */
const callerWithoutAuthorizationRead = world((w) => {
  w.roles?.push({
    name: "Network Operator",
    actions: [
      "Microsoft.Network/*",
      "Microsoft.ContainerService/managedClusters/read",
      "Microsoft.Resources/subscriptions/read",
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ],
  });
  identity(w, "provider").roleAssignments = [{ role: "Network Operator", scope: SUB }];
});

async function doctor(env: Record<string, string>) {
  const r = await runCli(["doctor", "--nat-subnet", "pls-nat-subnet", "-o", "json"], { env });
  const by = Object.fromEntries(
    (JSON.parse(r.stdout).checks as Array<{ id: string; status: string; detail: string; fix: string }>).map(
      (c) => [c.id, c],
    ),
  );
  return { code: r.code, by, stderr: r.stderr };
}

describe("the cluster identity has no right on the NAT subnet", () => {
  const t = useSandbox({ world: withoutNetworkContributor, controller: false });
  it("FAILs naming the missing actions, with the role assignment to create and that it takes time", async () => {
    const r = await doctor(t.env);
    expect(r.code).toBe(1);
    const c = r.by["rbac.cluster-identity"];
    expect(c?.status).toBe("fail");
    for (const a of ["subnets/read", "subnets/write", "subnets/join/action"]) {
      expect(c?.detail).toContain(`Microsoft.Network/virtualNetworks/${a}`);
    }
    expect(c?.detail).toContain(SUBNET);
    expect(c?.detail).not.toContain("loadBalancers/write"); // Contributor on the node resource group
    expect(c?.fix).toContain(
      `az role assignment create --assignee ${CTL} --role "Network Contributor" --scope ${SUBNET}`,
    );
    expect(c?.fix).toMatch(/take/);
    // The subnet's PLS network policies stay on: the controller cannot turn them off.
    expect(r.by["nat.network-policies"]).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("--disable-private-link-service-network-policies"),
    });
  });
});

describe("a custom role with exactly the needed actions at the subnet", () => {
  const t = useSandbox({ world: withCustomRole, controller: false });
  it("PASSes", async () => {
    const r = await doctor(t.env);
    expect(r.code, JSON.stringify(r.by)).toBe(0);
    expect(r.by["rbac.cluster-identity"]).toMatchObject({
      status: "pass",
      detail: expect.stringContaining("PLS Subnet Operator at"),
    });
    expect(r.by["nat.network-policies"]?.status).toBe("pass");
  });
});

describe("a caller who may not read role assignments", () => {
  const t = useSandbox({ world: callerWithoutAuthorizationRead, controller: false });
  it("WARNs (not a silent pass) naming what to grant the caller", async () => {
    const r = await doctor(t.env);
    expect(r.by["rbac.cluster-identity"]).toMatchObject({
      status: "warn",
      detail: expect.stringContaining("Microsoft.Authorization/roleAssignments/read"),
      fix: expect.stringContaining("--role Reader"),
    });
    expect(r.by["nat.network-policies"]?.status).toBe("warn");
    expect(r.code).toBe(0);
  });
});
