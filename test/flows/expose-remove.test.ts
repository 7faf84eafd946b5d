/** A setting can be removed on purpose: --no-fqdns, --no-visibility, --no-auto-approve, --no-nat-ip. */
import { describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { networkAs } from "../helpers/sandbox-sdk.js";
import { A, createService, INTERNAL } from "../sandbox/helpers/services.js";

const t = useSandbox();
const PARTNER = DEFAULT_IDS.partnerSubscriptionId;

describe("expose --no-…", () => {
  it("removes the annotations, and waits until the PLS shows it", async () => {
    await createService(t.core, "rm", INTERNAL);
    const first = await runCli(
      [
        "expose",
        "rm",
        "--pls-name",
        "pls-rm",
        "--fqdn",
        "rm.contoso.com",
        "--visibility",
        PARTNER,
        "--auto-approve",
        PARTNER,
        "--nat-subnet",
        "pls-nat-subnet",
        "--nat-ip",
        "10.225.0.30",
      ],
      { env: t.env },
    );
    expect(first.code, first.stderr).toBe(0);

    const r = await runCli(
      ["expose", "rm", "--no-fqdns", "--no-visibility", "--no-auto-approve", "--no-nat-ip", "-o", "json"],
      { env: t.env },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ changed: true, fqdns: [], visibility: [], autoApproval: [] });
    expect(out.natIps).toHaveLength(1);
    const annotations =
      (await t.core.readNamespacedService({ name: "rm", namespace: "default" })).metadata?.annotations ?? {};
    for (const key of ["fqdns", "visibility", "auto-approval", "ip-configuration-ip-address"]) {
      expect(annotations).not.toHaveProperty(`${A}azure-pls-${key}`);
    }
    expect(annotations[`${A}azure-pls-ip-configuration-subnet`]).toBe("pls-nat-subnet");
    const pls = await networkAs(t.sb, "provider").privateLinkServices.get(
      "MC_rg-aks_aks-demo_westeurope",
      "pls-rm",
    );
    expect(pls.ipConfigurations?.map((c) => c.privateIPAllocationMethod)).toEqual(["Dynamic"]);
    expect(pls.visibility?.subscriptions ?? []).toEqual([]);
    expect(pls.autoApproval?.subscriptions ?? []).toEqual([]);
    expect(pls.fqdns ?? []).toEqual([]);
    // The role-based-only note goes to stderr, whatever the output format.
    expect(r.stderr).toMatch(/Note: visibility is role-based access only/);
  });

  it("writes nothing when the settings are already gone", async () => {
    const r = await runCli(["expose", "rm", "--no-fqdns", "--no-visibility", "-o", "json"], { env: t.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ changed: false });
  });
});
