/**
 * The simulated AKS cloud controller through the real emulators: Services created with client-node,
 * results read back from ARM. Happy paths and the lifecycle (annotation removal, deletion).
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArmClient } from "../../src/sandbox/controller/arm-client.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
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
  subnetOf,
} from "./helpers/services.js";

let sb: TestSandbox;
let core: CoreV1Api;
let arm: ArmClient;

beforeAll(async () => {
  sb = await startTestSandbox();
  core = coreApi(sb);
  arm = armAs(sb);
});
afterAll(async () => {
  await sb?.close();
});

const FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

describe("internal LoadBalancer Service", () => {
  it("gets a frontend on kubernetes-internal with an IP from the cluster subnet, then its ingress IP", async () => {
    const svc = await createService(core, "plain", INTERNAL);
    await sb.controller.idle();
    const lb = await internalLb(arm, sb);
    const fip = lb?.properties.frontendIPConfigurations.find((f) => f.name === frontendOf(svc));
    expect(fip?.properties.privateIPAddress).toMatch(/^10\.224\./);
    expect(fip?.properties.subnet?.id.toLowerCase()).toContain("/subnets/aks-subnet");
    expect(lb?.properties.loadBalancingRules.map((r) => r.name)).toContain(`${frontendOf(svc)}-TCP-80`);
    const got = await core.readNamespacedService({ name: "plain", namespace: "default" });
    expect(ingressOf(got)).toBe(fip?.properties.privateIPAddress);
    expect(got.metadata?.finalizers).toContain(FINALIZER);
    const events = await eventsOf(core, "plain");
    expect(events.map((e) => [e.type, e.reason, e.message, e.count])).toEqual([
      ["Normal", "EnsuringLoadBalancer", "Ensuring load balancer", 1],
      ["Normal", "EnsuredLoadBalancer", "Ensured load balancer", 1],
    ]);
    expect(await plsIn(arm, sb)).toHaveLength(0);
  });
});

describe("azure-pls-create", () => {
  it("creates pls-<frontend> with the owner tags, a dynamic NAT IP and the subnet policy disabled", async () => {
    expect((await subnetOf(arm, sb, "aks-subnet")).properties.privateLinkServiceNetworkPolicies).not.toBe(
      "Disabled",
    );
    const svc = await createService(core, "web", PLS_CREATE);
    await sb.controller.idle();
    const fipName = frontendOf(svc);
    const all = await plsIn(arm, sb);
    const pls = all.find((p) => p.name === `pls-${fipName}`);
    expect(pls).toBeDefined();
    if (!pls) return;
    expect(pls.tags).toEqual({
      "k8s-azure-cluster-name": "kubernetes",
      "k8s-azure-owner-service": "default/web",
    });
    expect(pls.location).toBe("westeurope");
    expect(pls.properties.provisioningState).toBe("Succeeded");
    expect(pls.properties.loadBalancerFrontendIpConfigurations[0]?.id.toLowerCase()).toBe(
      `${rgPath(sb, sb.cluster.nodeResourceGroup)}/providers/Microsoft.Network/loadBalancers/kubernetes-internal/frontendIPConfigurations/${fipName}`.toLowerCase(),
    );
    expect(pls.properties.ipConfigurations).toHaveLength(1);
    const ipc = pls.properties.ipConfigurations[0];
    expect(ipc?.name).toBe(`aks-subnet-pls-${fipName}-dynamic-0`);
    expect(ipc?.properties.privateIPAllocationMethod).toBe("Dynamic");
    expect(ipc?.properties.primary).toBe(true);
    expect(ipc?.properties.privateIPAddress).toMatch(/^10\.224\./);
    expect(pls.properties.enableProxyProtocol).toBe(false);
    expect(pls.properties.fqdns).toEqual([]);
    expect(pls.properties.visibility.subscriptions).toEqual([]);
    expect((await subnetOf(arm, sb, "aks-subnet")).properties.privateLinkServiceNetworkPolicies).toBe(
      "Disabled",
    );
    const got = await core.readNamespacedService({ name: "web", namespace: "default" });
    expect(ingressOf(got)).toMatch(/^10\.224\./);
  });

  it("a change that touches nothing in Azure re-syncs without writing to ARM", async () => {
    const ops = () => sb.arm.counters().byOperation;
    const before = { ...ops() };
    await annotate(core, "web", { "example.com/team": "payments" });
    await sb.controller.idle();
    const after = ops();
    for (const op of [
      "LoadBalancers_CreateOrUpdate",
      "PrivateLinkServices_CreateOrUpdate",
      "Subnets_CreateOrUpdate",
    ]) {
      expect(after[op] ?? 0).toBe(before[op] ?? 0);
    }
    expect(after.PrivateLinkServices_List ?? 0).toBeGreaterThan(before.PrivateLinkServices_List ?? 0);
    const events = await eventsOf(core, "web");
    expect(events.find((e) => e.reason === "EnsuredLoadBalancer")?.count).toBe(2);
  });

  it("applies every annotation: name, resource group, NAT subnet, count, static IPs, fqdns, proxy, visibility, auto-approval", async () => {
    const partner = DEFAULT_IDS.partnerSubscriptionId;
    await createService(core, "full", {
      ...PLS_CREATE,
      [`${A}azure-pls-name`]: " partner-api ",
      [`${A}azure-pls-resource-group`]: "rg-aks",
      [`${A}azure-pls-ip-configuration-subnet`]: "pls-nat-subnet",
      [`${A}azure-pls-ip-configuration-ip-address-count`]: "3",
      [`${A}azure-pls-ip-configuration-ip-address`]: "10.225.0.10 10.225.0.11",
      [`${A}azure-pls-fqdns`]: "api.contoso.com  api2.contoso.com",
      [`${A}azure-pls-proxy-protocol`]: "True",
      [`${A}azure-pls-visibility`]: `${partner} ${DEFAULT_IDS.providerSubscriptionId}`,
      [`${A}azure-pls-auto-approval`]: partner,
    });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).not.toContain("partner-api");
    const pls = (await plsIn(arm, sb, "rg-aks")).find((p) => p.name === "partner-api");
    expect(pls).toBeDefined();
    if (!pls) return;
    expect(pls.tags?.["k8s-azure-owner-service"]).toBe("default/full");
    const ipcs = pls.properties.ipConfigurations;
    expect(ipcs.map((c) => c.name)).toEqual([
      "pls-nat-subnet-partner-api-static-10.225.0.10",
      "pls-nat-subnet-partner-api-static-10.225.0.11",
      "pls-nat-subnet-partner-api-dynamic-0",
    ]);
    expect(ipcs.map((c) => c.properties.privateIPAddress).slice(0, 2)).toEqual([
      "10.225.0.10",
      "10.225.0.11",
    ]);
    expect(ipcs[2]?.properties.privateIPAddress).toMatch(/^10\.225\.0\./);
    expect(ipcs.map((c) => c.properties.primary)).toEqual([true, false, false]);
    expect(ipcs.every((c) => c.properties.subnet.id.toLowerCase().endsWith("/subnets/pls-nat-subnet"))).toBe(
      true,
    );
    expect(pls.properties.fqdns).toEqual(["api.contoso.com", "api2.contoso.com"]);
    expect(pls.properties.enableProxyProtocol).toBe(true);
    expect(pls.properties.visibility.subscriptions).toEqual([partner, DEFAULT_IDS.providerSubscriptionId]);
    expect(pls.properties.autoApproval.subscriptions).toEqual([partner]);
    expect((await subnetOf(arm, sb, "pls-nat-subnet")).properties.privateLinkServiceNetworkPolicies).toBe(
      "Disabled",
    );
    const got = await core.readNamespacedService({ name: "full", namespace: "default" });
    expect(ingressOf(got)).toMatch(/^10\.224\./);
  });

  it("an annotation change updates the PLS in place; removing azure-pls-create leaves it alone", async () => {
    await annotate(core, "full", {
      [`${A}azure-pls-fqdns`]: "api.contoso.com",
      [`${A}azure-pls-visibility`]: "*",
    });
    await sb.controller.idle();
    let pls = (await plsIn(arm, sb, "rg-aks")).find((p) => p.name === "partner-api");
    expect(pls?.properties.fqdns).toEqual(["api.contoso.com"]);
    expect(pls?.properties.visibility.subscriptions).toEqual(["*"]);
    await annotate(core, "full", {
      [`${A}azure-pls-create`]: null,
      [`${A}azure-pls-fqdns`]: "other.contoso.com",
    });
    await sb.controller.idle();
    pls = (await plsIn(arm, sb, "rg-aks")).find((p) => p.name === "partner-api");
    expect(pls?.properties.fqdns).toEqual(["api.contoso.com"]);
    const got = await core.readNamespacedService({ name: "full", namespace: "default" });
    expect(ingressOf(got)).toMatch(/^10\.224\./);
  });

  it("with azure-load-balancer-internal-subnet: frontend <base>-<subnet>, default PLS name and NAT subnet follow", async () => {
    const svc = await createService(core, "insub", {
      ...PLS_CREATE,
      [`${A}azure-load-balancer-internal-subnet`]: "pls-nat-subnet",
    });
    await sb.controller.idle();
    const fipName = frontendOf(svc, "pls-nat-subnet");
    const lb = await internalLb(arm, sb);
    const fip = lb?.properties.frontendIPConfigurations.find((f) => f.name === fipName);
    expect(fip?.properties.privateIPAddress).toMatch(/^10\.225\.0\./);
    const pls = (await plsIn(arm, sb)).find((p) => p.name === `pls-${fipName}`);
    expect(pls?.properties.ipConfigurations[0]?.name).toBe(`pls-nat-subnet-pls-${fipName}-dynamic-0`);
    const got = await core.readNamespacedService({ name: "insub", namespace: "default" });
    expect(ingressOf(got)).toBe(fip?.properties.privateIPAddress);
  });
});

describe("health probes", () => {
  it("externalTrafficPolicy Local probes /healthz on the health-check node port, unless the PLS uses proxy protocol", async () => {
    const local = await createService(core, "etp-local", INTERNAL, { externalTrafficPolicy: "Local" });
    const proxied = await createService(
      core,
      "etp-proxy",
      { ...PLS_CREATE, [`${A}azure-pls-proxy-protocol`]: "true" },
      { externalTrafficPolicy: "Local" },
    );
    await sb.controller.idle();
    const lb = await arm.getStrict<{
      properties: {
        probes: { name: string; properties: { protocol: string; port: number; requestPath?: string } }[];
      };
    }>(
      `${rgPath(sb, sb.cluster.nodeResourceGroup)}/providers/Microsoft.Network/loadBalancers/kubernetes-internal`,
    );
    const probe = (svc: typeof local) =>
      lb.properties.probes.find((p) => p.name === `${frontendOf(svc)}-TCP-80`)?.properties;
    expect(local.spec?.healthCheckNodePort).toBeGreaterThan(0);
    expect(probe(local)).toMatchObject({
      protocol: "Http",
      port: local.spec?.healthCheckNodePort,
      requestPath: "/healthz",
    });
    expect(probe(proxied)).toMatchObject({ protocol: "Tcp", port: proxied.spec?.ports?.[0]?.nodePort });
  });
});

describe("frontend replacement", () => {
  it("changing the internal subnet replaces the frontend: the old PLS is deleted, a new one made on the new frontend", async () => {
    const svc = await createService(core, "move", PLS_CREATE);
    await sb.controller.idle();
    const oldName = `pls-${frontendOf(svc)}`;
    expect((await plsIn(arm, sb)).map((p) => p.name)).toContain(oldName);
    await annotate(core, "move", { [`${A}azure-load-balancer-internal-subnet`]: "pls-nat-subnet" });
    await sb.controller.idle();
    const newFip = frontendOf(svc, "pls-nat-subnet");
    const names = (await plsIn(arm, sb)).map((p) => p.name);
    expect(names).not.toContain(oldName);
    expect(names).toContain(`pls-${newFip}`);
    const lb = await internalLb(arm, sb);
    const fips = lb?.properties.frontendIPConfigurations.map((f) => f.name) ?? [];
    expect(fips).toContain(newFip);
    expect(fips).not.toContain(frontendOf(svc));
    const got = await core.readNamespacedService({ name: "move", namespace: "default" });
    expect(ingressOf(got)).toMatch(/^10\.225\.0\./);
  });
});

describe("deletion", () => {
  it("deletes every private endpoint connection, then the PLS, then the frontend; the finalizer goes, then the Service", async () => {
    const svc = await createService(core, "gone", {
      ...PLS_CREATE,
      [`${A}azure-pls-visibility`]: DEFAULT_IDS.partnerSubscriptionId,
    });
    await sb.controller.idle();
    const fipName = frontendOf(svc);
    const pls = (await plsIn(arm, sb)).find((p) => p.name === `pls-${fipName}`);
    expect(pls).toBeDefined();
    if (!pls) return;
    // A partner asks for a connection from its own subscription.
    const partnerArm = armAs(sb, "partner");
    const partnerRg = rgPath(sb, "rg-partner", DEFAULT_IDS.partnerSubscriptionId);
    await partnerArm.put(`${partnerRg}/providers/Microsoft.Network/privateEndpoints/pe-gone`, {
      location: "westeurope",
      properties: {
        subnet: { id: `${partnerRg}/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet` },
        manualPrivateLinkServiceConnections: [
          { name: "conn", properties: { privateLinkServiceId: pls.id, requestMessage: "fabrikam" } },
        ],
      },
    });
    const withConn = (await plsIn(arm, sb)).find((p) => p.name === pls.name);
    expect(withConn?.properties.privateEndpointConnections).toHaveLength(1);

    await core.deleteNamespacedService({ name: "gone", namespace: "default" });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).not.toContain(pls.name);
    const lb = await internalLb(arm, sb);
    expect(lb?.properties.frontendIPConfigurations.map((f) => f.name)).not.toContain(fipName);
    await expect(core.readNamespacedService({ name: "gone", namespace: "default" })).rejects.toMatchObject({
      code: 404,
    });
    const pe = await partnerArm.getStrict<{
      properties: {
        manualPrivateLinkServiceConnections: {
          properties: { privateLinkServiceConnectionState: { status: string } };
        }[];
      };
    }>(`${partnerRg}/providers/Microsoft.Network/privateEndpoints/pe-gone`);
    // The consumer's endpoint stays, orphaned (users clean it up).
    expect(pe.properties.manualPrivateLinkServiceConnections).toHaveLength(1);
    const events = await eventsOf(core, "gone");
    expect(events.map((e) => e.reason)).toEqual(
      expect.arrayContaining(["DeletingLoadBalancer", "DeletedLoadBalancer"]),
    );
  });

  it("type changed away from LoadBalancer: PLS and frontend deleted, finalizer and ingress removed", async () => {
    const svc = await createService(core, "flip", PLS_CREATE);
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).toContain(`pls-${frontendOf(svc)}`);
    await core.patchNamespacedService({
      name: "flip",
      namespace: "default",
      body: [{ op: "replace", path: "/spec/type", value: "ClusterIP" }],
    });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name)).not.toContain(`pls-${frontendOf(svc)}`);
    const got = await core.readNamespacedService({ name: "flip", namespace: "default" });
    expect(got.metadata?.finalizers ?? []).not.toContain(FINALIZER);
    expect(ingressOf(got)).toBeUndefined();
  });
});

describe("ARM contract", () => {
  it("the controller only calls routes the ARM emulator serves", () => {
    expect(sb.arm.counters().unrouted).toEqual([]);
    expect(sb.arm.counters().byIdentity[sb.cluster.controllerIdentity]?.total).toBeGreaterThan(0);
  });
});
