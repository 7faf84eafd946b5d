/** Parsing and input validation of expose/status/unexpose: exit 2, one message, nothing contacted. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("expose input", () => {
  it.each([
    [["expose", "web", "--nat-ip-count", "9"], /--nat-ip-count 9 is out of range/],
    [["expose", "web", "--nat-ip", "fd00::1"], /IPv4 only/],
    [
      ["expose", "web", "--nat-ip", "10.0.0.4", "--nat-ip", "10.0.0.5", "--nat-ip-count", "1"],
      /smaller than the 2 static/,
    ],
    [["expose", "web", "--visibility", "partner"], /not a subscription id/],
    [["expose", "web", "--auto-approve", "*"], /not a subscription id/],
    [["expose", "web", "--pls-name", "_x"], /must start with a letter or digit/],
    [["expose", "web", "--timeout", "soon"], /--timeout "soon" is not a duration/],
    [["expose"], /missing required argument 'service'/],
    [["expose", "a", "b"], /too many arguments/],
  ])("%j exits 2 before contacting anything", async (argv, message) => {
    // No kubeconfig and no Azure credentials exist in this environment: reaching them would fail differently.
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints a JSON error document with -o json", async () => {
    const r = await runCli(["expose", "web", "--nat-ip-count", "0", "-o", "json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "InvalidInput", exitCode: 2 } });
  });

  it("explains a missing cluster configuration", async () => {
    const r = await runCli(["status", "web"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No Kubernetes cluster configured/);
  });

  it("suggests the closest command", async () => {
    const r = await runCli(["exposee", "web"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'exposee' — did you mean expose? See 'plsctl --help'.\n");
  });
});
