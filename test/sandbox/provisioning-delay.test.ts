/**
 * `--provisioning-delay` as AKS shows it: the controller's PUT of the load balancer and of the PLS is
 * a long-running operation; meanwhile the PLS exists with provisioningState `Updating` (on create
 * and on update), the Service has no ingress IP yet, and `plsctl status` says Updating. Time is a
 * fake clock the test moves on: the ARM emulator ends operations by it, the controller polls by it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { FakeClock } from "./helpers/clock.js";
import { armAs, coreApi, startTestSandbox, type TestSandbox } from "./helpers/sandbox.js";
import { A, annotate, createService, ingressOf, PLS_CREATE, plsIn } from "./helpers/services.js";

const DELAY = 30 * 60_000; // far longer than the test: only the fake clock can end it
const VISIBLE = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

let sb: TestSandbox;
const clock = new FakeClock();

beforeAll(async () => {
  sb = await startTestSandbox({ provisioningDelayMs: DELAY, clock });
});
afterAll(async () => {
  await sb?.close();
});

const plsOf = async (name: string) =>
  (await plsIn(armAs(sb), sb)).find((p) => p.tags?.["k8s-azure-owner-service"] === `default/${name}`);
const ingress = async (name: string) =>
  ingressOf(await coreApi(sb).readNamespacedService({ name, namespace: "default" }));
const status = async (name: string) => {
  const r = await runCli(["status", name, "-o", "json"], { env: sandboxEnv(sb) });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as { provisioningState: string; visibility: string[] };
};

describe("provisioning delay", () => {
  it("the PLS is Updating while the controller's PUT runs, Succeeded after; then the Service gets its IP", async () => {
    await createService(coreApi(sb), "slow", PLS_CREATE);
    // First the load balancer's frontend: its PUT runs for the delay too.
    await clock.sleeping();
    expect(await plsOf("slow")).toBeUndefined();
    clock.advance(DELAY);
    // Then the PLS: written, and the controller waits for its operation.
    await clock.sleeping();
    expect((await plsOf("slow"))?.properties.provisioningState).toBe("Updating");
    expect(await ingress("slow")).toBeUndefined();
    expect((await status("slow")).provisioningState).toBe("Updating");
    const human = await runCli(["status", "slow"], { env: sandboxEnv(sb) });
    expect(human.stdout).toMatch(/Updating/);

    clock.advance(DELAY);
    await sb.controller.idle();
    expect((await plsOf("slow"))?.properties.provisioningState).toBe("Succeeded");
    expect(await ingress("slow")).toMatch(/^10\.224\./);
    expect((await status("slow")).provisioningState).toBe("Succeeded");
  });

  it("an update of the PLS is Updating again until its operation ends", async () => {
    await annotate(coreApi(sb), "slow", { [`${A}azure-pls-visibility`]: VISIBLE });
    await clock.sleeping();
    const mid = await status("slow");
    expect(mid.provisioningState).toBe("Updating");
    expect(mid.visibility).toEqual([VISIBLE]);

    clock.advance(DELAY);
    await sb.controller.idle();
    expect((await status("slow")).provisioningState).toBe("Succeeded");
  });
});
