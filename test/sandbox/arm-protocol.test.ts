/**
 * Raw-HTTP checks of the emulator's ARM protocol: api-versions, authentication, tenants, RBAC
 * errors, ETag preconditions, throttling headers and buckets, unrouted requests, admin endpoints.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Throttler } from "../../src/sandbox/arm/limits.js";
import { NODE_RG, PART_SUB, PROV_SUB, seedPls, startTestArm, type TestArm } from "./helpers/arm.js";
import { FakeClock } from "./helpers/clock.js";

let arm: TestArm;
beforeAll(async () => {
  arm = await startTestArm();
});
afterAll(async () => {
  await arm.close();
});

const RG = `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
type Err = { error: { code: string; message: string } };
const code = (b: unknown) => (b as Err).error.code;
const message = (b: unknown) => (b as Err).error.message;

describe("api-version", () => {
  it("accepts the versions other real clients send (Azure CLI 2021-05-01, 2022-01-01) and ours", async () => {
    for (const v of ["2021-05-01", "2022-01-01", "2026-01-01"]) {
      const r = await arm.raw("GET", `${VNET}?api-version=${v}`);
      expect(r.status, v).toBe(200);
      expect((r.body as { name: string }).name).toBe("aks-vnet");
    }
    const aks = await arm.raw(
      "GET",
      `${RG}/providers/Microsoft.ContainerService/managedClusters/aks-demo?api-version=2026-06-01`,
    );
    expect(aks.status).toBe(200);
    const dns = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/privateDnsZones?api-version=2020-06-01`,
    );
    expect(dns.status).toBe(200);
  });

  it("answers an unknown version with InvalidApiVersionParameter listing the supported ones", async () => {
    const r = await arm.raw("GET", `${VNET}?api-version=2099-01-01`);
    expect(r.status).toBe(400);
    expect(code(r.body)).toBe("InvalidApiVersionParameter");
    expect(message(r.body)).toMatch(
      /^The api-version '2099-01-01' is invalid\. The supported versions are '2026-01-01,2025-07-01,.*2021-05-01.*'\./,
    );
    const pls = await arm.raw(
      "GET",
      `${RG}/providers/Microsoft.Network/privateLinkServices?api-version=2018-08-01`,
    );
    expect(code(pls.body)).toBe("InvalidApiVersionParameter");
  });

  it("requires api-version", async () => {
    const r = await arm.raw("GET", VNET);
    expect(r.status).toBe(400);
    expect(code(r.body)).toBe("MissingApiVersionParameter");
  });
});

describe("authentication and tenants", () => {
  it("401 without a token or with an unknown one, with WWW-Authenticate", async () => {
    const none = await arm.raw("GET", `${VNET}?api-version=2026-01-01`, { identity: null });
    expect(none.status).toBe(401);
    expect(code(none.body)).toBe("AuthenticationFailed");
    expect(none.headers["www-authenticate"]).toContain("Bearer authorization_uri=");
    const bad = await arm.raw("GET", `${VNET}?api-version=2026-01-01`, { token: "eyJ.fake.token" });
    expect(bad.status).toBe(401);
    expect(code(bad.body)).toBe("InvalidAuthenticationToken");
  });

  it("a token of the other tenant gets InvalidAuthenticationTokenTenant", async () => {
    const r = await arm.raw("GET", `${VNET}?api-version=2026-01-01`, { identity: "partner" });
    expect(r.status).toBe(401);
    expect(code(r.body)).toBe("InvalidAuthenticationTokenTenant");
    expect(message(r.body)).toContain("It must match the tenant");
  });

  it("tokens are JWT-shaped with tid, oid, appid and the ARM audience", () => {
    const payload = JSON.parse(
      Buffer.from(arm.emu.tokens.partner?.split(".")[1] ?? "", "base64url").toString(),
    ) as Record<string, unknown>;
    expect(payload).toMatchObject({
      aud: "https://management.azure.com/",
      tid: "c4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70",
    });
    expect(typeof payload.oid).toBe("string");
    expect(typeof payload.appid).toBe("string");
    // Valid for far longer than any test run: measured against the token's own issue time.
    expect((payload.exp as number) - (payload.iat as number)).toBeGreaterThan(365 * 24 * 3600);
    expect(Object.keys(arm.emu.tokens).sort()).toEqual([
      "aks-controller",
      "aks-kubelet",
      "ci",
      "partner",
      "provider",
    ]);
  });

  it("GET /subscriptions lists what the caller's tenant and roles give, as ARM does", async () => {
    const r = await arm.raw("GET", "/subscriptions?api-version=2022-12-01", { identity: "partner" });
    expect(r.status).toBe(200);
    const subs = (r.body as { value: { subscriptionId: string; tenantId: string; state: string }[] }).value;
    expect(subs.map((s) => s.subscriptionId)).toEqual([PART_SUB]);
    expect(subs[0]).toMatchObject({ state: "Enabled", authorizationSource: "RoleBased" });
    const ci = await arm.raw("GET", "/subscriptions?api-version=2022-12-01", { identity: "ci" });
    expect((ci.body as { value: { subscriptionId: string }[] }).value.map((s) => s.subscriptionId)).toEqual([
      PROV_SUB,
    ]);
    const one = await arm.raw("GET", `/subscriptions/${PROV_SUB}?api-version=2022-12-01`);
    expect(one.body).toMatchObject({
      subscriptionId: PROV_SUB,
      displayName: "contoso-aks-prod",
      subscriptionPolicies: { spendingLimit: "Off" },
    });
    const unknown = await arm.raw(
      "GET",
      "/subscriptions/00000000-0000-0000-0000-00000000dead/resourceGroups?api-version=2021-04-01",
    );
    expect(code(unknown.body)).toBe("SubscriptionNotFound");
  });
});

describe("resource groups and tenants", () => {
  it("lists only the resource groups the caller can read, creates and updates one", async () => {
    const ci = await arm.raw("GET", `/subscriptions/${PROV_SUB}/resourceGroups?api-version=2021-04-01`, {
      identity: "ci",
    });
    expect((ci.body as { value: { name: string }[] }).value.map((g) => g.name).sort()).toEqual([
      NODE_RG,
      "rg-aks",
    ]);
    const node = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}?api-version=2021-04-01`,
    );
    expect(node.body).toMatchObject({
      managedBy: expect.stringMatching(/\/managedClusters\/aks-demo$/),
      tags: { "aks-managed-cluster-name": "aks-demo" },
    });
    const path = `/subscriptions/${PART_SUB}/resourceGroups/rg-new?api-version=2021-04-01`;
    const created = await arm.raw("PUT", path, { identity: "partner", body: { location: "West Europe" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "rg-new",
      location: "westeurope",
      properties: { provisioningState: "Succeeded" },
    });
    expect(
      (
        await arm.raw("PUT", path, {
          identity: "partner",
          body: { location: "westeurope", tags: { a: "b" } },
        })
      ).status,
    ).toBe(200);
    expect((await arm.raw("HEAD", path, { identity: "partner" })).status).toBe(204);
    const res = await arm.raw(
      "GET",
      `/subscriptions/${PART_SUB}/resourceGroups/rg-partner/resources?api-version=2021-04-01`,
      { identity: "partner" },
    );
    expect((res.body as { value: { name: string; type: string }[] }).value).toEqual([
      expect.objectContaining({ name: "spoke01", type: "Microsoft.Network/virtualNetworks" }),
    ]);
    const prov = await arm.raw(
      "GET",
      `/subscriptions/${PART_SUB}/providers/microsoft.network?api-version=2021-04-01`,
      { identity: "partner" },
    );
    expect(prov.body).toMatchObject({ namespace: "Microsoft.Network", registrationState: "Registered" });
    const plsType = (
      prov.body as { resourceTypes: { resourceType: string; apiVersions: string[] }[] }
    ).resourceTypes.find((t) => t.resourceType === "privateLinkServices");
    expect(plsType?.apiVersions).toContain("2022-01-01");
    const tenants = await arm.raw("GET", "/tenants?api-version=2022-12-01", { identity: "partner" });
    expect((tenants.body as { value: { tenantId: string }[] }).value.map((t) => t.tenantId)).toEqual([
      "c4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70",
    ]);
  });
});

describe("authorisation and not-found errors", () => {
  it("403 AuthorizationFailed names the action and the scope", async () => {
    const path = `${RG}/providers/Microsoft.Network/privateLinkServices/x?api-version=2026-01-01`;
    const r = await arm.raw("PUT", path, {
      identity: "ci",
      body: { location: "westeurope", properties: {} },
    });
    expect(r.status).toBe(403);
    expect(code(r.body)).toBe("AuthorizationFailed");
    expect(message(r.body)).toContain(
      "action 'Microsoft.Network/privateLinkServices/write' over scope '/subscriptions/",
    );
  });

  it("ResourceGroupNotFound and ResourceNotFound as ARM words them", async () => {
    const rg = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/nope/providers/Microsoft.Network/privateLinkServices/x?api-version=2026-01-01`,
    );
    expect(rg.status).toBe(404);
    expect(code(rg.body)).toBe("ResourceGroupNotFound");
    expect(rg.headers["x-ms-failure-cause"]).toBe("gateway");
    const res = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices/x?api-version=2026-01-01`,
    );
    expect(res.status).toBe(404);
    expect(message(res.body)).toBe(
      `The Resource 'Microsoft.Network/privateLinkServices/x' under resource group '${NODE_RG}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  });

  it("rejects a malformed body with InvalidRequestFormat", async () => {
    const r = await arm.raw("PUT", `${RG}?api-version=2021-04-01`, {
      body: undefined,
      headers: { "content-type": "application/json" },
    });
    expect(r.status).toBe(400);
  });

  it("an unrouted request is not a silent 200: ARM's error, counted as unrouted and logged", async () => {
    arm.emu.resetCounters();
    const r = await arm.raw("GET", `${RG}/providers/Microsoft.Network/frobnicators/x?api-version=2026-01-01`);
    expect(r.status).toBe(404);
    expect(code(r.body)).toBe("InvalidResourceType");
    const ns = await arm.raw("GET", `${RG}/providers/Microsoft.Nope/things/x?api-version=2026-01-01`);
    expect(code(ns.body)).toBe("NoRegisteredProviderFound");
    const method = await arm.raw("PATCH", `${VNET}?api-version=2026-01-01`, { body: {} });
    expect(method.status).toBe(405);
    const c = arm.emu.counters();
    expect(c.byOperation.unrouted).toBe(3);
    expect(c.unrouted[0]).toContain("frobnicators");
  });
});

describe("headers, ETag and If-Match", () => {
  it("sends x-ms-request-id, ETag and the remaining-reads/writes headers", async () => {
    const r = await arm.raw("GET", `${VNET}?api-version=2026-01-01`);
    expect(r.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.etag).toBe((r.body as { etag: string }).etag);
    expect(Number(r.headers["x-ms-ratelimit-remaining-subscription-reads"])).toBeGreaterThan(200);
  });

  it("412 when If-Match does not match, success when it does", async () => {
    const zone = `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/privateDnsZones/etag.example?api-version=2024-06-01`;
    const created = await arm.raw("PUT", zone, {
      body: { location: "global" },
      headers: { "if-none-match": "*" },
    });
    expect(created.status).toBe(201);
    const again = await arm.raw("PUT", zone, {
      body: { location: "global" },
      headers: { "if-none-match": "*" },
    });
    expect(again.status).toBe(412);
    expect(code(again.body)).toBe("PreconditionFailed");
    const stale = await arm.raw("PUT", zone, {
      body: { location: "global" },
      headers: { "if-match": "not-the-etag" },
    });
    expect(stale.status).toBe(412);
    const result = await arm.raw("GET", String(created.headers.location).replace(arm.emu.url, ""));
    expect(result.status).toBe(200);
    expect((result.body as { name: string }).name).toBe("etag.example");
    const status = await arm.raw(
      "GET",
      String(created.headers["azure-asyncoperation"]).replace(arm.emu.url, ""),
    );
    expect(status.body).toMatchObject({ status: "Succeeded" });
    const etag = (created.body as { etag: string }).etag;
    const ok = await arm.raw("PUT", zone, {
      body: { location: "global", tags: { a: "b" } },
      headers: { "if-match": etag },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBeDefined();
  });
});

describe("throttling", () => {
  it("per-principal read bucket: 250 burst, then 429 SubscriptionRequestsThrottled with Retry-After", async () => {
    // The buckets refill on the emulator's clock: a clock that stands still makes the count exact.
    const t = await startTestArm({ clock: new FakeClock() });
    try {
      const path = `/subscriptions/${PART_SUB}/resourceGroups/rg-partner?api-version=2021-04-01`;
      let last = await t.raw("GET", path, { identity: "partner" });
      let n = 1;
      while (last.status === 200 && n < 5000) {
        last = await t.raw("GET", path, { identity: "partner" });
        n++;
      }
      expect(n).toBe(251);
      expect(last.status).toBe(429);
      expect(code(last.body)).toBe("SubscriptionRequestsThrottled");
      expect(Number(last.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(last.headers["x-ms-ratelimit-remaining-subscription-reads"]).toBe("0");
      // Another principal has its own bucket.
      expect(
        (await t.raw("GET", `/subscriptions/${PROV_SUB}/resourceGroups/rg-aks?api-version=2021-04-01`))
          .status,
      ).toBe(200);
    } finally {
      await t.close();
    }
  });

  it("buckets on an injected clock: exactly the burst, Retry-After until the next token, refill per second", () => {
    const th = new Throttler();
    const take = (now: number, cls: "reads" | "writes" = "reads") =>
      th.take("partner", PART_SUB, "subscription", cls, now);
    const t0 = 1_000_000;
    const remaining = Array.from(
      { length: 250 },
      () => take(t0)["x-ms-ratelimit-remaining-subscription-reads"],
    );
    expect(remaining.at(0)).toBe("249");
    expect(remaining.at(-1)).toBe("0");
    let refused: unknown;
    try {
      take(t0);
    } catch (e) {
      refused = e;
    }
    expect(refused).toMatchObject({
      message: expect.stringMatching(/Number of 'read' requests for subscription/),
      status: 429,
      code: "SubscriptionRequestsThrottled",
      headers: { "Retry-After": "1", "x-ms-ratelimit-remaining-subscription-reads": "0" },
    });
    // 25 tokens a second: one second later exactly 25 more pass.
    for (let i = 0; i < 25; i++) take(t0 + 1000);
    expect(() => take(t0 + 1000)).toThrow(/exceeded/);
    // Writes have their own bucket (200 burst).
    expect(take(t0, "writes")).toEqual({ "x-ms-ratelimit-remaining-subscription-writes": "199" });
  });
});

describe("admin endpoints", () => {
  const admin = (method: string, path: string, body?: unknown) =>
    arm.raw(method, `/_sandbox/${path}`, { token: arm.emu.adminToken, body });

  it("require the admin token", async () => {
    expect((await arm.raw("GET", "/_sandbox/counters")).status).toBe(401);
  });

  it("serve counters per operation and identity, reset them, set faults and show the state", async () => {
    await admin("POST", "counters/reset");
    await arm.raw("GET", `${VNET}?api-version=2026-01-01`, { identity: "aks-controller" });
    const c = (await admin("GET", "counters")).body as {
      total: number;
      byIdentity: Record<string, { byOperation: Record<string, number> }>;
    };
    expect(c.total).toBe(1);
    expect(c.byIdentity["aks-controller"]?.byOperation.VirtualNetworks_Get).toBe(1);
    expect(
      (
        await admin("PUT", "faults", [
          { operation: "VirtualNetworks_Get", kind: "503", times: 1, retryAfterSeconds: 7 },
        ])
      ).status,
    ).toBe(204);
    const faulted = await arm.raw("GET", `${VNET}?api-version=2026-01-01`);
    expect(faulted.status).toBe(503);
    expect(faulted.headers["retry-after"]).toBe("7");
    expect((await arm.raw("GET", `${VNET}?api-version=2026-01-01`)).status).toBe(200);
    expect((await admin("PUT", "faults", [{ kind: "nonsense" }])).status).toBe(400);
    const state = (await admin("GET", "state")).body as {
      format: string;
      resources: Record<string, unknown>;
    };
    expect(state.format).toBe("plsctl-arm-state");
    expect(Object.keys(state.resources).some((k) => k.endsWith("/aks-vnet"))).toBe(true);
  });

  describe("latency faults", () => {
    // The emulator runs in this process: faking setTimeout makes its delay an injected clock.
    afterEach(() => {
      vi.useRealTimers();
      arm.emu.setFaults([]);
    });
    const vnetGets = () => arm.emu.counters().byOperation.VirtualNetworks_Get ?? 0;

    it("hold the matching operation for latencyMs, once; other requests pass meanwhile", async () => {
      arm.emu.setFaults([{ operation: "VirtualNetworks_Get", kind: "latency", latencyMs: 250, times: 1 }]);
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      const before = vnetGets();
      let delayedStatus: number | undefined;
      const delayed = arm.raw("GET", `${VNET}?api-version=2026-01-01`).then((r) => {
        delayedStatus = r.status;
      });
      // The emulator counts the request and picks its faults in the same step.
      while (vnetGets() === before) await new Promise((r) => setImmediate(r));

      // The fault was used up: the same operation passes at once, and so does another one.
      expect((await arm.raw("GET", `${VNET}?api-version=2026-01-01`)).status).toBe(200);
      expect((await arm.raw("GET", `${RG}?api-version=2021-04-01`)).status).toBe(200);
      vi.advanceTimersByTime(249);
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      expect(delayedStatus).toBeUndefined();

      vi.advanceTimersByTime(1);
      await delayed;
      expect(delayedStatus).toBe(200);
    });
  });

  it("reset brings back the world and keeps the tokens", async () => {
    await seedPls(arm);
    const before = { ...arm.emu.tokens };
    expect((await admin("POST", "reset")).status).toBe(204);
    const r = await arm.raw(
      "GET",
      `/subscriptions/${PROV_SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Network/privateLinkServices?api-version=2026-01-01`,
    );
    expect(r.status).toBe(200);
    expect((r.body as { value: unknown[] }).value).toEqual([]);
    expect(arm.emu.tokens).toEqual(before);
  });
});
