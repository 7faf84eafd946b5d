/**
 * What the provider's CI meets when it writes concurrently, through the real SDK: Microsoft.Network
 * refuses a connection write with 429 RetryableErrorDueToAnotherOperation while another write holds
 * the private link service or the PLS is Updating, and limits writes per subscription; each 429's
 * Retry-After says when to come back. Time is a fake clock the test moves on.
 */

import { rmSync } from "node:fs";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import {
  failure,
  NODE_RG,
  PE_SUBNET_ID,
  PROV_SUB,
  seedPls,
  startTestArm,
  type TestArm,
} from "./helpers/arm.js";
import { FakeClock } from "./helpers/clock.js";

const arms: TestArm[] = [];
afterEach(async () => {
  for (const a of arms.splice(0)) await a.close();
});

const plsName = "pls-a594a43c3f83348998714866bd330823";
const PLS_PATH = `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/${plsName}`;

async function withConnections(t: TestArm, n: number): Promise<string[]> {
  const pls = await seedPls(t);
  for (let i = 1; i <= n; i++) {
    await t.net("partner").privateEndpoints.createOrUpdate("rg-partner", `pe-${i}`, {
      location: "westeurope",
      subnet: { id: PE_SUBNET_ID },
      manualPrivateLinkServiceConnections: [{ name: `c${i}`, privateLinkServiceId: pls.alias }],
    });
  }
  const names: string[] = [];
  for await (const c of t.net("ci").privateLinkServices.listPrivateEndpointConnections(NODE_RG, plsName))
    names.push(c.name ?? "");
  return names.sort();
}

/** The CI's client without retries: the test sees each 429 itself. */
const decide = (t: TestArm, name: string, status = "Approved") =>
  t
    .net("ci", undefined, { maxRetries: 0 })
    .privateLinkServices.updatePrivateEndpointConnection(NODE_RG, plsName, name, {
      privateLinkServiceConnectionState: { status, description: "by CI", actionsRequired: "None" },
    });

const lastRetryAfter = (t: TestArm) => t.recorded.at(-1)?.headers["retry-after"];

describe("RetryableErrorDueToAnotherOperation", () => {
  it("refuses connection and PLS writes while another connection write holds the PLS, with Retry-After from its end", async () => {
    const clock = new FakeClock();
    const t = await startTestArm({ clock, settings: { connectionWriteMs: 5000 } });
    arms.push(t);
    const [a = "", b = ""] = await withConnections(t, 2);
    const first = decide(t, a);
    await clock.sleeping();
    const err = await failure(decide(t, b));
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe("RetryableErrorDueToAnotherOperation");
    expect(err.message).toMatch(
      new RegExp(
        `^Operation UpdatePrivateEndpointConnectionOperation \\([0-9a-f-]{36}\\) is not allowed since the private link service ${plsName} is in use by another operation UpdatePrivateEndpointConnectionOperation \\([0-9a-f-]{36}\\)\\. Please retry the operation after some time\\.$`,
      ),
    );
    expect(lastRetryAfter(t)).toBe("5");
    clock.advance(2000);
    expect((await failure(decide(t, b, "Rejected"))).statusCode).toBe(429);
    expect(lastRetryAfter(t)).toBe("3");
    const del = await failure(
      t
        .net("ci", undefined, { maxRetries: 0 })
        .privateLinkServices.deletePrivateEndpointConnection(NODE_RG, plsName, b),
    );
    expect(del.code).toBe("RetryableErrorDueToAnotherOperation");
    const pls = await t.net("aks-controller").privateLinkServices.get(NODE_RG, plsName);
    const put = await failure(
      t
        .net("aks-controller", undefined, { maxRetries: 0 })
        .privateLinkServices.createOrUpdate(NODE_RG, plsName, pls),
    );
    expect(put.code).toBe("RetryableErrorDueToAnotherOperation");
    // Reads go on meanwhile; the first write ends when its time is up, then the next one runs.
    expect((await t.net("ci").privateLinkServices.get(NODE_RG, plsName)).name).toBe(plsName);
    clock.advance(3000);
    expect((await first).privateLinkServiceConnectionState?.status).toBe("Approved");
    const second = decide(t, b);
    await clock.sleeping();
    clock.advance(5000);
    expect((await second).privateLinkServiceConnectionState?.status).toBe("Approved");
  });

  it("refuses connection writes while the PLS is Updating, Retry-After until its provisioning ends", async () => {
    const seeded = await startTestArm();
    const [name = ""] = await withConnections(seeded, 1);
    await seeded.close({ keepDir: true });
    onTestFinished(() => rmSync(seeded.dir, { recursive: true, force: true }));
    const clock = new FakeClock();
    const t = await startTestArm({ stateDir: seeded.dir, clock, provisioningDelayMs: 30_000 });
    arms.push(t);
    const pls = (await t.raw("GET", `${PLS_PATH}?api-version=2024-05-01`)).body as Record<string, unknown>;
    const put = await t.raw("PUT", `${PLS_PATH}?api-version=2024-05-01`, {
      identity: "aks-controller",
      body: pls,
    });
    expect((put.body as { properties: { provisioningState: string } }).properties.provisioningState).toBe(
      "Updating",
    );
    const err = await failure(decide(t, name));
    expect(err.statusCode).toBe(429);
    expect(err.code).toBe("RetryableErrorDueToAnotherOperation");
    expect(err.message).toContain("is in use by another operation PutPrivateLinkServiceOperation");
    expect(lastRetryAfter(t)).toBe("30");
    clock.advance(12_000);
    await failure(decide(t, name));
    expect(lastRetryAfter(t)).toBe("18");
    clock.advance(18_000);
    expect((await decide(t, name)).privateLinkServiceConnectionState?.status).toBe("Approved");
  });

  it("without a write in flight, concurrent decisions on different connections all succeed (the default)", async () => {
    const t = await startTestArm();
    arms.push(t);
    const names = await withConnections(t, 3);
    const done = await Promise.all(names.map((n) => decide(t, n)));
    expect(done.map((c) => c.privateLinkServiceConnectionState?.status)).toEqual([
      "Approved",
      "Approved",
      "Approved",
    ]);
  });
});

describe("Microsoft.Network's write limit per subscription", () => {
  const nsg = (t: TestArm, name: string, identity = "provider") =>
    t.raw(
      "PUT",
      `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/networkSecurityGroups/${name}?api-version=2024-05-01`,
      {
        identity,
        body: { location: "westeurope", properties: {} },
      },
    );

  it("429 once the window's writes are used, whoever writes; Retry-After when the next write is allowed", async () => {
    const clock = new FakeClock();
    const t = await startTestArm({
      clock,
      settings: { networkWriteLimit: { writes: 3, windowSeconds: 60 } },
    });
    arms.push(t);
    for (const n of ["a", "b"]) expect((await nsg(t, n)).status).toBe(201);
    expect((await nsg(t, "c", "aks-controller")).status).toBe(201);
    const refused = await nsg(t, "d");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
    expect((refused.body as { error: { message: string } }).error.message).toBe(
      `Number of write requests for subscription '${PROV_SUB}' to resource provider 'Microsoft.Network' exceeded the limit of '3' for time interval '00:01:00'. Please try again after '20' seconds.`,
    );
    expect(refused.headers["retry-after"]).toBe("20");
    // Reads are not writes; other subscriptions have their own limit.
    expect(
      (
        await t.raw(
          "GET",
          `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet?api-version=2024-05-01`,
        )
      ).status,
    ).toBe(200);
    clock.advance(15_000);
    expect((await nsg(t, "d")).headers["retry-after"]).toBe("5");
    clock.advance(5_000);
    expect((await nsg(t, "d")).status).toBe(201);
  });

  it("ARM's per-principal write bucket computes its Retry-After from the refill too", async () => {
    const t = await startTestArm({ clock: new FakeClock() });
    arms.push(t);
    let last = await nsg(t, "x0");
    for (let i = 1; last.status !== 429 && i < 300; i++) last = await nsg(t, `x${i % 5}`);
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
    expect(last.headers["retry-after"]).toBe("1");
    expect(last.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("0");
  });
});
