/**
 * Failure paths of the simulated AKS cloud controller through the real emulators: every invalid
 * annotation gives the reference's `SyncLoadBalancerFailed` message, no PLS and no ingress IP; ARM
 * errors carry azcore's text; rename, ownership and sharing rules; recovery once fixed.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArmClient } from "../../src/sandbox/controller/arm-client.js";
import { armAs, coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import {
  A,
  annotate,
  createService,
  eventsOf,
  frontendOf,
  INTERNAL,
  ingressOf,
  internalLb,
  PLS_CREATE,
  plsIn,
  rgPath,
} from "./helpers/services.js";

let sb: TestSandbox;
let core: CoreV1Api;
let arm: ArmClient;

beforeAll(async () => {
  // A long backoff: each failing Service is tried once per idle() unless something changes.
  sb = await startTestSandbox({ retry: { baseMs: 60_000, maxMs: 60_000 } });
  core = coreApi(sb);
  arm = armAs(sb);
});
afterAll(async () => {
  await sb?.close();
});

const PREFIX = "Error syncing load balancer: failed to ensure load balancer: ";

async function failures(name: string): Promise<string[]> {
  return (await eventsOf(core, name))
    .filter((e) => e.reason === "SyncLoadBalancerFailed")
    .map((e) => e.message ?? "");
}

async function ingress(name: string) {
  return ingressOf(await core.readNamespacedService({ name, namespace: "default" }));
}

describe("invalid annotations", () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      "count-zero",
      { [`${A}azure-pls-ip-configuration-ip-address-count`]: "0" },
      "error parsing value: minimum number of private link service ipConfig is 1, 0 provided",
    ],
    [
      "count-nine",
      { [`${A}azure-pls-ip-configuration-ip-address-count`]: "9" },
      "error parsing value: maximum number of private link service ipConfig is 8, 9 provided",
    ],
    [
      "count-text",
      { [`${A}azure-pls-ip-configuration-ip-address-count`]: " two " },
      'error value: strconv.ParseInt: parsing "two": invalid syntax: two value must be a whole number',
    ],
    [
      "bad-ip",
      { [`${A}azure-pls-ip-configuration-ip-address`]: "10.224.9.300" },
      "getPLSStaticIPs: 10.224.9.300 is not a valid IP address",
    ],
    [
      "v6-ip",
      { [`${A}azure-pls-ip-configuration-ip-address`]: "fd00::7" },
      "getPLSStaticIPs: private link service ip config only supports IPv4, fd00::7 provided",
    ],
    [
      "too-many-ips",
      { [`${A}azure-pls-ip-configuration-ip-address`]: "10.224.9.1 10.224.9.2" },
      "checkAndUpdatePLSIPConfigs: ipConfigCount(1) must be no smaller than number of static IPs specified(2)",
    ],
    [
      "no-nat-subnet",
      { [`${A}azure-pls-ip-configuration-subnet`]: "missing-subnet" },
      "checkAndUpdatePLSIPConfigs: failed to get private link service subnet(missing-subnet) for service(default/no-nat-subnet)",
    ],
    [
      "no-ilb-subnet",
      { [`${A}azure-load-balancer-internal-subnet`]: "missing-subnet" },
      "ensure(default/no-ilb-subnet): lb(kubernetes-internal) - failed to get subnet: aks-vnet/missing-subnet",
    ],
  ];
  for (const [name, annotations, message] of cases) {
    it(`${name}: ${message.slice(0, 60)}…`, async () => {
      await createService(core, name, { ...PLS_CREATE, ...annotations });
      await sb.controller.idle();
      expect(await failures(name)).toEqual([PREFIX + message]);
      const reasons = (await eventsOf(core, name)).map((e) => e.reason);
      expect(reasons).toEqual(["EnsuringLoadBalancer", "SyncLoadBalancerFailed"]);
      expect(await ingress(name)).toBeUndefined();
      expect(
        (await plsIn(arm, sb)).filter((p) => p.tags?.["k8s-azure-owner-service"] === `default/${name}`),
      ).toEqual([]);
    });
  }

  it("an external Service (internal annotation 'True' is not 'true') with floating IP fails the gate", async () => {
    await createService(core, "ext-case", {
      [`${A}azure-load-balancer-internal`]: "True",
      [`${A}azure-pls-create`]: "true",
    });
    await sb.controller.idle();
    expect(await failures("ext-case")).toEqual([
      `${PREFIX}reconcilePrivateLinkService for service(default/ext-case): service requiring private link service must be internal or disable floating ip`,
    ]);
    expect(await ingress("ext-case")).toBeUndefined();
  });

  it("a single-stack IPv6 Service is refused", async () => {
    await createService(core, "v6-svc", PLS_CREATE, { ipFamilies: ["IPv6"], ipFamilyPolicy: "SingleStack" });
    await sb.controller.idle();
    expect(await failures("v6-svc")).toEqual([`${PREFIX}IPv6 is not supported for private link service`]);
  });

  it("fixing the annotation recovers: PLS created, then the ingress IP", async () => {
    await annotate(core, "count-zero", { [`${A}azure-pls-ip-configuration-ip-address-count`]: "2" });
    await sb.controller.idle();
    const pls = (await plsIn(arm, sb)).find(
      (p) => p.tags?.["k8s-azure-owner-service"] === "default/count-zero",
    );
    expect(pls?.properties.ipConfigurations).toHaveLength(2);
    expect(await ingress("count-zero")).toMatch(/^10\.224\./);
    const reasons = (await eventsOf(core, "count-zero")).map((e) => e.reason);
    expect(reasons.at(-1)).toBe("EnsuredLoadBalancer");
  });
});

describe("ARM failures", () => {
  it("an ARM 4xx on the PLS PUT surfaces as azcore text; no ingress IP until the PLS succeeds", async () => {
    // A PLS name Azure rejects (it must end with a word character or '_').
    const svc = await createService(core, "badname", { ...PLS_CREATE, [`${A}azure-pls-name`]: "bad-name-" });
    await sb.controller.idle();
    const [msg] = await failures("badname");
    const path = `${rgPath(sb, sb.cluster.nodeResourceGroup)}/providers/Microsoft.Network/privateLinkServices/bad-name-`;
    expect(msg).toContain(`${PREFIX}create or update PLS: PUT ${sb.arm.url}${path}\n${"-".repeat(80)}\n`);
    expect(msg).toContain("RESPONSE 400: 400 Bad Request\nERROR CODE: InvalidResourceName\n");
    expect(await ingress("badname")).toBeUndefined();
    // The frontend exists already (LB reconcile ran before the PLS step).
    const lb = await internalLb(arm, sb);
    expect(lb?.properties.frontendIPConfigurations.map((f) => f.name)).toContain(frontendOf(svc));
    await annotate(core, "badname", { [`${A}azure-pls-name`]: "good-name" });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).toContain("good-name");
    expect(await ingress("badname")).toMatch(/^10\.224\./);
  });
});

describe("resource group and name edge cases", () => {
  it("an empty azure-pls-name is not validated locally; the client refuses the empty path parameter", async () => {
    await createService(core, "emptyname", { ...PLS_CREATE, [`${A}azure-pls-name`]: "  " });
    await sb.controller.idle();
    expect(await failures("emptyname")).toEqual([
      `${PREFIX}create or update PLS: parameter serviceName cannot be empty`,
    ]);
  });

  it("changing azure-pls-resource-group tries a second PLS on the same frontend, which Azure refuses", async () => {
    const svc = await createService(core, "rgmove", PLS_CREATE);
    await sb.controller.idle();
    const name = `pls-${frontendOf(svc)}`;
    await annotate(core, "rgmove", { [`${A}azure-pls-resource-group`]: "rg-aks" });
    await sb.controller.idle();
    const [msg] = await failures("rgmove");
    expect(msg).toContain(
      `${PREFIX}create or update PLS: PUT ${sb.arm.url}${rgPath(sb, "rg-aks")}/providers/Microsoft.Network/privateLinkServices/${name}\n`,
    );
    expect(msg).toContain(
      "ERROR CODE: LoadBalancerFrontendIpConfigurationAlreadyReferencedByAnotherPrivateLinkService\n",
    );
    expect((await plsIn(arm, sb)).map((p) => p.name)).toContain(name);
    expect((await plsIn(arm, sb, "rg-aks")).map((p) => p.name)).not.toContain(name);
  });
});

describe("ARM errors in the lookup", () => {
  it("a PLS resource group the cluster identity has no role on fails the lookup with azcore text", async () => {
    await createService(core, "norg", { ...PLS_CREATE, [`${A}azure-pls-resource-group`]: "rg-missing" });
    await sb.controller.idle();
    const [msg] = await failures("norg");
    expect(msg).toContain(
      `${PREFIX}get PLS: GET ${sb.arm.url}${rgPath(sb, "rg-missing")}/providers/Microsoft.Network/privateLinkServices\n${"-".repeat(80)}\nRESPONSE 403: 403 Forbidden\nERROR CODE: AuthorizationFailed\n`,
    );
    expect(await ingress("norg")).toBeUndefined();
  });
});

describe("external load balancer", () => {
  it("with floating IP disabled an external Service may have a PLS, on a frontend of LB kubernetes", async () => {
    const svc = await createService(core, "pub", {
      [`${A}azure-pls-create`]: "true",
      [`${A}azure-disable-load-balancer-floating-ip`]: "true",
    });
    await sb.controller.idle();
    expect(await failures("pub")).toEqual([]);
    const pls = (await plsIn(arm, sb)).find((p) => p.name === `pls-${frontendOf(svc)}`);
    expect(pls?.properties.loadBalancerFrontendIpConfigurations[0]?.id).toMatch(
      new RegExp(`/loadBalancers/kubernetes/frontendIPConfigurations/${frontendOf(svc)}$`),
    );
    expect(await ingress("pub")).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await ingress("pub")).not.toMatch(/^10\./);
  });
});

describe("internal to external", () => {
  it("with floating IP the flip fails the gate and keeps the old frontend and PLS; without, the PLS name re-points", async () => {
    const svc = await createService(core, "flipper", PLS_CREATE);
    await sb.controller.idle();
    const fipName = frontendOf(svc);
    const plsName = `pls-${fipName}`;
    const internalIp = await ingress("flipper");
    expect(internalIp).toMatch(/^10\.224\./);

    await annotate(core, "flipper", { [`${A}azure-load-balancer-internal`]: null });
    await sb.controller.idle();
    expect((await failures("flipper")).at(-1)).toBe(
      `${PREFIX}reconcilePrivateLinkService for service(default/flipper): service requiring private link service must be internal or disable floating ip`,
    );
    expect((await internalLb(arm, sb))?.properties.frontendIPConfigurations.map((f) => f.name)).toContain(
      fipName,
    );
    expect(
      (await plsIn(arm, sb)).find((p) => p.name === plsName)?.properties
        .loadBalancerFrontendIpConfigurations[0]?.id,
    ).toMatch(/\/loadBalancers\/kubernetes-internal\//);
    expect(await ingress("flipper")).toBe(internalIp);

    await annotate(core, "flipper", { [`${A}azure-disable-load-balancer-floating-ip`]: "true" });
    await sb.controller.idle();
    const pls = (await plsIn(arm, sb)).filter((p) => p.name === plsName);
    expect(pls).toHaveLength(1);
    expect(pls[0]?.properties.loadBalancerFrontendIpConfigurations[0]?.id).toMatch(
      new RegExp(`/loadBalancers/kubernetes/frontendIPConfigurations/${fipName}$`),
    );
    expect(
      (await internalLb(arm, sb))?.properties.frontendIPConfigurations.map((f) => f.name) ?? [],
    ).not.toContain(fipName);
    const ip = await ingress("flipper");
    expect(ip).not.toBe(internalIp);
    expect(ip).not.toMatch(/^10\./);
  });
});

describe("names and ownership", () => {
  it("renaming an existing PLS is refused on every retry and changes nothing", async () => {
    const svc = await createService(core, "named", PLS_CREATE);
    await sb.controller.idle();
    const name = `pls-${frontendOf(svc)}`;
    await annotate(core, "named", { [`${A}azure-pls-name`]: "new-name" });
    await sb.controller.idle();
    expect(await failures("named")).toEqual([
      `${PREFIX}getPrivateLinkServiceName(default/named) failed: cannot change existing private link service name (${name}) to (new-name)`,
    ]);
    const names = (await plsIn(arm, sb)).map((p) => p.name);
    expect(names).toContain(name);
    expect(names).not.toContain("new-name");
  });

  it("a second Service on the same IP silently shares the PLS; with PLS config it is refused", async () => {
    const owner = await createService(core, "owner", PLS_CREATE);
    await sb.controller.idle();
    const ip = await ingress("owner");
    expect(ip).toBeDefined();
    const plsName = `pls-${frontendOf(owner)}`;
    const fipId = (await plsIn(arm, sb)).find((p) => p.name === plsName)?.properties
      .loadBalancerFrontendIpConfigurations[0]?.id;

    await createService(core, "sharer", PLS_CREATE, {
      loadBalancerIP: ip ?? "",
      ports: [{ name: "h", port: 81, protocol: "TCP" }],
    });
    await sb.controller.idle();
    expect(await failures("sharer")).toEqual([]);
    expect(await ingress("sharer")).toBe(ip);
    const shared = (await plsIn(arm, sb)).filter((p) => p.name === plsName);
    expect(shared).toHaveLength(1);
    expect(shared[0]?.tags?.["k8s-azure-owner-service"]).toBe("default/owner");

    await createService(
      core,
      "intruder",
      { ...PLS_CREATE, [`${A}azure-pls-fqdns`]: "x.contoso.com" },
      { loadBalancerIP: ip ?? "", ports: [{ name: "h", port: 82, protocol: "TCP" }] },
    );
    await sb.controller.idle();
    expect(await failures("intruder")).toEqual([
      `${PREFIX}reconcilePrivateLinkService for service(default/intruder) failed: LB frontend(${fipId}) already has existing private link service(${plsName}) owned by service(default/owner)`,
    ]);
    expect(await ingress("intruder")).toBeUndefined();
  });

  it("deleting the owner keeps a shared frontend and its PLS; the last Service's deletion removes both", async () => {
    const owner = await core.readNamespacedService({ name: "owner", namespace: "default" });
    const plsName = `pls-${frontendOf(owner)}`;
    await core.deleteNamespacedService({ name: "owner", namespace: "default" });
    await sb.controller.idle();
    const kept = (await plsIn(arm, sb)).find((p) => p.name === plsName);
    expect(kept?.tags?.["k8s-azure-owner-service"]).toBe("default/owner");
    const warning = (await eventsOf(core, "owner")).find(
      (e) => e.reason === "DeletingFrontendIPConfiguration",
    );
    expect(warning?.type).toBe("Warning");
    expect(warning?.message).toMatch(
      /^isFrontendIPConfigUnsafeToDelete: frontend IP configuration with ID \/subscriptions\/.+\/frontendIPConfigurations\/a[0-9a-f]{31} on LB \/subscriptions\/.+\/loadBalancers\/kubernetes-internal cannot be deleted because it is being referenced by load balancing rules of other services$/,
    );
    expect((await internalLb(arm, sb))?.properties.frontendIPConfigurations.map((f) => f.name)).toContain(
      frontendOf(owner),
    );
    await core.deleteNamespacedService({ name: "intruder", namespace: "default" });
    await core.deleteNamespacedService({ name: "sharer", namespace: "default" });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).not.toContain(plsName);
    expect((await internalLb(arm, sb))?.properties.frontendIPConfigurations.map((f) => f.name)).not.toContain(
      frontendOf(owner),
    );
    await expect(core.readNamespacedService({ name: "sharer", namespace: "default" })).rejects.toMatchObject({
      code: 404,
    });
  });

  it("a hand-made PLS on the frontend is unmanaged", async () => {
    const svc = await createService(core, "handmade", INTERNAL);
    await sb.controller.idle();
    const lb = await internalLb(arm, sb);
    const fip = lb?.properties.frontendIPConfigurations.find((f) => f.name === frontendOf(svc));
    const nat = `${rgPath(sb, "rg-aks")}/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/aks-subnet`;
    const plsPath = `${rgPath(sb, sb.cluster.nodeResourceGroup)}/providers/Microsoft.Network/privateLinkServices/manual-pls`;
    const made = await arm.put<{ id: string }>(plsPath, {
      location: "westeurope",
      properties: {
        loadBalancerFrontendIpConfigurations: [{ id: fip?.id }],
        ipConfigurations: [
          { name: "ipc", properties: { privateIPAllocationMethod: "Dynamic", subnet: { id: nat } } },
        ],
      },
    });
    await annotate(core, "handmade", { [`${A}azure-pls-create`]: "true" });
    await sb.controller.idle();
    expect(await failures("handmade")).toEqual([
      `${PREFIX}reconcilePrivateLinkService for service(default/handmade) failed: LB frontend(${fip?.id}) already has unmanaged private link service(${made.id})`,
    ]);
  });
});
