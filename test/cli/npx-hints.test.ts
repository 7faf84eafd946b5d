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

  it("a usage error commander finds (a bad --state choice): the help pointer says npx plsctl, text and JSON", async () => {
    const r = await runCli(["connections", "web", "--state", "bogus"], { env: { npm_command: "exec" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("See 'npx plsctl connections --help'.");
    const json = await runCli(["connections", "web", "--state", "bogus", "-o", "json"], {
      env: { npm_command: "exec" },
    });
    expect(JSON.parse(json.stdout).error.hint).toBe("See 'npx plsctl connections --help'.");
    const plain = await runCli(["connections", "web", "--state", "bogus"]);
    expect(plain.stderr).toContain("See 'plsctl connections --help'.");
  });

  it("run as plsctl, the same hint says plsctl", async () => {
    const r = await runCli(["status", "web"]);
    expect(r.stderr).toContain(`try the sandbox: eval "$(plsctl sandbox env)"`);
    expect(r.stderr).not.toContain("npx");
  });
});
