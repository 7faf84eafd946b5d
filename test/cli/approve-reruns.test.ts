/**
 * Scheduled CI runs of approve must not turn red on their own decisions: selectors take Pending
 * connections (a Rejected one is refused only when named), `message` rules never match a
 * connection that is no longer Pending, the progress line says what is written, --watch says a
 * refusal on stderr, and an interrupted run says how many writes landed.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IDS } from "../../src/sandbox/world.js";
import { useSandbox } from "../helpers/flow-sandbox.js";
import { exposeToPartner, removePartnerEndpoints } from "../helpers/partner.js";
import { runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { armWrites, partnerEndpoints } from "../helpers/sandbox-sdk.js";
import { tempDir } from "../helpers/temp.js";
import { FakeClock, runClock } from "../sandbox/helpers/clock.js";

const PART = DEFAULT_IDS.partnerSubscriptionId;
const t = useSandbox();
let plsId = "";

beforeAll(async () => {
  plsId = await exposeToPartner(t, "web", "pls-web");
});

function policyFile(text: string): string {
  const file = join(tempDir("plsctl-policy-"), "partners.yaml");
  writeFileSync(file, text);
  return file;
}

const POLICY = `partners:
  - name: fabrikam
    subscriptions: [${PART}]
    message: "^fabrikam "
`;

describe("approve --policy --enforce, run on a schedule", () => {
  it("the second run leaves the connection the first one rejected alone: exit 0, nothing written", async () => {
    await removePartnerEndpoints(t);
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "odd", message: "hello" });
    const env = sandboxEnv(t.sb, "ci");
    const args = ["approve", "--pls", plsId, "--policy", policyFile(POLICY), "--enforce"];
    const first = await runCli([...args, "-o", "json"], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).summary).toMatchObject({ rejected: 1, approved: 0 });
    // The progress line says what is written: a rejection, not an approval.
    expect(first.stderr).toMatch(/Rejecting 1 connection \(up to 8 at a time\)/);
    expect(first.stderr).not.toMatch(/Approving/);
    t.sb.arm.resetCounters();
    for (const run of [1, 2]) {
      const again = await runCli([...args, "-o", "json"], { env });
      expect(again.code, `${run}: ${again.stderr}`).toBe(0);
      const doc = JSON.parse(again.stdout);
      expect(doc.summary).toMatchObject({ refused: 0, rejected: 0, failed: 0 });
      expect(doc.results).toEqual([]);
    }
    expect(armWrites(t.sb, "ci")).toBe(0);
  });

  it("named explicitly, a Rejected connection is still refused (exit 1)", async () => {
    const r = await runCli(["approve", "--pls", plsId, "odd-1"], { env: sandboxEnv(t.sb, "ci") });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/refused/);
  });

  it("--message-match takes Pending connections only: the provider's description is no request message", async () => {
    await removePartnerEndpoints(t);
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "ok", message: "fabrikam prod" });
    const env = sandboxEnv(t.sb, "ci");
    const ok = await runCli(["approve", "--pls", plsId, "--all-pending", "--description", "test done"], {
      env,
    });
    expect(ok.code, ok.stderr).toBe(0);
    t.sb.arm.resetCounters();
    const r = await runCli(["reject", "--pls", plsId, "--message-match", "^test", "-o", "json"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual([]);
    expect(armWrites(t.sb, "ci")).toBe(0);
  });

  it("--watch: a pass with a refusal says so on stderr, one line per connection", async () => {
    await removePartnerEndpoints(t);
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "gone", message: "hello" });
    const env = sandboxEnv(t.sb, "ci");
    expect((await runCli(["reject", "--pls", plsId, "gone-1"], { env })).code).toBe(0);
    const clock = new FakeClock(Date.now());
    const r = await runClock(
      clock,
      runCli(["approve", "--pls", plsId, "gone-1", "--watch", "--for", "40s", "-o", "json"], { env, clock }),
    );
    const passes = r.stdout.trim().split("\n");
    expect(passes.length).toBeGreaterThanOrEqual(2);
    const lines = r.stderr
      .split("\n")
      .filter((l) => /warning: refused: connection gone-1\.\S+ of pls-web:/.test(l));
    expect(lines).toHaveLength(passes.length);
    expect(lines[0]).toMatch(/cannot be approved/);
  });
});

describe("an interrupted approve", () => {
  it("says how many of its writes landed", async () => {
    await removePartnerEndpoints(t);
    await partnerEndpoints(t.sb, plsId, 5, { prefix: "batch", message: "fabrikam" });
    t.sb.arm.setSettings({ connectionWriteMs: 150 });
    t.sb.arm.resetCounters();
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (armWrites(t.sb, "ci") >= 2)
        controller.abort(Object.assign(new Error("Interrupted"), { name: "AbortError" }));
    }, 5);
    const r = await runCli(["approve", "--pls", plsId, "--all-pending", "--concurrency", "1"], {
      env: sandboxEnv(t.sb, "ci"),
      signal: controller.signal,
    }).finally(() => {
      clearInterval(poll);
      t.sb.arm.setSettings({ connectionWriteMs: 0 });
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/Interrupted after: [12] of 5 approved\. The rest was not done\./);
  });
});

describe("remove, run twice", () => {
  it("the second run finds the connection gone: exit 0, saying so, nothing written", async () => {
    await removePartnerEndpoints(t);
    await partnerEndpoints(t.sb, plsId, 1, { prefix: "pe-three", message: "fabrikam" });
    const env = sandboxEnv(t.sb, "ci");
    const first = await runCli(["remove", "--pls", plsId, "pe-three-1"], { env });
    expect(first.code, first.stderr).toBe(0);
    t.sb.arm.resetCounters();
    const again = await runCli(["remove", "--pls", plsId, "pe-three-1"], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /No connection named pe-three-1 \(already removed, or never there\); nothing to do/,
    );
    const json = await runCli(["remove", "--pls", plsId, "pe-three-1", "-o", "json"], { env });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ absent: ["pe-three-1"], results: [] });
    expect(armWrites(t.sb, "ci")).toBe(0);
  });

  it("approve and reject of an unknown name stay exit 3 (a typo must not pass)", async () => {
    const env = sandboxEnv(t.sb, "ci");
    for (const verb of ["approve", "reject"]) {
      const r = await runCli([verb, "--pls", plsId, "pe-nope"], { env });
      expect(r.code, verb).toBe(3);
    }
  });
});
