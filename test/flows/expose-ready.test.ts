/**
 * expose calls a Service ready only when the controller's last sync succeeded and the PLS shows
 * every azure-pls-* annotation the Service has — not only the flags of this run.
 */
import type { V1Service } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
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

/** A clock whose sleeps pass at once in its own time (a little real time lets the sandbox work). */
function fastClock(): Clock {
  let now = Date.now();
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        now += ms;
        const timer = setTimeout(resolve, 20);
        signal?.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
}

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
    const r = await runCli(["expose", "matching", "--nat-ip", "10.225.0.11", "--timeout", "10m"], {
      env: t.env,
      clock: fastClock(),
    });
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
  const t = useSandbox({ provisioningDelayMs: 4000 });

  const readService = (name: string): Promise<V1Service> =>
    t.core.readNamespacedService({ name, namespace: "default" });

  it('says "provisioned" only once the Service has its load balancer IP', async () => {
    // Annotated already: the controller creates frontend and PLS, then takes 4 s to report the IP.
    await createService(t.core, "slow", PLS_CREATE);
    const arm = armAs(t.sb);
    for (let i = 0; i < 300 && (await plsIn(arm, t.sb)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const checks: Promise<string | undefined>[] = [];
    const r = await runCli(["expose", "slow"], {
      env: t.env,
      onStderr: (chunk) => {
        if (/provisioned/.test(chunk)) checks.push(readService("slow").then(ingressOf));
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/provisioned\n.*is ready/);
    expect(r.stderr).not.toMatch(/provisioning/);
    expect(checks).toHaveLength(1);
    expect(await checks[0]).toMatch(/^10\.224\./);
  });

  it("waits until the PLS shows annotations set by hand, not only this run's flags", async () => {
    await t.sb.controller.idle();
    // Keep the controller busy with another Service, so it reaches "slow" only after a while.
    await createService(t.core, "busy", PLS_CREATE);
    for (let i = 0; i < 200 && (await eventsOf(t.core, "busy")).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await annotate(t.core, "slow", { [`${A}azure-pls-fqdns`]: "slow.contoso.com" });
    const r = await runCli(["expose", "slow", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false, fqdns: ["slow.contoso.com"] });
  });
});
