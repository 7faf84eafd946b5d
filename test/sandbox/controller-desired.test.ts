import { describe, expect, it } from "vitest";
import { ANN } from "../../src/sandbox/controller/annotations.js";
import { buildDesiredPls, type DesiredInput, type PlsWire } from "../../src/sandbox/controller/desired.js";
import {
  azcoreErrorText,
  MSG,
  syncFailedCheck,
  syncFailedDelete,
  syncFailedEnsure,
} from "../../src/sandbox/controller/messages.js";
import {
  defaultPlsName,
  frontendName,
  lbRuleName,
  loadBalancerName,
  plsIpConfigName,
} from "../../src/sandbox/controller/names.js";
import { backoffDelay, createWorkQueue } from "../../src/sandbox/controller/queue.js";

const UID = "594a43c3-f833-4899-8714-866bd330823f";
const FIP =
  "/subscriptions/s/resourceGroups/MC_x/providers/Microsoft.Network/loadBalancers/kubernetes-internal/frontendIPConfigurations/a594a43c3f83348998714866bd330823";
const SUBNET = {
  id: "/subscriptions/s/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet",
  name: "aks-subnet",
};

function input(
  annotations: Record<string, string>,
  existing?: PlsWire,
  plsName = "pls-a594a43c3f83348998714866bd330823",
): DesiredInput {
  return {
    existing,
    plsName,
    location: "westeurope",
    clusterName: "kubernetes",
    serviceKey: "default/web",
    annotations: { [ANN.plsCreate]: "true", ...annotations },
    frontendId: FIP,
    natSubnet: SUBNET,
  };
}

describe("names", () => {
  it("frontend, LB and default PLS names", () => {
    expect(frontendName(UID)).toBe("a594a43c3f83348998714866bd330823");
    expect(frontendName(UID, "apps")).toBe("a594a43c3f83348998714866bd330823-apps");
    expect(defaultPlsName(frontendName(UID))).toBe("pls-a594a43c3f83348998714866bd330823");
    expect(loadBalancerName({ clusterName: "kubernetes" }, true)).toBe("kubernetes-internal");
    expect(loadBalancerName({ clusterName: "kubernetes", loadBalancerName: "lb" }, false)).toBe("lb");
  });
  it("long internal-subnet frontend names are cut to 75, a trailing non-letter becomes _", () => {
    const n = frontendName(UID, `${"s".repeat(40)}-9xyz`);
    expect(n).toHaveLength(75);
    expect(n.endsWith("s-_")).toBe(true);
    const letters = frontendName(UID, "x".repeat(60));
    expect(letters).toHaveLength(75);
    expect(letters.endsWith("x")).toBe(true);
  });
  it("ipConfig names cut the prefix so the whole fits in 80 (upstream test example)", () => {
    const name = plsIpConfigName("subnet", "12345678".repeat(10), "-static-10.2.0.5");
    expect(name).toBe(`subnet-${"12345678".repeat(7)}1-static-10.2.0.5`);
    expect(name).toHaveLength(80);
    expect(() => plsIpConfigName("s", "p", "x".repeat(80))).toThrow(
      `reconcilePLSIpConfigs: frontend ipConfig suffix ${"x".repeat(80)} is too long (not likely to happen)`,
    );
  });
  it("rule names", () => {
    expect(lbRuleName(UID, "TCP", 80)).toBe("a594a43c3f83348998714866bd330823-TCP-80");
    expect(lbRuleName(UID, "TCP", 80, "apps")).toBe("a594a43c3f83348998714866bd330823-apps-TCP-80");
  });
});

describe("desired PLS", () => {
  it("a new PLS matches the reference's example PUT body", () => {
    const d = buildDesiredPls(input({}));
    expect(d.dirty).toBe(true);
    expect(d.body).toEqual({
      name: "pls-a594a43c3f83348998714866bd330823",
      location: "westeurope",
      tags: { "k8s-azure-cluster-name": "kubernetes", "k8s-azure-owner-service": "default/web" },
      properties: {
        loadBalancerFrontendIpConfigurations: [{ id: FIP }],
        ipConfigurations: [
          {
            name: "aks-subnet-pls-a594a43c3f83348998714866bd330823-dynamic-0",
            properties: {
              privateIPAllocationMethod: "Dynamic",
              subnet: { id: SUBNET.id },
              primary: true,
              privateIPAddressVersion: "IPv4",
            },
          },
        ],
      },
    });
  });

  it("static IPs first (first listed is primary), then dynamic ones; all properties", () => {
    const d = buildDesiredPls(
      input({
        [ANN.plsIpCount]: "3",
        [ANN.plsIps]: "10.224.0.20 10.224.0.21",
        [ANN.plsFqdns]: "a.example.com",
        [ANN.plsProxyProtocol]: "true",
        [ANN.plsVisibility]: "sub-1 sub-2",
        [ANN.plsAutoApproval]: "sub-1",
      }),
    );
    const cfgs = d.body.properties?.ipConfigurations ?? [];
    expect(cfgs.map((c) => [c.name, c.properties?.privateIPAllocationMethod, c.properties?.primary])).toEqual(
      [
        ["aks-subnet-pls-a594a43c3f83348998714866bd330823-static-10.224.0.20", "Static", true],
        ["aks-subnet-pls-a594a43c3f83348998714866bd330823-static-10.224.0.21", "Static", false],
        ["aks-subnet-pls-a594a43c3f83348998714866bd330823-dynamic-0", "Dynamic", false],
      ],
    );
    expect(d.body.properties?.enableProxyProtocol).toBe(true);
    expect(d.body.properties?.fqdns).toEqual(["a.example.com"]);
    expect(d.body.properties?.visibility).toEqual({ subscriptions: ["sub-1", "sub-2"] });
    expect(d.body.properties?.autoApproval).toEqual({ subscriptions: ["sub-1"] });
  });

  it("static IPs above the count fail with the real message", () => {
    expect(() => buildDesiredPls(input({ [ANN.plsIps]: "10.0.0.1 10.0.0.2" }))).toThrow(
      "checkAndUpdatePLSIPConfigs: ipConfigCount(1) must be no smaller than number of static IPs specified(2)",
    );
  });

  it("an unchanged PLS is not dirty; each change makes it dirty", () => {
    const first = buildDesiredPls(input({ [ANN.plsFqdns]: "b a" }));
    const existing: PlsWire = {
      ...first.body,
      id: "/x/pls",
      properties: { ...first.body.properties, provisioningState: "Succeeded" },
    };
    expect(buildDesiredPls(input({ [ANN.plsFqdns]: "a b" }, existing)).dirty).toBe(false);
    expect(buildDesiredPls(input({ [ANN.plsFqdns]: "a" }, existing)).dirty).toBe(true);
    expect(
      buildDesiredPls(input({ [ANN.plsFqdns]: "a b", [ANN.plsProxyProtocol]: "true" }, existing)).dirty,
    ).toBe(true);
    expect(buildDesiredPls(input({ [ANN.plsFqdns]: "a b", [ANN.plsIpCount]: "2" }, existing)).dirty).toBe(
      true,
    );
    expect(buildDesiredPls(input({ [ANN.plsFqdns]: "a b", [ANN.plsVisibility]: "*" }, existing)).dirty).toBe(
      true,
    );
    const failed = { ...existing, properties: { ...existing.properties, provisioningState: "Failed" } };
    expect(buildDesiredPls(input({ [ANN.plsFqdns]: "a b" }, failed)).dirty).toBe(true);
  });

  it("keeps existing tags and owner values, adds missing ones", () => {
    const existing: PlsWire = {
      name: "pls-a594a43c3f83348998714866bd330823",
      location: "westeurope",
      tags: { team: "x", "k8s-azure-cluster-name": "KUBERNETES", "k8s-azure-owner-service": "Default/Web" },
      properties: buildDesiredPls(input({})).body.properties ?? {},
    };
    const d = buildDesiredPls(input({}, existing));
    expect(d.dirty).toBe(false);
    expect(d.body.tags).toEqual(existing.tags);
  });
});

describe("messages", () => {
  it("event templates", () => {
    expect(syncFailedEnsure(MSG.ipv6()).message).toBe(
      "Error syncing load balancer: failed to ensure load balancer: IPv6 is not supported for private link service",
    );
    expect(syncFailedCheck("x").message).toBe(
      "Error syncing load balancer: failed to check if load balancer exists before cleanup: x",
    );
    expect(syncFailedDelete("x")).toEqual({
      type: "Warning",
      reason: "SyncLoadBalancerFailed",
      message: "Error syncing load balancer: failed to delete load balancer: x",
    });
  });
  it("error templates", () => {
    expect(MSG.floatingIp("default/web")).toBe(
      "reconcilePrivateLinkService for service(default/web): service requiring private link service must be internal or disable floating ip",
    );
    expect(MSG.unmanaged("default/web", "fip", "plsid")).toBe(
      "reconcilePrivateLinkService for service(default/web) failed: LB frontend(fip) already has unmanaged private link service(plsid)",
    );
    expect(MSG.ownedBy("default/b", "fip", "pls-x", "default/a")).toBe(
      "reconcilePrivateLinkService for service(default/b) failed: LB frontend(fip) already has existing private link service(pls-x) owned by service(default/a)",
    );
    expect(MSG.rename("default/web", "old", "new")).toBe(
      "getPrivateLinkServiceName(default/web) failed: cannot change existing private link service name (old) to (new)",
    );
    expect(MSG.natSubnetMissing("nat", "default/web")).toBe(
      "checkAndUpdatePLSIPConfigs: failed to get private link service subnet(nat) for service(default/web)",
    );
    expect(MSG.policySubnetMissing("nat", "default/web")).toBe(
      "disablePLSNetworkPolicy: failed to get private link service subnet(nat) for service(default/web)",
    );
    expect(MSG.lbSubnetMissing("default/web", "kubernetes-internal", "aks-vnet", "apps")).toBe(
      "ensure(default/web): lb(kubernetes-internal) - failed to get subnet: aks-vnet/apps",
    );
    expect(MSG.putPls("e")).toBe("create or update PLS: e");
    expect(MSG.getPls("e")).toBe("get PLS: e");
    expect(MSG.deletePls("e")).toBe("delete PLS: e");
    expect(MSG.deletePeConnection("e")).toBe("delete PLS PE connection: e");
  });
  it("azcore ResponseError text", () => {
    const body = JSON.stringify({ error: { code: "InvalidResourceName", message: "bad" } });
    const dashes = "-".repeat(80);
    expect(
      azcoreErrorText("PUT", "https://127.0.0.1:9/subscriptions/s/x?api-version=2026-01-01", 400, body),
    ).toBe(
      [
        "PUT https://127.0.0.1:9/subscriptions/s/x",
        dashes,
        "RESPONSE 400: 400 Bad Request",
        "ERROR CODE: InvalidResourceName",
        dashes,
        '{\n  "error": {\n    "code": "InvalidResourceName",\n    "message": "bad"\n  }\n}',
        dashes,
        "",
      ].join("\n"),
    );
    expect(azcoreErrorText("GET", "https://h/p", 500, "")).toContain("ERROR CODE UNAVAILABLE\n");
  });
});

describe("work queue", () => {
  it("backoff doubles from the base up to the cap", () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 5000, 300_000))).toEqual([
      5000, 10000, 20000, 40000, 300000,
    ]);
  });
  it("runs one key at a time, retries failures with backoff, idle() waits", async () => {
    const calls: string[] = [];
    let active = 0;
    let maxActive = 0;
    let failuresLeft = 2;
    const q = createWorkQueue({
      baseMs: 1,
      maxMs: 4,
      async process(key) {
        active++;
        maxActive = Math.max(maxActive, active);
        calls.push(key);
        await new Promise((r) => setTimeout(r, 2));
        active--;
        if (key === "b" && failuresLeft > 0) {
          failuresLeft--;
          return false;
        }
        return true;
      },
    });
    q.add("a");
    q.add("b");
    q.add("a");
    await q.idle();
    expect(calls.slice(0, 2)).toEqual(["a", "b"]);
    expect(q.failures("b")).toBe(1);
    for (let i = 0; i < 50 && q.failures("b") > 0; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await q.idle();
    }
    expect(calls.filter((c) => c === "b")).toHaveLength(3);
    expect(q.failures("b")).toBe(0);
    expect(maxActive).toBe(1);
    await q.stop();
  });
});
