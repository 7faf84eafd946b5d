/**
 * `connect --pls <alias>` when Azure answers checkPrivateLinkServiceVisibility as a long-running
 * operation (202 + Azure-AsyncOperation, the result after Retry-After): plsctl's call goes through
 * the real @azure/arm-network poller, waits on the injected clock at ARM's Retry-After, reads the
 * answer, and creates the endpoint. ARM alone (no cluster): a PLS seeded visible to the partner,
 * then the same state served with 3 s operations on a fake clock.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { PART_SUB, useSlowVisiblePls } from "../sandbox/helpers/arm.js";
import { runClock } from "../sandbox/helpers/clock.js";

const v = useSlowVisiblePls();

describe("connect over a long-running visibility check", () => {
  it("polls the check at its Retry-After on the injected clock, then creates the endpoint", async () => {
    const env = {
      PLSCTL_ARM_ENDPOINT: v.slow.emu.url,
      PLSCTL_CA_FILE: v.slow.emu.caFile,
      PLSCTL_ACCESS_TOKEN: v.slow.emu.tokens.partner ?? "",
      AZURE_SUBSCRIPTION_ID: PART_SUB,
    };
    v.slow.emu.resetCounters();
    const argv = [
      "connect",
      "--pls",
      v.pls.alias,
      "-g",
      "rg-partner",
      "--vnet",
      "spoke01",
      "--subnet",
      "pe-subnet",
    ];
    const r = await runClock(
      v.clock,
      runCli([...argv, "--name", "pe-slow", "-o", "json"], { env, clock: v.clock }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ target: v.pls.alias, state: "Pending", changed: true });
    const ops = v.slow.emu.counters().byOperation;
    expect(ops.PrivateLinkServices_CheckPrivateLinkServiceVisibility).toBe(1);
    // The visibility check's 202 and then the endpoint's 201, each waited out at Retry-After: 3.
    expect(v.clock.sleeps).toEqual([3000, 3000]);
    expect(ops.Operations_Poll).toBeGreaterThanOrEqual(2);
  });
});
