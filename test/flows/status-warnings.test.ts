/**
 * status shows the warnings since the last successful sync, with their age and whole message; its
 * JSON spells the resource group as ARM does and has no `changed`; notes go to stderr and obey -q.
 */
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/context.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { A, annotate, createService, INTERNAL } from "../sandbox/helpers/services.js";

// The controller retries a failed Service only after a minute: no retry races the fix below.
const t = useSandbox({ retry: { baseMs: 60_000, maxMs: 60_000 } });

/** The real time, two minutes on. */
const later: Clock = { now: () => Date.now() + 120_000, sleep: async () => {} };

describe("status warnings", () => {
  it("shows the controller's whole message with its age, then nothing once a sync succeeded", async () => {
    await createService(t.core, "warn", INTERNAL);
    const exposed = await runCli(
      ["expose", "warn", "--nat-subnet", "pls-nat-subnet", "--nat-ip", "10.225.0.40"],
      {
        env: t.env,
      },
    );
    expect(exposed.code, exposed.stderr).toBe(0);
    await annotate(t.core, "warn", { [`${A}azure-pls-ip-configuration-subnet`]: "aks-subnet" });
    await t.sb.controller.idle();

    const json = await runCli(["status", "warn", "-o", "json"], { env: t.env });
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out).not.toHaveProperty("changed");
    expect(out.warnings).toEqual([
      expect.objectContaining({
        reason: "SyncLoadBalancerFailed",
        message: expect.stringMatching(
          /create or update PLS: PUT https:\/\/[\s\S]*ERROR CODE: PrivateIPAddressNotInSubnet/,
        ),
        lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);

    const table = await runCli(["status", "warn", "--no-color"], { env: t.env, clock: later });
    expect(table.stdout).toMatch(
      /Warnings since the last successful sync:\n {2}SyncLoadBalancerFailed \((x\d+, )?2m ago\): Error syncing/,
    );
    expect(table.stdout).toMatch(/\n {6}ERROR CODE: PrivateIPAddressNotInSubnet\n/);

    const fixed = await runCli(["expose", "warn", "--nat-subnet", "pls-nat-subnet"], { env: t.env });
    expect(fixed.code, fixed.stderr).toBe(0);
    const after = await runCli(["status", "warn", "-o", "json"], { env: t.env });
    expect(JSON.parse(after.stdout).warnings).toEqual([]);
  });
});

describe("resource group and notes", () => {
  it("spells the resource group as ARM does, also before the PLS exists (--no-wait)", async () => {
    await createService(t.core, "early", INTERNAL);
    const r = await runCli(["expose", "early", "--no-wait", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ resourceGroup: "MC_rg-aks_aks-demo_westeurope" });
  });

  it.each([["json"], ["yaml"], ["table"]])(
    "puts the visibility note on stderr with -o %s, and -q hides it",
    async (format) => {
      const r = await runCli(["expose", "early", "-o", format], { env: t.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/Note: visibility is role-based access only/);
      expect(r.stdout).not.toMatch(/role-based access only:/);
      const quiet = await runCli(["expose", "early", "-o", format, "-q"], { env: t.env });
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).not.toMatch(/Note:/);
    },
  );
});
