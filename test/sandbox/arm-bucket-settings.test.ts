/**
 * ARM's per-principal token buckets as sandbox settings (`armReadBucket`, `armWriteBucket`,
 * `armDeleteBucket`): set through the admin endpoint or the start options, validated like the other
 * settings, Azure's figures by default. Time is a fake clock the test moves on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, settingsProblems } from "../../src/sandbox/arm/settings.js";
import { PROV_SUB, startTestArm, type TestArm } from "./helpers/arm.js";
import { FakeClock } from "./helpers/clock.js";

const arms: TestArm[] = [];
afterEach(async () => {
  for (const a of arms.splice(0)) await a.close();
});

const NSG = `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/networkSecurityGroups`;
const nsg = (t: TestArm, name: string, method = "PUT") =>
  t.raw(method, `${NSG}/${name}?api-version=2024-05-01`, {
    ...(method === "PUT" ? { body: { location: "westeurope", properties: {} } } : {}),
  });
const rg = (t: TestArm) =>
  t.raw("GET", `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks?api-version=2021-04-01`);
const settings = (t: TestArm, body: unknown) =>
  t.raw("PUT", "/_sandbox/settings", { token: t.emu.adminToken, body });

describe("ARM's token buckets as settings", () => {
  it("default to Azure's: reads 250 + 25/s, writes and deletes 200 + 10/s", () => {
    expect(DEFAULT_SETTINGS.armReadBucket).toEqual({ burst: 250, refillPerSecond: 25 });
    expect(DEFAULT_SETTINGS.armWriteBucket).toEqual({ burst: 200, refillPerSecond: 10 });
    expect(DEFAULT_SETTINGS.armDeleteBucket).toEqual({ burst: 200, refillPerSecond: 10 });
  });

  it("admin endpoint: 429 after the configured write burst, Retry-After from the configured refill", async () => {
    const clock = new FakeClock();
    const t = await startTestArm({ clock });
    arms.push(t);
    const set = await settings(t, { armWriteBucket: { burst: 3, refillPerSecond: 0.25 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ armWriteBucket: { burst: 3, refillPerSecond: 0.25 } });
    for (const n of ["a", "b", "c"]) expect((await nsg(t, n)).status).toBe(201);
    const refused = await nsg(t, "d");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: "SubscriptionRequestsThrottled" } });
    // One token every 4 s.
    expect(refused.headers["retry-after"]).toBe("4");
    expect(refused.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("0");
    // Reads have their own (default) bucket.
    expect((await rg(t)).status).toBe(200);
    clock.advance(3_000);
    expect((await nsg(t, "d")).headers["retry-after"]).toBe("1");
    clock.advance(1_000);
    expect((await nsg(t, "d")).status).toBe(201);
  });

  it("start options: the read bucket's burst and refill", async () => {
    const clock = new FakeClock();
    const t = await startTestArm({ clock, settings: { armReadBucket: { burst: 2, refillPerSecond: 100 } } });
    arms.push(t);
    expect((await rg(t)).status).toBe(200);
    const second = await rg(t);
    expect(second.status).toBe(200);
    expect(second.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
    const refused = await rg(t);
    expect(refused.status).toBe(429);
    // The next token is 10 ms away; Retry-After is whole seconds, at least 1.
    expect(refused.headers["retry-after"]).toBe("1");
    clock.advance(20); // 100 per second: 2 tokens back in 20 ms
    expect((await rg(t)).status).toBe(200);
    expect((await rg(t)).status).toBe(200);
    expect((await rg(t)).status).toBe(429);
  });

  it("the delete bucket is its own", async () => {
    const t = await startTestArm({
      clock: new FakeClock(),
      settings: {
        armDeleteBucket: { burst: 1, refillPerSecond: 0.5 },
        armWriteBucket: { burst: 10, refillPerSecond: 1 },
      },
    });
    arms.push(t);
    for (const n of ["a", "b"]) expect((await nsg(t, n)).status).toBe(201);
    expect((await nsg(t, "a", "DELETE")).status).toBeLessThan(300);
    const refused = await nsg(t, "b", "DELETE");
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("2");
    expect((await nsg(t, "c")).status).toBe(201);
  });

  it("a reset goes back to the defaults", async () => {
    const t = await startTestArm({ clock: new FakeClock() });
    arms.push(t);
    await settings(t, { armWriteBucket: { burst: 1, refillPerSecond: 1 } });
    const reset = await t.raw("POST", "/_sandbox/reset", { token: t.emu.adminToken });
    expect(reset.status).toBeLessThan(300);
    const got = await t.raw("GET", "/_sandbox/settings", { token: t.emu.adminToken });
    expect(got.body).toMatchObject({ armWriteBucket: { burst: 200, refillPerSecond: 10 } });
  });

  it("a bad bucket is refused (400), naming the field, and changes nothing", async () => {
    const t = await startTestArm({ clock: new FakeClock() });
    arms.push(t);
    const r = await settings(t, { armWriteBucket: { burst: 0, refillPerSecond: 10 } });
    expect(r.status).toBe(400);
    expect(r.text).toContain(
      "settings.armWriteBucket: must be {burst: integer >= 1, refillPerSecond: number > 0}",
    );
    const got = await t.raw("GET", "/_sandbox/settings", { token: t.emu.adminToken });
    expect(got.body).toMatchObject({ armWriteBucket: { burst: 200, refillPerSecond: 10 } });
  });

  it("validation names each wrong bucket", () => {
    expect(
      settingsProblems(
        {
          armReadBucket: { burst: 1.5, refillPerSecond: 1 },
          armWriteBucket: { burst: 5, refillPerSecond: 0 },
          armDeleteBucket: { burst: 5, refillPerSecond: 1, extra: 1 },
        },
        "s",
      ),
    ).toEqual([
      "s.armReadBucket: must be {burst: integer >= 1, refillPerSecond: number > 0}",
      "s.armWriteBucket: must be {burst: integer >= 1, refillPerSecond: number > 0}",
      "s.armDeleteBucket: must be {burst: integer >= 1, refillPerSecond: number > 0}",
    ]);
    expect(settingsProblems({ armReadBucket: { burst: 1, refillPerSecond: 0.5 } }, "s")).toEqual([]);
  });
});
