/**
 * Faults across expose, connect, approve and unexpose, injected with the sandbox's fault rules (the
 * ones `plsctl sandbox faults` sets): ARM 429 storms with Retry-After, 500/503, dropped connections,
 * latency spikes, a long-running operation that ends Failed; Kubernetes watches that close mid-wait
 * and a failed Service patch. Each time the command either succeeds or says what happened, and a
 * re-run reaches the final state of a clean run: the Service's annotations, the PLS, the partner's
 * endpoints and the connections, with write requests counted per resource. In-process, the ARM
 * retries on a fake clock where no controller has to keep pace with it.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule } from "../../src/sandbox/arm/types.js";
import type { KubeFaultRule } from "../../src/sandbox/kube/faults.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";
import { type FinalState, finalState, partnerState, writesTo } from "./state.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let clean: FinalState;
let plsId = "";

const arm = (...rules: FaultRule[]) => t.sb.arm.setFaults(rules);
const kube = (...rules: KubeFaultRule[]) => t.sb.kube.setFaults(rules);
const expose = (svc: string) =>
  runCli(["expose", svc, "--pls-name", `pls-${svc}`, "--visibility", PART, "-o", "json"], { env: t.env });

/** Exposes a fresh Service under `faults`, then re-runs without them: both end as the clean run. */
async function exposeUnder(svc: string, faults: () => void) {
  await createService(t.core, svc, INTERNAL);
  faults();
  const first = await expose(svc);
  arm();
  kube();
  const again = await expose(svc);
  expect(again.code, again.stderr).toBe(0);
  expect(await finalState(t, svc, `pls-${svc}`)).toEqual(clean);
  return first;
}

beforeAll(async () => {
  await createService(t.core, "clean", INTERNAL);
  const r = await expose("clean");
  expect(r.code, r.stderr).toBe(0);
  clean = await finalState(t, "clean", "pls-clean");
  expect(clean.pls?.provisioningState).toBe("Succeeded");
  plsId = await exposeToPartner(t, "shared", "pls-shared");
});
afterEach(() => {
  arm();
  kube();
});

describe("expose under faults", () => {
  it("a 429 storm with Retry-After: waits as told, succeeds, the clean state", async () => {
    const r = await exposeUnder("storm", () =>
      arm({ kind: "429", identity: "provider", times: 6, retryAfterSeconds: 1, retryAfterMs: 5 }),
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it("500 and 503 answers: retried, succeeds, the clean state", async () => {
    const r = await exposeUnder("errors", () =>
      arm(
        { kind: "500", identity: "provider", match: { method: "GET" }, times: 2 },
        { kind: "503", identity: "provider", times: 2, retryAfterMs: 5 },
      ),
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it("a dropped connection: a read is sent again; the re-run ends clean", async () => {
    const r = await exposeUnder("dropped-once", () => arm({ kind: "drop", identity: "provider", times: 1 }));
    expect(r.code, r.stderr).toBe(0);
  });

  it("a connection that keeps dropping: exit 1 saying the connection dropped and to re-run; the re-run ends clean", async () => {
    const r = await exposeUnder("dropped", () => arm({ kind: "drop", identity: "provider", times: 3 }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the connection was reset|closed the connection/);
    expect(r.stderr).toMatch(/dropped mid-request: re-run the same command/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("latency spikes: succeeds, the clean state", async () => {
    const r = await exposeUnder("slow", () =>
      arm({ kind: "latency", identity: "provider", latencyMs: 150, times: 8 }),
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it("the watch closes twice mid-wait: the wait resumes, succeeds, the clean state", async () => {
    const r = await exposeUnder("watch", () => kube({ kind: "closeWatch", times: 2 }));
    expect(r.code, r.stderr).toBe(0);
  });

  it("the Service patch fails (Kubernetes 500): exit 1 naming the Service, no annotation half-written", async () => {
    await createService(t.core, "patch", INTERNAL);
    kube({ kind: "status", verb: "patch", status: 500, times: 20 }); // more than any retry takes
    const r = await expose("patch");
    kube();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/patch|Service/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await finalState(t, "patch", "pls-patch")).annotations).toEqual({});
    const again = await expose("patch");
    expect(again.code, again.stderr).toBe(0);
    expect(await finalState(t, "patch", "pls-patch")).toEqual(clean);
  });
});

describe("connect under faults", () => {
  const partner = () => sandboxEnv(t.sb, "partner");
  const connect = (name: string, clock: FakeClock) =>
    runClock(
      clock,
      runCli(
        [
          "connect",
          "--pls",
          plsId,
          "--name",
          name,
          "-g",
          "rg-partner",
          "--vnet",
          "spoke01",
          "--subnet",
          "pe-subnet",
          "--request-message",
          "Fabrikam, ticket 42",
        ],
        { env: partner(), clock },
      ),
    );
  const mine = async (name: string) => (await partnerState(t)).filter((e) => e.name === name);
  const connectionsOf = async (name: string) =>
    (await finalState(t, "shared", "pls-shared")).pls?.connections.filter((c) => c.endpoint === name);

  it("the endpoint PUT's operation ends Failed: exit 1 saying so; the re-run makes one endpoint, one Pending connection", async () => {
    const clock = new FakeClock(Date.now());
    arm({ kind: "lroFailed", identity: "partner", operation: "PrivateEndpoints_CreateOrUpdate", times: 1 });
    const r = await connect("pe-failed", clock);
    arm();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Failed/);
    expect(r.stderr).toMatch(/pe-failed/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const again = await connect("pe-failed", clock);
    expect(again.code, again.stderr).toBe(0);
    expect(await mine("pe-failed")).toEqual([
      { name: "pe-failed", provisioningState: "Succeeded", status: "Pending", target: plsId.toLowerCase() },
    ]);
    expect(await connectionsOf("pe-failed")).toEqual([{ endpoint: "pe-failed", status: "Pending" }]);
  });

  it("a 429 storm with Retry-After (seconds, on the clock): one endpoint, one connection; a re-run writes nothing", async () => {
    const clock = new FakeClock(Date.now());
    arm({ kind: "429", identity: "partner", times: 4, retryAfterSeconds: 7 });
    const r = await connect("pe-storm", clock);
    arm();
    expect(r.code, r.stderr).toBe(0);
    expect(clock.sleeps.filter((ms) => ms === 7000).length).toBe(4); // Retry-After, as told
    expect(await connectionsOf("pe-storm")).toEqual([{ endpoint: "pe-storm", status: "Pending" }]);
    t.sb.arm.resetCounters();
    const again = await connect("pe-storm", clock);
    expect(again.code, again.stderr).toBe(0);
    expect(writesTo(t, /pe-storm/)).toEqual({});
  });
});

describe("approve under faults", () => {
  it("429, 503 and 500 on the connection PUTs: each selected connection approved, none outside, a re-run writes nothing", async () => {
    const picked = await partnerEndpoints(t.sb, plsId, 6, { prefix: "pe-pick", message: "Contoso ticket 7" });
    const others = await partnerEndpoints(t.sb, plsId, 3, { prefix: "pe-other", message: "someone else" });
    t.sb.arm.resetCounters();
    arm(
      { kind: "429", identity: "provider", match: { method: "PUT" }, times: 3, retryAfterSeconds: 2 },
      { kind: "503", identity: "provider", match: { method: "PUT" }, times: 2, retryAfterSeconds: 1 },
      { kind: "500", identity: "provider", match: { method: "PUT" }, times: 1 },
    );
    const clock = new FakeClock(Date.now());
    const approve = () =>
      runClock(
        clock,
        runCli(["approve", "--pls", plsId, "--message-match", "^Contoso", "-o", "json"], {
          env: t.env,
          clock,
        }),
      );
    const r = await approve();
    arm();
    expect(r.code, r.stderr).toBe(0);
    const puts = writesTo(t, /privateendpointconnections/);
    const putsTo = (pe: string) =>
      Object.entries(puts)
        .filter(([k]) => k.includes(`/${pe}.`) || k.endsWith(`/${pe}`))
        .reduce((n, [, v]) => n + v, 0);
    // Every PUT went to a picked connection (a faulted answer is retried: more than one there).
    expect(Object.values(puts).reduce((a, b) => a + b, 0)).toBeGreaterThan(picked.length);
    for (const pe of picked) expect(putsTo(pe)).toBeGreaterThanOrEqual(1);
    for (const pe of others) expect(putsTo(pe)).toBe(0);
    const state = (await finalState(t, "shared", "pls-shared")).pls?.connections ?? [];
    for (const pe of picked) expect(state.find((c) => c.endpoint === pe)?.status).toBe("Approved");
    for (const pe of others) expect(state.find((c) => c.endpoint === pe)?.status).toBe("Pending");
    t.sb.arm.resetCounters();
    const again = await approve();
    expect(again.code, again.stderr).toBe(0);
    expect(writesTo(t, /privateendpointconnections/)).toEqual({});
  });
});

describe("unexpose under faults", () => {
  it("the Service patch fails, then a 429 storm: exit 1 naming it; the re-run removes the PLS and every annotation", async () => {
    await createService(t.core, "gone", INTERNAL);
    expect((await expose("gone")).code).toBe(0);
    kube({ kind: "status", verb: "patch", status: 500, times: 20 });
    arm({ kind: "429", identity: "provider", times: 3, retryAfterSeconds: 1, retryAfterMs: 5 });
    const r = await runCli(["unexpose", "gone"], { env: t.env });
    kube();
    arm();
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const again = await runCli(["unexpose", "gone", "-o", "json"], { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect(await finalState(t, "gone", "pls-gone")).toEqual({ annotations: {}, pls: null });
    const twice = await runCli(["unexpose", "gone", "-o", "json"], { env: t.env });
    expect(twice.code, twice.stderr).toBe(0);
  });
});
