/**
 * The waiting part of expose with a slow controller: timeout, Ctrl-C and resume. Time is fake: the
 * sandbox (ARM's operations, the controller's waits) runs on `clock`; a run that must time out or be
 * interrupted while the controller works gets a clock of its own, so the controller's time stands
 * still meanwhile; a run that must finish shares `clock` and the test moves it on.
 */
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { type RunCliOptions, runCli } from "../helpers/run-cli.js";
import { kubeWrites, networkAs } from "../helpers/sandbox-sdk.js";
import { NODE_RG } from "../sandbox/helpers/arm.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

const clock = new FakeClock(Date.now());
const t = useSandbox({ provisioningDelayMs: 1500, clock });

/** A plsctl run on the sandbox's clock, which moves on until the run ends. */
const finished = (argv: string[], opts: RunCliOptions = {}) =>
  runClock(clock, runCli(argv, { env: t.env, clock, ...opts }));
const settle = () => runClock(clock, t.sb.controller.idle());

describe("expose waiting", () => {
  it("times out with exit 5 and says how to resume", async () => {
    await createService(t.core, "slow", INTERNAL);
    const own = new FakeClock(Date.now());
    const r = await runClock(
      own,
      runCli(["expose", "slow", "--timeout", "200ms"], { env: t.env, clock: own }),
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/Timed out after 0 s waiting for the Private Link Service of default\/slow/);
    expect(r.stderr).toMatch(/re-run the same command to keep waiting/);
    const done = await finished(["expose", "slow", "-o", "json"]);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ changed: false, provisioningState: "Succeeded" });
  });

  it("exits 130 on Ctrl-C and a re-run picks up where it stopped", async () => {
    await createService(t.core, "interrupted", INTERNAL);
    const controller = new AbortController();
    const own = new FakeClock(Date.now());
    const r = await runCli(["expose", "interrupted", "--pls-name", "pls-int"], {
      env: t.env,
      clock: own,
      signal: controller.signal,
      onStderr: (chunk) => {
        // Ctrl-C while it waits for the controller.
        if (chunk.includes("Annotated Service")) void own.sleeping().then(() => controller.abort());
      },
    });
    expect(r.code).toBe(130);
    // One line of how far it got (the last step reported) and that the rest was not done.
    expect(r.stderr).toMatch(
      /error: Interrupted after: [^\n]+\. The rest was not done\.\n[\s\S]*re-run the same command/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const writes = kubeWrites(t.sb);
    const resumed = await finished(["expose", "interrupted", "--pls-name", "pls-int", "-o", "json"]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      name: "pls-int",
      changed: false,
      provisioningState: "Succeeded",
    });
    expect(resumed.stderr).toContain("already has these settings");
    await settle();
    // The only new writes: the controller's own (status, events) and plsctl's record of the result.
    const pl = await t.core.readNamespacedService({ name: "interrupted", namespace: "default" });
    expect(pl.metadata?.annotations?.["plsctl.io/pls-id"]).toMatch(/pls-int$/);
    expect(kubeWrites(t.sb)).toBeGreaterThan(writes);
  });
});

describe("a PLS deleted by hand after expose", () => {
  it("a re-run asks the controller to reconcile again, and the PLS is back; the request is not left on the Service", async () => {
    await createService(t.core, "gone", INTERNAL);
    const first = await finished(["expose", "gone", "--pls-name", "pls-gone", "-o", "json"]);
    expect(first.code, first.stderr).toBe(0);
    await settle();
    await networkAs(t.sb, "provider").privateLinkServices.beginDeleteAndWait(NODE_RG, "pls-gone", {
      updateIntervalInMs: 10,
    });
    // The controller's last sync succeeded and nothing changed on the Service: without a nudge it
    // would never look at it again.
    const again = await finished(["expose", "gone", "--pls-name", "pls-gone", "-o", "json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("asking the AKS controller to reconcile it again");
    expect(JSON.parse(again.stdout)).toMatchObject({ name: "pls-gone", provisioningState: "Succeeded" });
    const pls = await networkAs(t.sb, "provider").privateLinkServices.get(NODE_RG, "pls-gone");
    expect(pls.provisioningState).toBe("Succeeded");
    const svc = await t.core.readNamespacedService({ name: "gone", namespace: "default" });
    expect(Object.keys(svc.metadata?.annotations ?? {})).not.toContain("plsctl.io/reconcile-requested");
    // A third run: the PLS is there, nothing to ask for.
    const third = await finished(["expose", "gone", "--pls-name", "pls-gone"]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toContain("reconcile it again");
  });
});
