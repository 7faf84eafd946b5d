/** The pure rules behind expose's readiness and preflight: sync outcomes, expected PLS, NAT plan. */
import { describe, expect, it } from "vitest";
import { ANN } from "../../src/domain/annotations.js";
import {
  type ControllerEvent,
  controllerIdle,
  lastSync,
  warningsSinceLastSuccess,
} from "../../src/domain/controller-sync.js";
import { checkNatPlan, natPlan } from "../../src/domain/nat-plan.js";
import type { PlsView } from "../../src/domain/pls.js";
import { expectedPls, plsMismatches } from "../../src/domain/pls-match.js";

const ev = (name: string, reason: string, lastSeen: string, rv: string, count = 1): ControllerEvent => ({
  name,
  type: reason === "SyncLoadBalancerFailed" ? "Warning" : "Normal",
  reason,
  message: reason,
  count,
  lastSeen,
  resourceVersion: rv,
});
const T = "2026-01-01T10:00:00.000Z";

describe("sync outcome", () => {
  it("orders events of the same second by resourceVersion", () => {
    const ok = ev("a", "EnsuredLoadBalancer", T, "9");
    const failed = ev("b", "SyncLoadBalancerFailed", T, "10");
    expect(lastSync([failed, ok])?.reason).toBe("SyncLoadBalancerFailed");
    expect(warningsSinceLastSuccess([failed, ok])).toEqual([failed]);
    expect(warningsSinceLastSuccess([{ ...failed, resourceVersion: "8" }, ok])).toEqual([]);
  });

  it("after a change, counts only a sync that started after it", () => {
    const since = new Map([
      ["start", 3],
      ["fail", 2],
    ]);
    const late = [
      ev("start", "EnsuringLoadBalancer", T, "5", 3),
      ev("fail", "SyncLoadBalancerFailed", T, "6", 3),
    ];
    expect(lastSync(late, since)).toBeUndefined();
    const next = [
      ev("start", "EnsuringLoadBalancer", T, "7", 4),
      ev("fail", "SyncLoadBalancerFailed", T, "8", 4),
    ];
    expect(lastSync(next, since)?.reason).toBe("SyncLoadBalancerFailed");
  });

  it("the controller is idle when its latest outcome is newer than its latest start", () => {
    const start = ev("start", "EnsuringLoadBalancer", T, "5");
    const ok = ev("ok", "EnsuredLoadBalancer", T, "6");
    const failed = ev("fail", "SyncLoadBalancerFailed", T, "7");
    expect(controllerIdle([])).toBe(false); // not started, or its events expired
    expect(controllerIdle([start])).toBe(false); // a sync is running
    expect(controllerIdle([start, ok])).toBe(true);
    expect(controllerIdle([start, ok, failed])).toBe(true);
    // It failed and retries: the retry's start is newer than the failure.
    expect(controllerIdle([{ ...start, resourceVersion: "8", count: 2 }, failed])).toBe(false);
  });
});

const pls = (over: Partial<PlsView> = {}): PlsView => ({
  id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateLinkServices/p",
  name: "p",
  subscriptionId: "s",
  resourceGroup: "rg",
  location: "westeurope",
  alias: undefined,
  provisioningState: "Succeeded",
  visibility: [],
  autoApproval: [],
  fqdns: [],
  proxyProtocol: false,
  natIps: ["10.225.0.10"],
  natSubnetIds: [],
  natIpConfigurations: [
    { privateIp: "10.225.0.10", isStatic: true, primary: true, subnetId: "/x/subnets/pls-nat-subnet" },
  ],
  frontendIds: [],
  tags: {},
  connections: [],
  ...over,
});

describe("expected PLS", () => {
  it("compares every annotation, read as the controller reads it", () => {
    const a = {
      [ANN.plsNatSubnet]: "aks-subnet",
      [ANN.plsNatIps]: "10.225.0.10",
      [ANN.plsVisibility]: "x *",
      [ANN.plsFqdns]: "a.contoso.com",
    };
    expect(plsMismatches(expectedPls(a), pls())).toEqual(["NAT subnet aks-subnet", "FQDNs", "visibility"]);
    expect(plsMismatches(expectedPls({}), pls({ natIpConfigurations: [] }))).toEqual(["1 NAT IP"]);
  });
});

describe("NAT plan", () => {
  const facts = {
    vnet: "aks-vnet",
    subnets: [
      { name: "aks-subnet", prefixes: ["10.224.0.0/16"] },
      { name: "pls-nat-subnet", prefixes: ["10.225.0.0/24"] },
    ],
    defaultSubnet: "aks-subnet",
    used: new Map([["10.225.0.9", "Private Link Service other"]]),
  };

  it("is empty when nothing NAT-related changes", () => {
    expect(natPlan({ [ANN.plsNatSubnet]: "x" }, { [ANN.plsFqdns]: "a.b.c" })).toBeUndefined();
  });

  it.each([
    [{}, { [ANN.plsNatIps]: "10.224.0.255" }, /^$/],
    [{}, { [ANN.plsNatIps]: "10.224.255.255" }, /reserves/],
    [
      { [ANN.plsNatSubnet]: "pls-nat-subnet" },
      { [ANN.plsNatIps]: "10.225.0.9" },
      /in use .* by Private Link Service other/,
    ],
    [{ [ANN.plsNatIps]: "10.224.1.10" }, { [ANN.plsNatSubnet]: "aks-subnet" }, /^$/],
    [
      { [ANN.plsNatSubnet]: "pls-nat-subnet", [ANN.plsNatIps]: "10.225.0.10" },
      { [ANN.plsNatSubnet]: null },
      /strands/,
    ],
  ])("%j + %j", (before, changes, problem) => {
    const plan = natPlan(before, changes);
    expect(plan).toBeDefined();
    let message = "";
    try {
      checkNatPlan(plan as NonNullable<typeof plan>, facts);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(problem);
  });
});
