/**
 * `connect --timeout` is one deadline for the whole command, on the injected clock: time spent
 * before a wait (here ARM throttling the first read, answered with Retry-After) is taken off what
 * the wait gets, so the command ends by --timeout instead of giving each wait the full --timeout.
 */
import { describe, expect, it } from "vitest";
import { DEADLINE_GRACE_MS } from "../../src/flows/support/deadline.js";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { networkAs } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const PROV = DEFAULT_IDS.providerSubscriptionId;
const PART = DEFAULT_IDS.partnerSubscriptionId;
const KV = `/subscriptions/${PROV}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-contoso-demo`;
const SUBNET = `/subscriptions/${PART}/resourceGroups/rg-partner/providers/Microsoft.Network/virtualNetworks/spoke01/subnets/pe-subnet`;
const clock = new FakeClock(Date.now());
// Every long-running PUT takes 10 minutes: an endpoint PUT by an earlier run stays provisioning.
const t = useSandbox({ clock, lroDelayMs: 600_000 });
const where = ["-g", "rg-partner", "--vnet", "spoke01", "--subnet", "pe-subnet"];

/** An endpoint an earlier, interrupted run left provisioning (its PUT sent, never polled). */
async function provisioning(name: string): Promise<void> {
  await networkAs(t.sb, "partner").privateEndpoints.beginCreateOrUpdate("rg-partner", name, {
    location: "westeurope",
    subnet: { id: SUBNET },
    manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: KV, groupIds: ["vault"] }],
  });
}

/** `plsctl connect` to the Key Vault as the partner, on the injected clock. */
function connectKv(name: string, timeout: string) {
  return runClock(
    clock,
    runCli(
      [
        "connect",
        ...where,
        "--pls",
        KV,
        "--group-id",
        "vault",
        "--name",
        name,
        "--no-dns",
        "--timeout",
        timeout,
        "-o",
        "json",
      ],
      { env: sandboxEnv(t.sb, "partner"), clock },
    ),
  );
}

describe("connect --timeout: one deadline for the whole command", () => {
  it("a wait after a throttled read gets only what is left: the command ends by --timeout (exit 5)", async () => {
    await provisioning("pe-slow");
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-slow");
    expect(pe.provisioningState).toBe("Updating");
    // The first read of the endpoint is throttled for 20 s (Retry-After, on the injected clock).
    t.sb.arm.setFaults([
      {
        kind: "429",
        retryAfterSeconds: 20,
        times: 1,
        match: { method: "GET", path: "**/privateEndpoints/pe-slow" },
      },
    ]);
    const start = clock.now();
    try {
      const r = await connectKv("pe-slow", "60s");
      expect(r.code, r.stderr).toBe(5);
      // 20 s throttled, then the provisioning wait for the 40 s left: not 20 + 60.
      expect(clock.now() - start).toBeGreaterThanOrEqual(20_000);
      expect(clock.now() - start).toBeLessThanOrEqual(60_000);
      expect(r.stderr).toMatch(
        /Timed out after 60 s \(--timeout\) waiting for private endpoint pe-slow to finish provisioning \(still Updating\)/,
      );
    } finally {
      t.sb.arm.setFaults([]);
    }
  });

  it("a write Azure is still busy with at the deadline is abandoned (exit 5), and a re-run picks it up", async () => {
    const start = clock.now();
    const r = await connectKv("pe-long", "60s");
    expect(r.code, r.stderr).toBe(5);
    // The endpoint's PUT takes Azure 10 minutes: the command ends at --timeout (+ the grace), not then.
    expect(clock.now() - start).toBeLessThanOrEqual(60_000 + DEADLINE_GRACE_MS);
    expect(r.stderr).toMatch(/Timed out after 60 s \(--timeout\) while Azure was still working/);
    expect(r.stderr).toMatch(/re-run the same command/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
    const pe = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-long");
    expect(pe.provisioningState).toBe("Updating");
    // The re-run waits for that endpoint instead of creating another, and ends when Azure does.
    const again = await connectKv("pe-long", "15m");
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ endpoint: { name: "pe-long" } });
    const done = await networkAs(t.sb, "partner").privateEndpoints.get("rg-partner", "pe-long");
    expect(done.provisioningState).toBe("Succeeded");
  });
});
