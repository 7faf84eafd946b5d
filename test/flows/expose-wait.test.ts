/** The waiting part of expose with a slow controller: timeout, Ctrl-C and resume. */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites } from "../helpers/sandbox-sdk.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox({ provisioningDelayMs: 1500 });

describe("expose waiting", () => {
  it("times out with exit 5 and says how to resume", async () => {
    await createService(t.core, "slow", INTERNAL);
    const r = await runCli(["expose", "slow", "--timeout", "200ms"], { env: t.env });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Timed out after 0 s waiting for the Private Link Service of default\/slow/);
    expect(r.stderr).toMatch(/re-run the same command to keep waiting/);
    const done = await runCli(["expose", "slow", "-o", "json"], { env: t.env });
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ changed: false, provisioningState: "Succeeded" });
  });

  it("exits 130 on Ctrl-C and a re-run picks up where it stopped", async () => {
    await createService(t.core, "interrupted", INTERNAL);
    const controller = new AbortController();
    const r = await runCli(["expose", "interrupted", "--pls-name", "pls-int"], {
      env: t.env,
      signal: controller.signal,
      onStderr: (chunk) => {
        if (chunk.includes("Annotated Service")) setTimeout(() => controller.abort(), 50);
      },
    });
    expect(r.code).toBe(130);
    // One line of how far it got (the last step reported) and that the rest was not done.
    expect(r.stderr).toMatch(
      /error: Interrupted after: [^\n]+\. The rest was not done\.\n[\s\S]*re-run the same command/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const writes = kubeWrites(t.sb);
    const resumed = await runCli(["expose", "interrupted", "--pls-name", "pls-int", "-o", "json"], {
      env: t.env,
    });
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      name: "pls-int",
      changed: false,
      provisioningState: "Succeeded",
    });
    expect(resumed.stderr).toContain("already has these settings");
    await t.sb.controller.idle();
    // The only new writes: the controller's own (status, events) and plsctl's record of the result.
    const pl = await t.core.readNamespacedService({ name: "interrupted", namespace: "default" });
    expect(pl.metadata?.annotations?.["plsctl.io/pls-id"]).toMatch(/pls-int$/);
    expect(kubeWrites(t.sb)).toBeGreaterThan(writes);
  });
});
