/**
 * Retries are not silent: each retry after a 429, a 5xx or a dropped connection is one line on
 * stderr saying what Azure answered and when plsctl tries again (none under -q); and the error
 * after the last retry says what to do.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner, removePartnerEndpoints } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
});

const PUT_CONNECTION = { method: "PUT", path: "**/privateEndpointConnections/*" };

async function approveUnder(faults: Parameters<typeof t.sb.arm.setFaults>[0], extra: string[] = []) {
  await removePartnerEndpoints(t);
  await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe", message: "fabrikam" });
  t.sb.arm.setFaults(faults);
  const clock = new FakeClock(Date.now());
  return runClock(
    clock,
    runCli(["approve", "--pls", plsId, "--all-pending", ...extra], { env: sandboxEnv(t.sb, "ci"), clock }),
  ).finally(() => t.sb.arm.setFaults([]));
}

describe("retry notices", () => {
  it("three throttled answers: three lines, each with the answer and the wait; then approved", async () => {
    const r = await approveUnder([
      { status: 429, code: "SubscriptionRequestsThrottled", retryAfter: 2, times: 3, match: PUT_CONNECTION },
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.includes("trying again"));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^Azure answered 429 SubscriptionRequestsThrottled to PUT privateEndpointConnections\/pe-1\.\S+ \(Azure is throttling requests\); trying again in 2 s \(retry 1\)$/,
    );
    expect(lines[2]).toMatch(/\(retry 3\)$/);
  });

  it("a dropped connection: the line says so, and the PUT is sent again", async () => {
    const r = await approveUnder([{ kind: "drop", times: 1, match: PUT_CONNECTION }]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /The connection to Azure dropped during PUT privateEndpointConnections\/pe-1\.\S+; trying again in 1 s \(retry 1\)/,
    );
  });

  it("-q: no retry lines", async () => {
    const r = await approveUnder(
      [
        {
          status: 429,
          code: "SubscriptionRequestsThrottled",
          retryAfter: 1,
          times: 2,
          match: PUT_CONNECTION,
        },
      ],
      ["-q"],
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/trying again/);
  });

  it("five 500s: three retries said, then the failure with what to do", async () => {
    const r = await approveUnder([{ status: 500, times: 5, match: PUT_CONNECTION }], ["-o", "json"]);
    expect(r.code).toBe(1);
    expect(
      r.stderr
        .split("\n")
        .filter((l) => /^Azure answered 500 .*\(an error on Azure's side\); trying again in/.test(l)),
    ).toHaveLength(3);
    const failed = JSON.parse(r.stdout).results[0];
    expect(failed.outcome).toBe("failed");
    expect(failed.reason).toMatch(/retried 3 times over \d+ s\. .*re-run/i);
  });
});
