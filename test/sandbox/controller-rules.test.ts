/**
 * The simulated AKS controller's teardown on a frontend change, and its newer rules: a PLS name
 * used on another frontend is rejected (cloud-provider-azure PR #10943), no PLS on a load balancer
 * carrying an IPv6 frontend (pls-integration docs), none on an IP-based load balancer (ARM
 * PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer). Each failure is a SyncLoadBalancerFailed
 * event; nothing is written to the PLS that was there.
 */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArmClient } from "../../src/sandbox/controller/arm-client.js";
import { DEFAULT_IDS, defaultWorld } from "../../src/sandbox/world.js";
import { partnerEndpoint } from "../helpers/sandbox-sdk.js";
import { FOREIGN_PLS, SHARED_RG, sharedPlsWorld } from "../helpers/shared-pls-world.js";
import { armAs, coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import {
  A,
  annotate,
  createService,
  eventsOf,
  ingressOf,
  internalLb,
  PLS_CREATE,
  plsIn,
} from "./helpers/services.js";

const PREFIX = "Error syncing load balancer: failed to ensure load balancer: ";
const VISIBLE = { ...PLS_CREATE, [`${A}azure-pls-visibility`]: DEFAULT_IDS.partnerSubscriptionId };

async function failures(core: CoreV1Api, name: string): Promise<string[]> {
  return (await eventsOf(core, name))
    .filter((e) => e.reason === "SyncLoadBalancerFailed")
    .map((e) => e.message ?? "");
}

describe("with the default world", () => {
  let sb: TestSandbox;
  let core: CoreV1Api;
  let arm: ArmClient;
  beforeAll(async () => {
    sb = await startTestSandbox({ retry: { baseMs: 60_000, maxMs: 60_000 } });
    core = coreApi(sb);
    arm = armAs(sb);
  });
  afterAll(async () => sb?.close());

  it("a new load balancer IP replaces the frontend: connections deleted, PLS deleted, a new PLS with a new alias", async () => {
    await createService(core, "moving", { ...VISIBLE, [`${A}azure-load-balancer-ipv4`]: "10.224.0.50" });
    await sb.controller.idle();
    const [before] = (await plsIn(arm, sb)).filter(
      (p) => p.tags?.["k8s-azure-owner-service"] === "default/moving",
    );
    expect(before?.properties.alias).toBeDefined();
    await partnerEndpoint(sb, "pe-moving", before?.properties.alias ?? "");
    await annotate(core, "moving", { [`${A}azure-load-balancer-ipv4`]: "10.224.0.51" });
    await sb.controller.idle();
    const after = (await plsIn(arm, sb)).filter(
      (p) => p.tags?.["k8s-azure-owner-service"] === "default/moving",
    );
    expect(after).toHaveLength(1);
    expect(after[0]?.properties.alias).not.toBe(before?.properties.alias);
    expect(after[0]?.properties.privateEndpointConnections ?? []).toEqual([]);
    expect(ingressOf(await core.readNamespacedService({ name: "moving", namespace: "default" }))).toBe(
      "10.224.0.51",
    );
  });

  it("rejects an azure-pls-name already used by a PLS on another frontend; that PLS is untouched", async () => {
    await createService(core, "first", { ...PLS_CREATE, [`${A}azure-pls-name`]: "pls-taken" });
    await sb.controller.idle();
    const owned = (await plsIn(arm, sb)).find((p) => p.name === "pls-taken");
    await createService(core, "second", { ...PLS_CREATE, [`${A}azure-pls-name`]: "pls-taken" });
    await sb.controller.idle();
    const [msg] = await failures(core, "second");
    expect(msg).toMatch(
      new RegExp(
        `^${PREFIX}reconcilePrivateLinkService for service\\(default/second\\) failed: private link service name \\(pls-taken\\) is already used by private link service\\(.*/pls-taken\\) on another LB frontend\\(.*/${owned?.properties.loadBalancerFrontendIpConfigurations[0]?.id.split("/").pop()}\\)$`,
      ),
    );
    const now = (await plsIn(arm, sb)).find((p) => p.name === "pls-taken");
    expect(now?.properties.loadBalancerFrontendIpConfigurations).toEqual(
      owned?.properties.loadBalancerFrontendIpConfigurations,
    );
    expect(now?.tags?.["k8s-azure-owner-service"]).toBe("default/first");
    expect(
      ingressOf(await core.readNamespacedService({ name: "second", namespace: "default" })),
    ).toBeUndefined();
  });

  it("no new PLS on a load balancer that carries an IPv6 frontend (a dual-stack Service)", async () => {
    await createService(
      core,
      "dual",
      { [`${A}azure-load-balancer-internal`]: "true" },
      {
        ipFamilies: ["IPv4", "IPv6"],
        ipFamilyPolicy: "RequireDualStack",
      },
    );
    await sb.controller.idle();
    const v6 = (await internalLb(arm, sb))?.properties.frontendIPConfigurations.find((f) =>
      f.name.endsWith("-IPv6"),
    );
    expect(v6).toBeDefined();
    await createService(core, "v4only", PLS_CREATE);
    await sb.controller.idle();
    const [msg] = await failures(core, "v4only");
    expect(msg).toBe(
      `${PREFIX}reconcilePrivateLinkService for service(default/v4only) failed: load balancer(kubernetes-internal) has IPv6 frontend(${v6?.id}): in dual-stack clusters a private link service cannot be created on a load balancer with an IPv6 service`,
    );
    expect((await plsIn(arm, sb)).some((p) => p.tags?.["k8s-azure-owner-service"] === "default/v4only")).toBe(
      false,
    );
    // Once the IPv6 Service is gone, the PLS comes.
    await core.deleteNamespacedService({ name: "dual", namespace: "default" });
    await annotate(core, "v4only", { [`${A}azure-pls-fqdns`]: "retry.example.com" });
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).some((p) => p.tags?.["k8s-azure-owner-service"] === "default/v4only")).toBe(
      true,
    );
  });
});

describe("with IP-based backend pools (backendPoolType NodeIP)", () => {
  let sb: TestSandbox;
  let core: CoreV1Api;
  beforeAll(async () => {
    const world = defaultWorld();
    const [mc] = world.managedClusters;
    if (mc) mc.loadBalancerBackendPoolType = "NodeIP";
    sb = await startTestSandbox({ world, retry: { baseMs: 60_000, maxMs: 60_000 } });
    core = coreApi(sb);
  });
  afterAll(async () => sb?.close());

  it("the PLS PUT fails with PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer", async () => {
    await createService(core, "ipbased", PLS_CREATE);
    await sb.controller.idle();
    const [msg] = await failures(core, "ipbased");
    expect(msg).toContain(`${PREFIX}create or update PLS: PUT `);
    expect(msg).toContain("ERROR CODE: PrivateLinkServiceIsNotSupportedForIPBasedLoadBalancer\n");
    expect(await plsIn(armAs(sb), sb)).toEqual([]);
  });
});

describe("another cluster's PLS tagged for the Service, in a shared PLS resource group", () => {
  let sb: TestSandbox;
  let core: CoreV1Api;
  beforeAll(async () => {
    sb = await startTestSandbox({ world: sharedPlsWorld(), retry: { baseMs: 60_000, maxMs: 60_000 } });
    core = coreApi(sb);
  });
  afterAll(async () => sb?.close());

  it("asking for its name takes it over: the PR #10943 exemption trusts the owner tag (why expose refuses)", async () => {
    const arm = armAs(sb);
    const before = (await plsIn(arm, sb, SHARED_RG)).find((p) => p.name === FOREIGN_PLS);
    const svc = await createService(core, "web", {
      ...PLS_CREATE,
      [`${A}azure-pls-resource-group`]: SHARED_RG,
      [`${A}azure-pls-name`]: FOREIGN_PLS,
    });
    await sb.controller.idle();
    const after = (await plsIn(arm, sb, SHARED_RG)).find((p) => p.name === FOREIGN_PLS);
    expect(after?.properties.alias).toBe(before?.properties.alias);
    expect(after?.properties.loadBalancerFrontendIpConfigurations[0]?.id).not.toBe(
      before?.properties.loadBalancerFrontendIpConfigurations[0]?.id,
    );
    expect(after?.properties.loadBalancerFrontendIpConfigurations[0]?.id).toMatch(
      new RegExp(`/frontendIPConfigurations/a${(svc.metadata?.uid ?? "").replaceAll("-", "").slice(0, 31)}$`),
    );
  });
});
