/**
 * Never print a token, on stdout as on stderr, also with --verbose: the CLI suites' typical
 * commands — success and failure, table and -o json/yaml — against a sandbox, and every token the
 * sandbox issued (each ARM identity's, the admin's, the Kubernetes API's) searched for in all
 * output, in any letter case.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOKENS_FILE } from "../../src/sandbox/arm/auth.js";
import { type CliResult, runCli } from "../helpers/run-cli.js";
import { sandboxEnv } from "../helpers/sandbox-env.js";
import { coreApi, startTestSandbox, type TestSandbox } from "../sandbox/helpers/sandbox.js";
import { createService, INTERNAL } from "../sandbox/helpers/services.js";

let sb: TestSandbox;
let tokens: string[];

beforeAll(async () => {
  sb = await startTestSandbox();
  await createService(coreApi(sb), "web", INTERNAL);
  const arm = JSON.parse(readFileSync(join(sb.stateDir, TOKENS_FILE), "utf8")) as Record<string, string>;
  tokens = [...Object.values(arm), sb.kube.token];
});
afterAll(async () => sb?.close());

/** The token and, for JWTs, its signature alone: neither may appear, in any case. */
function leaks(output: string): string[] {
  const text = output.toLowerCase();
  return tokens
    .flatMap((t) => [t, t.split(".")[2] ?? ""])
    .filter((s) => s.length >= 16 && text.includes(s.toLowerCase()));
}

async function run(argv: string[], env: Record<string, string>): Promise<CliResult> {
  const r = await runCli([...argv, "--verbose"], { env });
  expect(leaks(r.stdout), `stdout of ${argv.join(" ")}`).toEqual([]);
  expect(leaks(r.stderr), `stderr of ${argv.join(" ")}`).toEqual([]);
  return r;
}

describe("no token in any output", () => {
  it("the test sees every token the sandbox issued", () => {
    expect(tokens.length).toBeGreaterThanOrEqual(sb.world.identities.length + 2);
    expect(Object.values(sb.arm.tokens).every((t) => tokens.includes(t))).toBe(true);
  });

  it("on success, in every output format", async () => {
    const env = sandboxEnv(sb);
    expect((await run(["expose", "web", "--pls-name", "pls-web"], env)).code).toBe(0);
    expect((await run(["expose", "web", "--pls-name", "pls-web", "-o", "json"], env)).code).toBe(0);
    expect((await run(["status", "web"], env)).code).toBe(0);
    expect((await run(["status", "web", "-o", "json"], env)).code).toBe(0);
    expect((await run(["status", "web", "-o", "yaml"], env)).code).toBe(0);
  });

  it("on failure, in table and -o json", async () => {
    const env = sandboxEnv(sb);
    const partner = { ...sandboxEnv(sb, "partner"), KUBECONFIG: sb.kube.kubeconfigPath };
    for (const output of [[], ["-o", "json"]]) {
      expect((await run(["status", "nosuch", ...output], env)).code).toBe(3);
      expect((await run(["status", "web", ...output], partner)).code).toBe(4);
      expect((await run(["expose", "web", "--nat-ip", "300.1.1.1", ...output], env)).code).toBe(2);
      expect((await run(["expose", "web", "--pls-name", "other-name", ...output], env)).code).toBe(2);
      expect((await run(["status", "web", "--subscription", "abc", ...output], env)).code).toBe(2);
      expect((await run(["expos", "web", ...output], env)).code).toBe(2);
    }
  });

  it("when an error message itself carries the token (stdout's JSON error document too)", async () => {
    const env = sandboxEnv(sb);
    const token = env.PLSCTL_ACCESS_TOKEN as string;
    for (const endpoint of [token, token.toUpperCase(), token.toLowerCase()]) {
      for (const output of [[], ["-o", "json"]]) {
        const r = await run(["status", "web", ...output], { ...env, PLSCTL_ARM_ENDPOINT: endpoint });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("PLSCTL_ARM_ENDPOINT");
        if (output.length) expect(JSON.parse(r.stdout).error.message).toContain("[redacted]");
      }
    }
  });

  it("after unexposing", async () => {
    expect((await run(["unexpose", "web", "-o", "json"], sandboxEnv(sb))).code).toBe(0);
  });
});
