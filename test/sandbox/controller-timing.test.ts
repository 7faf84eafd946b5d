/**
 * The controller's timing behaviour (these tests are about delays, so they use small real ones):
 * per-Service retry with backoff and aggregated failure events, and the provisioning delay during
 * which the PLS exists but the Service has no ingress IP yet.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { armAs, coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import {
  A,
  annotate,
  createService,
  eventsOf,
  frontendOf,
  ingressOf,
  PLS_CREATE,
  plsIn,
} from "./helpers/services.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("retry with backoff", () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ retry: { baseMs: 10, maxMs: 40 } });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("retries a failing Service, aggregating the repeated event into one with a count, and recovers", async () => {
    const core = coreApi(sb);
    await createService(core, "retry", {
      ...PLS_CREATE,
      [`${A}azure-pls-ip-configuration-ip-address-count`]: "0",
    });
    let failed: { count?: number } | undefined;
    for (let i = 0; i < 100; i++) {
      failed = (await eventsOf(core, "retry")).find((e) => e.reason === "SyncLoadBalancerFailed");
      if ((failed?.count ?? 0) >= 3) break;
      await sleep(20);
    }
    expect(failed?.count).toBeGreaterThanOrEqual(3);
    const events = await eventsOf(core, "retry");
    expect(events.filter((e) => e.reason === "SyncLoadBalancerFailed")).toHaveLength(1);
    expect(events.find((e) => e.reason === "EnsuringLoadBalancer")?.count).toBeGreaterThanOrEqual(3);

    await annotate(core, "retry", { [`${A}azure-pls-ip-configuration-ip-address-count`]: "1" });
    await sb.controller.idle();
    const svc = await core.readNamespacedService({ name: "retry", namespace: "default" });
    expect(ingressOf(svc)).toMatch(/^10\.224\./);
    expect((await plsIn(armAs(sb), sb)).map((p) => p.name)).toContain(`pls-${frontendOf(svc)}`);
    // No further attempts once it succeeded.
    const after = (await eventsOf(core, "retry")).find((e) => e.reason === "SyncLoadBalancerFailed")?.count;
    await sleep(100);
    expect((await eventsOf(core, "retry")).find((e) => e.reason === "SyncLoadBalancerFailed")?.count).toBe(
      after,
    );
  });
});

describe("provisioning delay", () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ provisioningDelayMs: 400 });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("the PLS exists before the Service gets its ingress IP, which comes after the delay", async () => {
    const core = coreApi(sb);
    const arm = armAs(sb);
    const svc = await createService(core, "slow", PLS_CREATE);
    let plsSeen = false;
    for (let i = 0; i < 100 && !plsSeen; i++) {
      plsSeen = (await plsIn(arm, sb)).some((p) => p.name === `pls-${frontendOf(svc)}`);
      if (!plsSeen) await sleep(10);
    }
    expect(plsSeen).toBe(true);
    expect(
      ingressOf(await core.readNamespacedService({ name: "slow", namespace: "default" })),
    ).toBeUndefined();
    // The wall-clock length of the delay is a figure of `npm run bench` (scripts/bench/sandbox-delays.ts).
    await sb.controller.idle();
    expect(ingressOf(await core.readNamespacedService({ name: "slow", namespace: "default" }))).toMatch(
      /^10\.224\./,
    );
  });
});

describe("transient ARM failures", () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ retry: { baseMs: 10, maxMs: 40 } });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("500s on the PLS PUT are retried, then reported with azcore text; a later sync succeeds", async () => {
    const core = coreApi(sb);
    // The client tries 4 times per sync; 4 faults make exactly one sync fail.
    sb.arm.setFaults([{ operation: "PrivateLinkServices_CreateOrUpdate", kind: "500", times: 4 }]);
    await createService(core, "flaky", PLS_CREATE);
    let ip: string | undefined;
    for (let i = 0; i < 100 && !ip; i++) {
      await sb.controller.idle();
      ip = ingressOf(await core.readNamespacedService({ name: "flaky", namespace: "default" }));
      if (!ip) await sleep(20);
    }
    expect(ip).toMatch(/^10\.224\./);
    const failed = (await eventsOf(core, "flaky")).filter((e) => e.reason === "SyncLoadBalancerFailed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toMatch(
      /^Error syncing load balancer: failed to ensure load balancer: create or update PLS: PUT https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.+\/privateLinkServices\/pls-a[0-9a-f]{31}\n-{80}\nRESPONSE 500: 500 Internal Server Error\nERROR CODE: InternalServerError\n/,
    );
    sb.arm.setFaults([]);
  });

  it("a failed PLS delete keeps the finalizer and is retried until the Service can go", async () => {
    const core = coreApi(sb);
    await createService(core, "stuck", PLS_CREATE);
    await sb.controller.idle();
    sb.arm.setFaults([{ operation: "PrivateLinkServices_Delete", kind: "500", times: 4 }]);
    await core.deleteNamespacedService({ name: "stuck", namespace: "default" });
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      await sb.controller.idle();
      gone = await core.readNamespacedService({ name: "stuck", namespace: "default" }).then(
        () => false,
        () => true,
      );
      if (!gone) await sleep(20);
    }
    expect(gone).toBe(true);
    const failed = (await eventsOf(core, "stuck")).filter((e) => e.reason === "SyncLoadBalancerFailed");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toMatch(
      /^Error syncing load balancer: failed to delete load balancer: delete PLS: DELETE https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.+\/privateLinkServices\/pls-a[0-9a-f]{31}\n-{80}\nRESPONSE 500: 500 Internal Server Error\n/,
    );
    sb.arm.setFaults([]);
  });
});

describe("long-running ARM operations", () => {
  let sb: TestSandbox;
  beforeAll(async () => {
    sb = await startTestSandbox({ lroDelayMs: 300 });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("while the PLS is still Updating the Service has no ingress IP; it gets one once the PLS succeeded", async () => {
    const core = coreApi(sb);
    const arm = armAs(sb);
    const svc = await createService(core, "lro", PLS_CREATE);
    const name = `pls-${frontendOf(svc)}`;
    let state: string | undefined;
    for (let i = 0; i < 300 && state === undefined; i++) {
      state = (await plsIn(arm, sb)).find((p) => p.name === name)?.properties.provisioningState;
      if (state === undefined) await sleep(10);
    }
    expect(state).toBe("Updating");
    expect(
      ingressOf(await core.readNamespacedService({ name: "lro", namespace: "default" })),
    ).toBeUndefined();
    await sb.controller.idle();
    expect((await plsIn(arm, sb)).find((p) => p.name === name)?.properties.provisioningState).toBe(
      "Succeeded",
    );
    expect(ingressOf(await core.readNamespacedService({ name: "lro", namespace: "default" }))).toMatch(
      /^10\.224\./,
    );
  });
});
