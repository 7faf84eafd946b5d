/**
 * The controller's timing behaviour: per-Service retry with backoff and aggregated failure events,
 * and the provisioning delay during which the PLS exists (`Updating`) but the Service has no ingress
 * IP yet. Time is a fake clock the test moves on (the backoff, ARM's operations and the controller's
 * polls all run on it), so no assertion depends on how fast the machine is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock, runClock } from "./helpers/clock.js";
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

/**
 * Lets the controller finish what it can, moving the clock through its waits for ARM (and through
 * any backoff that comes due meanwhile).
 */
const settle = (sb: TestSandbox, clock: FakeClock) => runClock(clock, sb.controller.idle());

/** Moves the clock to the next pending wait (a backoff, an operation), if any. */
function nextWait(clock: FakeClock): void {
  const due = clock.nextDue();
  if (due !== undefined) clock.advance(due - clock.now());
}

describe("retry with backoff", () => {
  let sb: TestSandbox;
  const clock = new FakeClock();
  beforeAll(async () => {
    sb = await startTestSandbox({ retry: { baseMs: 10, maxMs: 40 }, clock });
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
    const failures = async () =>
      (await eventsOf(core, "retry")).find((e) => e.reason === "SyncLoadBalancerFailed")?.count;
    await sb.controller.idle();
    expect(await failures()).toBe(1);
    // The backoff doubles from 10 ms: no retry just before each deadline, one right at it.
    for (const [backoff, count] of [
      [10, 2],
      [20, 3],
    ] as const) {
      clock.advance(backoff - 1);
      await sb.controller.idle();
      expect(await failures()).toBe(count - 1);
      clock.advance(1);
      await sb.controller.idle();
      expect(await failures()).toBe(count);
    }
    expect(await failures()).toBeGreaterThanOrEqual(3);
    const events = await eventsOf(core, "retry");
    expect(events.filter((e) => e.reason === "SyncLoadBalancerFailed")).toHaveLength(1);
    expect(events.find((e) => e.reason === "EnsuringLoadBalancer")?.count).toBeGreaterThanOrEqual(3);

    await annotate(core, "retry", { [`${A}azure-pls-ip-configuration-ip-address-count`]: "1" });
    await sb.controller.idle();
    const svc = await core.readNamespacedService({ name: "retry", namespace: "default" });
    expect(ingressOf(svc)).toMatch(/^10\.224\./);
    expect((await plsIn(armAs(sb), sb)).map((p) => p.name)).toContain(`pls-${frontendOf(svc)}`);
    // No further attempts once it succeeded: past the longest backoff (40 ms), with the controller
    // done with whatever came due, nothing was tried again.
    const after = await failures();
    const ensuring = async () =>
      (await eventsOf(core, "retry")).find((e) => e.reason === "EnsuringLoadBalancer")?.count;
    const attempts = await ensuring();
    clock.advance(10 * 40);
    await sb.controller.idle();
    expect(await failures()).toBe(after);
    expect(await ensuring()).toBe(attempts);
  });
});

describe("provisioning delay", () => {
  let sb: TestSandbox;
  const clock = new FakeClock();
  beforeAll(async () => {
    sb = await startTestSandbox({ provisioningDelayMs: 400, clock });
  });
  afterAll(async () => {
    await sb?.close();
  });

  it("the PLS exists, Updating, before the Service gets its ingress IP, which comes after the delay", async () => {
    const core = coreApi(sb);
    const arm = armAs(sb);
    await createService(core, "slow", PLS_CREATE);
    // The controller's load balancer PUT runs first (the frontend gets an id), then the PLS PUT.
    let svc = await core.readNamespacedService({ name: "slow", namespace: "default" });
    let state: string | undefined;
    for (let i = 0; i < 10 && state === undefined; i++) {
      await clock.sleeping();
      svc = await core.readNamespacedService({ name: "slow", namespace: "default" });
      state = (await plsIn(arm, sb)).find((p) => p.tags?.["k8s-azure-owner-service"] === "default/slow")
        ?.properties.provisioningState;
      if (state === undefined) nextWait(clock);
    }
    expect(state).toBe("Updating");
    expect(ingressOf(svc)).toBeUndefined();
    await settle(sb, clock);
    const done = await core.readNamespacedService({ name: "slow", namespace: "default" });
    expect(ingressOf(done)).toMatch(/^10\.224\./);
    expect(
      (await plsIn(arm, sb)).find((p) => p.name === `pls-${frontendOf(done)}`)?.properties.provisioningState,
    ).toBe("Succeeded");
  });
});

describe("transient ARM failures", () => {
  let sb: TestSandbox;
  const clock = new FakeClock();
  beforeAll(async () => {
    sb = await startTestSandbox({ retry: { baseMs: 10, maxMs: 40 }, clock });
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
      await settle(sb, clock);
      ip = ingressOf(await core.readNamespacedService({ name: "flaky", namespace: "default" }));
      if (!ip) nextWait(clock);
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
    await settle(sb, clock);
    sb.arm.setFaults([{ operation: "PrivateLinkServices_Delete", kind: "500", times: 4 }]);
    await core.deleteNamespacedService({ name: "stuck", namespace: "default" });
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      await settle(sb, clock);
      gone = await core.readNamespacedService({ name: "stuck", namespace: "default" }).then(
        () => false,
        () => true,
      );
      if (!gone) nextWait(clock);
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
  const clock = new FakeClock();
  beforeAll(async () => {
    sb = await startTestSandbox({ lroDelayMs: 300, clock });
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
    for (let i = 0; i < 10 && state === undefined; i++) {
      await clock.sleeping();
      state = (await plsIn(arm, sb)).find((p) => p.name === name)?.properties.provisioningState;
      if (state === undefined) nextWait(clock);
    }
    expect(state).toBe("Updating");
    expect(
      ingressOf(await core.readNamespacedService({ name: "lro", namespace: "default" })),
    ).toBeUndefined();
    await settle(sb, clock);
    expect((await plsIn(arm, sb)).find((p) => p.name === name)?.properties.provisioningState).toBe(
      "Succeeded",
    );
    expect(ingressOf(await core.readNamespacedService({ name: "lro", namespace: "default" }))).toMatch(
      /^10\.224\./,
    );
  });
});
