/** The waiting part of expose with a slow controller: timeout, Ctrl-C and resume. */
import type { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { kubeWrites } from "../helpers/sandbox-sdk.js";
import { coreApi, startTestSandbox, type TestSandbox } from "../sandbox/helpers/sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

let sb: TestSandbox;
let core: CoreV1Api;
let env: Record<string, string>;

beforeAll(async () => {
  // The controller takes 1.5 s per Private Link Service, like a (much) faster AKS.
  sb = await startTestSandbox({ provisioningDelayMs: 1500 });
  core = coreApi(sb);
  env = sandboxEnv(sb);
});
afterAll(async () => sb?.close());

describe("expose waiting", () => {
  it("times out with exit 5 and says how to resume", async () => {
    await createService(core, "slow", INTERNAL);
    const r = await runCli(["expose", "slow", "--timeout", "200ms"], { env });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Timed out after 0 s waiting for the Private Link Service of default\/slow/);
    expect(r.stderr).toMatch(/re-run the same command to keep waiting/);
    const done = await runCli(["expose", "slow", "-o", "json"], { env });
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ changed: false, provisioningState: "Succeeded" });
  });

  it("exits 130 on Ctrl-C and a re-run picks up where it stopped", async () => {
    await createService(core, "interrupted", INTERNAL);
    const controller = new AbortController();
    const r = await runCli(["expose", "interrupted", "--pls-name", "pls-int"], {
      env,
      signal: controller.signal,
      onStderr: (chunk) => {
        if (chunk.includes("Annotated Service")) setTimeout(() => controller.abort(), 50);
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Interrupted\.[\s\S]*re-run the same command/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const writes = kubeWrites(sb);
    const resumed = await runCli(["expose", "interrupted", "--pls-name", "pls-int", "-o", "json"], { env });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      name: "pls-int",
      changed: false,
      provisioningState: "Succeeded",
    });
    expect(resumed.stderr).toContain("already has these settings");
    await sb.controller.idle();
    // The only new writes: the controller's own (status, events) and plsctl's record of the result.
    const pl = await core.readNamespacedService({ name: "interrupted", namespace: "default" });
    expect(pl.metadata?.annotations?.["plsctl.io/pls-id"]).toMatch(/pls-int$/);
    expect(kubeWrites(sb)).toBeGreaterThan(writes);
  });
});
