/** `plsctl sandbox` without a running sandbox: input errors, offline reset, status, the hints. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultWorld } from "../../src/sandbox/world.js";
import { loadWorldFile } from "../../src/sandbox/world-file.js";
import { runCli } from "../helpers/run-cli.js";
import { tempDir } from "../helpers/temp.js";

const dir = () => tempDir("plsctl-sandbox-cli-");

describe("plsctl sandbox (offline)", () => {
  it("ships the default world as examples/world.yaml", () => {
    expect(loadWorldFile("examples/world.yaml")).toEqual(defaultWorld());
  });

  it("lists every problem of a bad world file, and starts nothing", async () => {
    const d = dir();
    const file = join(d, "world.yaml");
    writeFileSync(file, "tenants: []\nsubscriptions:\n  - id: nope\n");
    const r = await runCli(["sandbox", "up", "--state-dir", join(d, "state"), "--world", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid sandbox world in .*world\.yaml/);
    expect(r.stderr).toMatch(/subscriptions\[0\]/);
    // What to do comes once, last.
    expect(r.stderr.match(/examples\/world\.yaml/g)).toHaveLength(1);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(
      /Fix the file \(examples\/world\.yaml .*\) and try again\. See 'plsctl sandbox up --help'\.$/,
    );
    expect(existsSync(join(d, "state", "sandbox.json"))).toBe(false);
  });

  it.each([
    [["--arm-port", "70000"], /--arm-port "70000" is not a port number/],
    [["--lro-delay", "soon"], /--lro-delay "soon" is not a duration/],
  ])("rejects %j", async (flags, message) => {
    const r = await runCli(["sandbox", "up", "--state-dir", dir(), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("reports a stopped sandbox and resets one on disk", async () => {
    const d = dir();
    const status = await runCli(["sandbox", "status", "--state-dir", d, "-o", "json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ running: false, stateDir: d, pid: null });
    const reset = await runCli(["sandbox", "reset", "--state-dir", d, "--world", "examples/world.yaml"]);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`starts fresh with \`plsctl sandbox up --state-dir ${d}\``);
    expect(existsSync(join(d, "world.json"))).toBe(true);
  });

  it("uses PLSCTL_SANDBOX_DIR as the default state directory", async () => {
    const d = dir();
    const r = await runCli(["sandbox", "status", "-o", "json"], { env: { PLSCTL_SANDBOX_DIR: d } });
    expect(JSON.parse(r.stdout).stateDir).toBe(d);
    const home = await runCli(["sandbox", "status", "-o", "json"], { env: { HOME: "/home/someone" } });
    expect(JSON.parse(home.stdout).stateDir).toBe("/home/someone/.cache/plsctl/sandbox");
  });

  it("sandbox env without a running sandbox: exit 3, what to run, nothing on stdout", async () => {
    const d = dir();
    const r = await runCli(["sandbox", "env", "--state-dir", d]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`No sandbox is running in ${d}.`);
    expect(r.stderr).toMatch(new RegExp(`plsctl sandbox up --state-dir ${d}\n$`));
    const json = await runCli(["sandbox", "env", "--state-dir", d, "-o", "json"]);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: "SandboxNotRunning", exitCode: 3 });
  });

  it("hints name the state directory the way it was given, so they work as printed", async () => {
    const spaced = join(dir(), "my sandbox");
    const env = await runCli(["sandbox", "env", "--state-dir", spaced]);
    expect(env.stderr).toContain(`plsctl sandbox up --state-dir '${spaced}'`);
    const status = await runCli(["sandbox", "status", "--state-dir", spaced]);
    expect(status.stdout).toContain(`start it with: plsctl sandbox up --state-dir '${spaced}'\n`);
    // PLSCTL_SANDBOX_DIR is named too (another terminal may not have it); the default needs no flag.
    const d = dir();
    const byEnv = await runCli(["sandbox", "env"], { env: { PLSCTL_SANDBOX_DIR: d } });
    expect(byEnv.code).toBe(3);
    expect(byEnv.stderr).toMatch(new RegExp(`plsctl sandbox up --state-dir ${d}\n$`));
    const byDefault = await runCli(["sandbox", "env"], { env: { HOME: d } });
    expect(byDefault.code).toBe(3);
    expect(byDefault.stderr).toMatch(/plsctl sandbox up\. If yours runs from another state directory/);
    // The built-in directory, as `sandbox env` exports it, is not spelled out either.
    const exported = await runCli(["sandbox", "env"], {
      env: { HOME: d, PLSCTL_SANDBOX_DIR: join(d, ".cache", "plsctl", "sandbox") },
    });
    expect(exported.stderr).toMatch(/plsctl sandbox up\. If yours runs/);
    expect(exported.stderr).not.toContain("--state-dir /");
    const reset = await runCli(["sandbox", "reset", "--state-dir", spaced]);
    expect(reset.stdout).toContain(`\`plsctl sandbox up --state-dir '${spaced}'\``);
  });

  it("sandbox up next to a running one says how to use that one, with its --state-dir", async () => {
    const d = dir();
    mkdirSync(d, { recursive: true });
    // What a sandbox running in another process (here: our parent, alive) leaves in its state dir.
    writeFileSync(
      join(d, "sandbox.json"),
      JSON.stringify({
        pid: process.ppid,
        startedAt: new Date().toISOString(),
        stateDir: d,
        arm: { url: "https://127.0.0.1:1", caFile: join(d, "ca.crt") },
        kube: { url: "https://127.0.0.1:2", kubeconfigPath: join(d, "kubeconfig"), context: "aks-demo" },
        identities: [],
      }),
    );
    const r = await runCli(["sandbox", "up", "--state-dir", d]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`A sandbox already runs from ${d} (pid ${process.ppid}).`);
    expect(r.stderr).toContain(`eval "$(plsctl sandbox env --state-dir ${d})"`);
  });
});
