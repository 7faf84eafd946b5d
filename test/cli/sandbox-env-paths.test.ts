/**
 * A sandbox started with a relative --state-dir (`sandbox up --state-dir ./two-clusters`): the
 * paths `sandbox env` exports are absolute, so the shell that evaluated them keeps working after a
 * `cd`, and another shell in another directory gets paths that exist.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.js";
import { runCli } from "../helpers/run-cli.js";

let sb: Sandbox;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "plsctl-sandbox-env-paths-"));
  sb = await startSandbox({ stateDir: relative(process.cwd(), dir) });
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sandbox env of a sandbox started with a relative state directory", () => {
  it("exports absolute PLSCTL_CA_FILE and KUBECONFIG inside the state directory", async () => {
    const r = await runCli(["sandbox", "env", "--state-dir", relative(process.cwd(), dir), "-o", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const { env } = JSON.parse(r.stdout) as { env: Record<string, string> };
    for (const name of ["PLSCTL_CA_FILE", "KUBECONFIG", "PLSCTL_SANDBOX_DIR"] as const) {
      expect(isAbsolute(env[name] ?? ""), `${name}=${env[name]}`).toBe(true);
      expect(existsSync(env[name] ?? "")).toBe(true);
    }
    expect(env.PLSCTL_CA_FILE).toBe(join(dir, "ca.crt"));
    expect(env.KUBECONFIG).toBe(join(dir, "kubeconfig"));
  });
});
