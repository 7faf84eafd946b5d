/**
 * The controller keeps no state of its own: a restarted controller re-ensures every LoadBalancer
 * Service without rewriting Azure, and cleans up a Service deleted while it was down (the finalizer
 * held it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudController, startCloudController } from "../../src/sandbox/controller/index.js";
import { armAs, coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import { createService, eventsOf, frontendOf, ingressOf, PLS_CREATE, plsIn } from "./helpers/services.js";

let sb: TestSandbox;
let second: CloudController | undefined;

beforeAll(async () => {
  sb = await startTestSandbox();
});
afterAll(async () => {
  await second?.stop();
  await sb?.close();
});

function restart(): Promise<CloudController> {
  const token = sb.arm.tokens[sb.cluster.controllerIdentity] ?? "";
  return startCloudController({
    kube: { url: sb.kube.url, token: sb.kube.token, caCertPem: sb.kube.caCertPem },
    arm: { url: sb.arm.url, token, caCertPem: sb.arm.caCertPem },
    cluster: sb.cluster,
    retry: { baseMs: 20, maxMs: 200 },
  });
}

describe("controller restart", () => {
  it("re-ensures existing Services without ARM writes and cleans up one deleted while it was down", async () => {
    const core = coreApi(sb);
    const arm = armAs(sb);
    const kept = await createService(core, "kept", PLS_CREATE);
    const dropped = await createService(core, "dropped", PLS_CREATE);
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).map((p) => p.name).sort()).toEqual(
      [`pls-${frontendOf(kept)}`, `pls-${frontendOf(dropped)}`].sort(),
    );

    await sb.controller.stop();
    await core.deleteNamespacedService({ name: "dropped", namespace: "default" });
    // The finalizer holds the Service while no controller runs.
    const held = await core.readNamespacedService({ name: "dropped", namespace: "default" });
    expect(held.metadata?.deletionTimestamp).toBeDefined();

    const count = (op: string) => sb.arm.counters().byOperation[op] ?? 0;
    const lbPuts = count("LoadBalancers_CreateOrUpdate");
    const plsPuts = count("PrivateLinkServices_CreateOrUpdate");
    second = await restart();
    await second.idle();
    // Nothing rewritten for "kept"; one LB PUT removes the frontend of "dropped".
    expect(count("PrivateLinkServices_CreateOrUpdate")).toBe(plsPuts);
    expect(count("LoadBalancers_CreateOrUpdate")).toBe(lbPuts + 1);
    expect(count("PrivateLinkServices_Delete")).toBe(1);
    expect((await plsIn(arm, sb)).map((p) => p.name)).toEqual([`pls-${frontendOf(kept)}`]);
    await expect(core.readNamespacedService({ name: "dropped", namespace: "default" })).rejects.toMatchObject(
      {
        code: 404,
      },
    );
    const svc = await core.readNamespacedService({ name: "kept", namespace: "default" });
    expect(ingressOf(svc)).toMatch(/^10\.224\./);
    // A new recorder does not know the old events: one EnsuredLoadBalancer event from each controller.
    expect((await eventsOf(core, "kept")).filter((e) => e.reason === "EnsuredLoadBalancer")).toHaveLength(2);
  });
});
