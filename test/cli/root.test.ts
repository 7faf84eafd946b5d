import { describe, expect, it } from "vitest";
import { EXIT_CODE_HELP, ExitCode } from "../../src/domain/errors.js";
import { VERSION } from "../../src/version.js";
import { runCli } from "../helpers/run-cli.js";

describe("root command", () => {
  it("prints the version", async () => {
    const r = await runCli(["--version"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it("lists the exit codes and environment variables in the root help", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const [code, text] of EXIT_CODE_HELP) expect(r.stdout).toContain(`${code}`.padEnd(5) + text);
    for (const name of [
      "PLSCTL_ACCESS_TOKEN",
      "PLSCTL_ARM_ENDPOINT",
      "PLSCTL_CA_FILE",
      "KUBECONFIG",
      "NO_COLOR",
    ]) {
      expect(r.stdout).toContain(name);
    }
  });

  it("prints help and succeeds without arguments", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: plsctl");
  });

  it.each([
    [["--frobnicate"], /^error: unknown option '--frobnicate'\. See 'plsctl --help'\.\n$/],
    [["--verbos"], /unknown option .--verbos. — did you mean --verbose\? See/],
    [["--output", "xml", "--help"], /argument 'xml' is invalid\. Allowed choices are table, json, yaml/],
    [["--cloud", "Mars", "--version"], /Allowed choices are AzureCloud, AzureUSGovernment, AzureChinaCloud/],
    [["--kubeconfig"], /option '--kubeconfig <path>' argument missing/],
  ])("rejects %j as a usage error on one line", async (argv, pattern) => {
    const r = await runCli(argv);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("honours NO_COLOR and non-TTY streams (no escape codes)", async () => {
    const r = await runCli(["--frobnicate"], { tty: true, env: { NO_COLOR: "1" } });
    expect(r.stderr).not.toContain("\u001b[");
    const forced = await runCli(["--frobnicate"], { env: { FORCE_COLOR: "1" } });
    expect(forced.stderr).toContain("\u001b[");
  });
});
