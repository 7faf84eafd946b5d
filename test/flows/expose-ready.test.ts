/**
 * expose calls a Service ready only when the controller's last sync succeeded and the PLS shows
 * every azure-pls-* annotation the Service has — not only the flags of this run. Waits run on fake
 * clocks the test moves on (test/sandbox/helpers/clock.ts), never on the wall clock.
 */
import type { V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";
import { armAs } from "../sandbox/helpers/sandbox.js";
import {
  A,
  annotate,
  createService,
  eventsOf,
  INTERNAL,
  ingressOf,
  PLS_CREATE,
  plsIn,
} from "../sandbox/helpers/services.js";

describe("expose after the controller failed", () => {
  // The controller retries a failed Service only after a minute here, so no retry is running when
  // expose writes (a retry of the old annotations could otherwise fail right after the fix).
  const t = useSandbox({ retry: { baseMs: 60_000, maxMs: 60_000 } });

  /** The walkthrough's repro: a PLS with a static NAT IP, then its subnet changed by hand. */
  async function stranded(name: string, ip: string): Promise<void> {
    await createService(t.core, name, INTERNAL);
    const first = await runCli(["expose", name, "--nat-subnet", "pls-nat-subnet", "--nat-ip", ip], {
      env: t.env,
    });
    expect(first.code).toBe(0);
    await annotate(t.core, name, { [`${A}azure-pls-ip-configuration-subnet`]: "aks-subnet" });
    await t.sb.controller.idle();
    const events = await eventsOf(t.core, name);
    expect(events.map((e) => e.reason)).toContain("SyncLoadBalancerFailed");
  }

  it("exits 1 with the controller's message when nothing changed, instead of calling it ready", async () => {
    await stranded("sample-app", "10.225.0.10");
    const r = await runCli(["expose", "sample-app", "-o", "json"], { env: t.env });
    expect(r.stderr).not.toMatch(/is ready/);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed to set up the Private Link Service for default\/sample-app/);
    expect(r.stderr).toMatch(/PrivateIPAddressNotInSubnet/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "SyncLoadBalancerFailed", exitCode: 1 } });
  });

  it("ends at once, not at the timeout, when the flags match the old PLS", async () => {
    await stranded("matching", "10.225.0.11");
    // plsctl's clock moves on from wait to wait: were it to wait for the controller, it would run
    // into the 10 minutes and say "Timed out".
    const clock = new FakeClock(Date.now());
    const r = await runClock(
      clock,
      runCli(["expose", "matching", "--nat-ip", "10.225.0.11", "--timeout", "10m"], { env: t.env, clock }),
    );
    expect(r.stderr).not.toMatch(/is ready|Timed out/);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PrivateIPAddressNotInSubnet/);
  });

  it("is ready again once the Service is fixed", async () => {
    const r = await runCli(["expose", "matching", "--nat-subnet", "pls-nat-subnet", "-o", "json"], {
      env: t.env,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: true, natIps: ["10.225.0.11"] });
  });
});

describe("expose with a slow controller", () => {
  // The sandbox and plsctl share one fake clock, moved on from wait to wait while a run lasts.
  const clock = new FakeClock(Date.now());
  const t = useSandbox({ provisioningDelayMs: 4000, clock });

  const readService = (name: string): Promise<V1Service> =>
    t.core.readNamespacedService({ name, namespace: "default" });

  it('says "provisioned" only once the Service has its load balancer IP', async () => {
    // Annotated already: the controller creates frontend and PLS, then takes 4 s to report the IP.
    await createService(t.core, "slow", PLS_CREATE);
    const arm = armAs(t.sb);
    for (let i = 0; i < 10 && (await plsIn(arm, t.sb)).length === 0; i++) {
      await clock.sleeping();
      if ((await plsIn(arm, t.sb)).length > 0) break;
      const due = clock.nextDue();
      if (due !== undefined) clock.advance(due - clock.now());
    }
    const checks: Promise<string | undefined>[] = [];
    const r = await runClock(
      clock,
      runCli(["expose", "slow"], {
        env: t.env,
        clock,
        onStderr: (chunk) => {
          if (/provisioned/.test(chunk)) checks.push(readService("slow").then(ingressOf));
        },
      }),
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/provisioned\n.*is ready/);
    expect(r.stderr).not.toMatch(/provisioning/);
    expect(checks).toHaveLength(1);
    expect(await checks[0]).toMatch(/^10\.224\./);
  });

  it("waits until the PLS shows annotations set by hand, not only this run's flags", async () => {
    await runClock(clock, t.sb.controller.idle());
    // Keep the controller busy with another Service, so it reaches "slow" only after a while.
    await createService(t.core, "busy", PLS_CREATE);
    // The controller waits (on the fake clock) for busy's load balancer.
    await clock.sleeping();
    expect(await eventsOf(t.core, "busy")).not.toHaveLength(0);
    await annotate(t.core, "slow", { [`${A}azure-pls-fqdns`]: "slow.contoso.com" });
    const r = await runClock(clock, runCli(["expose", "slow", "-o", "json"], { env: t.env, clock }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false, fqdns: ["slow.contoso.com"] });
  });
});
