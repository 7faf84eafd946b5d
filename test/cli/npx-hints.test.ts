/**
 * Under npx (npm_command=exec) the commands an error's hint quotes read `npx plsctl …`: a clone has
 * no `plsctl` on the PATH, and `eval "$(plsctl …)"` would fail there with `command not found`.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("hints in the form the user ran plsctl", () => {
  it("no cluster configured: the sandbox eval line and the help pointer say npx plsctl", async () => {
    const r = await runCli(["status", "web"], { env: { npm_command: "exec" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`try the sandbox: eval "$(npx plsctl sandbox env)"`);
    expect(r.stderr).toContain("See 'npx plsctl status --help'.");
    const json = await runCli(["status", "web", "-o", "json"], { env: { npm_command: "exec" } });
    expect(JSON.parse(json.stdout).error.hint).toContain(`eval "$(npx plsctl sandbox env)"`);
  });

  it("run as plsctl, the same hint says plsctl", async () => {
    const r = await runCli(["status", "web"]);
    expect(r.stderr).toContain(`try the sandbox: eval "$(plsctl sandbox env)"`);
    expect(r.stderr).not.toContain("npx");
  });
});
