/** The waiting part of expose with a slow controller: timeout, Ctrl-C and resume. */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { kubeWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { NODE_RG } from "../sandbox/helpers/arm.js";
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

describe("a PLS deleted by hand after expose", () => {
  it("a re-run asks the controller to reconcile again, and the PLS is back; the request is not left on the Service", async () => {
    await createService(t.core, "gone", INTERNAL);
    const first = await runCli(["expose", "gone", "--pls-name", "pls-gone", "-o", "json"], { env: t.env });
    expect(first.code, first.stderr).toBe(0);
    await t.sb.controller.idle();
    await networkAs(t.sb, "provider").privateLinkServices.beginDeleteAndWait(NODE_RG, "pls-gone", {
      updateIntervalInMs: 10,
    });
    // The controller's last sync succeeded and nothing changed on the Service: without a nudge it
    // would never look at it again.
    const again = await runCli(["expose", "gone", "--pls-name", "pls-gone", "-o", "json"], { env: t.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("asking the AKS controller to reconcile it again");
    expect(JSON.parse(again.stdout)).toMatchObject({ name: "pls-gone", provisioningState: "Succeeded" });
    const pls = await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, "pls-gone");
    expect(pls.provisioningState).toBe("Succeeded");
    const svc = await t.core.readNamespacedService({ name: "gone", namespace: "default" });
    expect(Object.keys(svc.metadata?.annotations ?? {})).not.toContain("plsctl.io/reconcile-requested");
    // A third run: the PLS is there, nothing to ask for.
    const third = await runCli(["expose", "gone", "--pls-name", "pls-gone"], { env: t.env });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toContain("reconcile it again");
  });
});
