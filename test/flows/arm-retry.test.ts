/**
 * plsctl's ARM retries (src/azure/retry.ts) through the real SDK clients against the sandbox ARM:
 * faults make 429/503/409 with Retry-After; the sandbox counts the requests; the clock is fake,
 * so no test waits for a Retry-After.
 */
import dc from "node:diagnostics_channel";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Azure, createAzure } from "../../src/azure/index.js";
import { deletePls, listPls } from "../../src/azure/pls.js";
import { findPlsByAlias, readPls } from "../../src/azure/pls-lookup.js";
import { replayable } from "../../src/azure/retry.js";
import { CLOUDS } from "../../src/domain/cloud.js";
import { readEnv } from "../../src/env.js";
import type { FaultRule } from "../../src/sandbox/arm/index.js";
import { NODE_RG, PROV_SUB, seedPls, startTestArm, type TestArm } from "../sandbox/helpers/arm.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

let arm: TestArm;

beforeAll(async () => {
  arm = await startTestArm();
});
afterAll(async () => arm?.close());

async function azureOn(
  url: string,
  clock: FakeClock,
  o: { caFile?: string; token?: string } = {},
): Promise<Azure> {
  return createAzure({
    env: readEnv({
      PLSCTL_ARM_ENDPOINT: url,
      PLSCTL_CA_FILE: o.caFile ?? arm.emu.caFile,
      PLSCTL_ACCESS_TOKEN: o.token ?? arm.emu.tokens.provider,
    }),
    cloud: CLOUDS.AzureCloud,
    tenant: undefined,
    subscription: PROV_SUB,
    signal: new AbortController().signal,
    debug: () => undefined,
    clock,
  });
}

/** Lists the node resource group's PLSs with these faults on; returns the list calls ARM saw. */
async function listWith(faults: FaultRule[], clock = new FakeClock(Date.now())) {
  arm.emu.setFaults(faults.map((f) => ({ operation: "PrivateLinkServices_List", ...f })));
  arm.emu.resetCounters();
  const azure = await azureOn(arm.emu.url, clock);
  const result = runClock(clock, listPls(azure, PROV_SUB, NODE_RG));
  const settled = await result.then(
    (v) => ({ ok: true as const, value: v }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  arm.emu.setFaults([]);
  return {
    ...settled,
    calls: arm.emu.counters().byOperation.PrivateLinkServices_List ?? 0,
    sleeps: clock.sleeps,
  };
}

describe("ARM retries", () => {
  it("retries 429 after Retry-After seconds", async () => {
    const r = await listWith([{ kind: "429", times: 2, retryAfterSeconds: 7 }]);
    expect(r.ok).toBe(true);
    expect(r.calls).toBe(3);
    expect(r.sleeps).toEqual([7000, 7000]);
  });

  it("prefers x-ms-retry-after-ms on a 503", async () => {
    const r = await listWith([{ kind: "503", times: 1, retryAfterSeconds: 9, retryAfterMs: 1500 }]);
    expect(r).toMatchObject({ ok: true, calls: 2, sleeps: [1500] });
  });

  it("reads Retry-After as an HTTP date", async () => {
    const r = await listWith([{ kind: "429", times: 1, retryAfterSeconds: 20, retryAfterDate: true }]);
    expect(r).toMatchObject({ ok: true, calls: 2 });
    // An HTTP date has whole seconds.
    expect(r.sleeps).toHaveLength(1);
    expect(Math.abs((r.sleeps[0] ?? 0) - 20_000)).toBeLessThanOrEqual(1000);
  });

  it("retries RetryableErrorDueToAnotherOperation (409, no hint: backoff 1 s, 2 s; and as a 429)", async () => {
    const conflict = await listWith([{ kind: "409", times: 2 }]);
    expect(conflict).toMatchObject({ ok: true, calls: 3, sleeps: [1000, 2000] });
    const locked = await listWith([
      { kind: "429", times: 1, errorCode: "RetryableErrorDueToAnotherOperation", retryAfterSeconds: 3 },
    ]);
    expect(locked).toMatchObject({ ok: true, calls: 2, sleeps: [3000] });
  });

  it("does not retry another 409", async () => {
    const r = await listWith([{ kind: "409", times: 1, errorCode: "AnotherOperationInProgress" }]);
    expect(r).toMatchObject({ ok: false, calls: 1, sleeps: [] });
  });

  it("gives up within its 60 s budget and says what it tried", async () => {
    const r = await listWith([{ kind: "429", retryAfterSeconds: 25 }]);
    // 0 s, 25 s, 50 s; one more would end at 75 s.
    expect(r).toMatchObject({ ok: false, calls: 3, sleeps: [25_000, 25_000] });
    expect(r.ok ? undefined : r.err).toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(
        /^Could not list Private Link Services in resource group \S+: Azure is throttling requests \(429 TooManyRequests\); retried 2 times over 50 s\.$/,
      ),
      hint: expect.stringMatching(/re-run/),
    });
    const far = await listWith([{ kind: "503", retryAfterSeconds: 300 }]);
    expect(far).toMatchObject({ ok: false, calls: 1, sleeps: [] });
    expect(far.ok ? undefined : far.err).toMatchObject({
      message: expect.stringMatching(
        /unavailable for now \(503 ServiceUnavailable\); Azure asks to wait 120 s, longer than plsctl waits \(60 s\)\.$/,
      ),
    });
  });

  it("reports a refused connection after one attempt", async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    let attempts = 0;
    const count = (m: unknown) => {
      const req = (m as { request: { getHeader(n: string): unknown } }).request;
      if (req.getHeader("host") === `127.0.0.1:${port}`) attempts += 1;
    };
    dc.subscribe("http.client.request.start", count);
    try {
      const clock = new FakeClock(Date.now());
      const azure = await azureOn(`https://127.0.0.1:${port}`, clock);
      await expect(listPls(azure, PROV_SUB, NODE_RG)).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringMatching(/ECONNREFUSED|refused/i),
      });
      expect(attempts).toBe(1);
      expect(clock.sleeps).toEqual([]);
    } finally {
      dc.unsubscribe("http.client.request.start", count);
    }
  });

  it("sends a read again when the connection dropped mid-request (1 s, 2 s), then reports the drop", async () => {
    const once = await listWith([{ kind: "drop", times: 1 }]);
    expect(once.ok, String(once.ok ? "" : once.err)).toBe(true);
    expect(once.calls).toBe(2);
    expect(once.sleeps).toEqual([1000]);
    const always = await listWith([{ kind: "drop", times: 5 }]);
    expect(always.ok).toBe(false);
    expect(always.calls).toBe(3);
    expect(always.sleeps).toEqual([1000, 2000]);
    expect(always.ok ? "" : (always.err as Error).message).toMatch(/reset|closed the connection/);
  });

  it("replays only what a replay cannot harm: not a POST, not a conditional PUT", () => {
    const req = (method: string, headers: Record<string, string> = {}) => ({
      method: method as "GET",
      headers: { has: (n: string) => n.toLowerCase() in headers } as never,
    });
    expect(["GET", "HEAD", "DELETE", "PUT"].map((m) => replayable(req(m)))).toEqual([true, true, true, true]);
    expect(replayable(req("POST"))).toBe(false);
    expect(replayable(req("PUT", { "if-match": '"etag"' }))).toBe(false);
  });

  it("retries pages of a list too", async () => {
    arm.emu.setFaults([
      { operation: "PrivateLinkServices_ListBySubscription", kind: "429", times: 1, retryAfterSeconds: 2 },
    ]);
    const clock = new FakeClock(Date.now());
    const azure = await azureOn(arm.emu.url, clock);
    await expect(
      runClock(
        clock,
        findPlsByAlias(
          azure,
          PROV_SUB,
          "none.00000000-0000-4000-8000-000000000000.westeurope.azure.privatelinkservice",
        ),
      ),
    ).resolves.toBeUndefined();
    expect(clock.sleeps).toEqual([2000]);
    arm.emu.setFaults([]);
  });
});

describe("long-running operations", () => {
  it("poll at ARM's Retry-After on the injected clock", async () => {
    // Seed without delays, then restart the same state with 3 s operations on a fake clock.
    const seeded = await startTestArm();
    const made = await seedPls(seeded, { name: "pls-slow" });
    await seeded.close({ keepDir: true });
    const clock = new FakeClock(Date.now());
    const slow = await startTestArm({ stateDir: seeded.dir, lroDelayMs: 3000, clock });
    try {
      const azure = await azureOn(slow.emu.url, clock, {
        caFile: slow.emu.caFile,
        token: slow.emu.tokens.provider,
      });
      const pls = await readPls(azure, {
        subscriptionId: PROV_SUB,
        resourceGroup: NODE_RG,
        name: "pls-slow",
      });
      expect(pls?.id).toBe(made.id);
      slow.emu.resetCounters();
      const deleting = deletePls(azure, pls ?? fail());
      await clock.sleeping();
      // The DELETE answered 202 with Retry-After: 3; no poll yet.
      expect(clock.sleeps).toEqual([3000]);
      expect(slow.emu.counters().byOperation.Operations_Poll ?? 0).toBe(0);
      clock.advance(3000);
      await deleting;
      const polls = slow.emu.counters().byOperation.Operations_Poll ?? 0;
      expect(polls).toBeGreaterThanOrEqual(1);
      expect(polls).toBeLessThanOrEqual(2); // the status, and the final result URL
      expect(clock.sleeps).toEqual([3000]);
      await expect(
        readPls(azure, { subscriptionId: PROV_SUB, resourceGroup: NODE_RG, name: "pls-slow" }),
      ).resolves.toBeUndefined();
    } finally {
      await slow.close();
      rmSync(seeded.dir, { recursive: true, force: true });
    }
  });
});

function fail(): never {
  throw new Error("no PLS");
}
