/**
 * `plsctl doctor` against a sandbox that is not running (its environment still exported): one line
 * with the cause, then the checks it skipped — not each check repeating the connection error. In
 * JSON every check stays, and the cause is there once.
 */
import { describe, expect, it } from "vitest";
import { CHECK_IDS, PREFLIGHT_IDS } from "../../src/domain/doctor.js";
import { identityEnv } from "../../src/flows/sandbox/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp.js";

/** What `eval "$(plsctl sandbox env)"` left in a shell, after the sandbox was stopped (its files stay). */
async function stoppedEnv(): Promise<Record<string, string>> {
  const sb = await startSandbox({ stateDir: tempDir("plsctl-doctor-stopped-") });
  const provider = sb.runtime.identities.find((i) => i.name === "provider");
  if (!provider) throw new Error("no provider identity");
  const { env } = identityEnv(sb.runtime, provider);
  await sb.close();
  return env;
}

describe("doctor with the sandbox stopped", () => {
  it("says the cause once, with the fix, then the checks it skipped (exit 1)", async () => {
    const env = await stoppedEnv();
    const r = await runCli(["doctor", "web"], { env });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^FAIL {2}Neither the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ nor Azure Resource Manager at https:\/\/127\.0\.0\.1:\d+ answers: the connection was refused \(nothing listens there\) \(ECONNREFUSED\)\.$/,
    );
    expect(lines[1]).toBe(
      "      fix: The sandbox is not running: start it (in another terminal) with plsctl sandbox up, then run doctor again.",
    );
    expect(lines[2]).toBe(`SKIP  ${CHECK_IDS.length} checks: ${CHECK_IDS.join(", ")}`);
    expect(lines[3]).toBe(`default/web: 0 passed, 0 warnings, 0 failed, ${CHECK_IDS.length} skipped`);
    expect(lines).toHaveLength(4);
    expect(r.stdout.match(/ECONNREFUSED/g)).toHaveLength(1);
  });

  it("-o json: every check present with a short detail, the cause once", async () => {
    const env = { ...(await stoppedEnv()), npm_command: "exec" };
    const r = await runCli(["doctor", "-o", "json"], { env });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.cause).toEqual({
      message: expect.stringMatching(/^Neither the Kubernetes API .* answers: .*\(ECONNREFUSED\)\.$/),
      fix: "The sandbox is not running: start it (in another terminal) with npx plsctl sandbox up, then run doctor again.",
      skipped: [...PREFLIGHT_IDS],
    });
    expect(out.checks.map((c: { id: string }) => c.id)).toEqual([...PREFLIGHT_IDS]);
    for (const c of out.checks) {
      expect(c.detail).toMatch(/^Skipped: (the Kubernetes API|Azure Resource Manager) did not answer\.$/);
      expect(c.fix).toBeNull();
    }
    expect(r.stdout.match(/ECONNREFUSED/g)).toHaveLength(1);
  });
});
