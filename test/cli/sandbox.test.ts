/** `plsctl sandbox` without a running sandbox: input errors, offline reset, status. */
import { existsSync, writeFileSync } from "node:fs";
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
    expect(reset.stdout).toMatch(/starts fresh with `plsctl sandbox up`/);
    expect(existsSync(join(d, "world.json"))).toBe(true);
  });

  it("uses PLSCTL_SANDBOX_DIR as the default state directory", async () => {
    const d = dir();
    const r = await runCli(["sandbox", "status", "-o", "json"], { env: { PLSCTL_SANDBOX_DIR: d } });
    expect(JSON.parse(r.stdout).stateDir).toBe(d);
    const home = await runCli(["sandbox", "status", "-o", "json"], { env: { HOME: "/home/someone" } });
    expect(JSON.parse(home.stdout).stateDir).toBe("/home/someone/.cache/plsctl/sandbox");
  });
});
