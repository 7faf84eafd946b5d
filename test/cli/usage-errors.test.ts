/** Commander's usage errors: one line pointing at the failing command's help, and -o json honoured. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";

describe("usage errors point at the help of the command they happened in", () => {
  it.each([
    [["--frobnicate"], "plsctl"],
    [["expos"], "plsctl"],
    [["expose", "--frob"], "plsctl expose"],
    [["expose"], "plsctl expose"],
    [["status", "a", "b"], "plsctl status"],
    [["expose", "web", "-o", "xml"], "plsctl expose"],
    [["sandbox", "frob"], "plsctl sandbox"],
    [["sandbox", "env", "--frob"], "plsctl sandbox env"],
    [["sandbox"], "plsctl sandbox"],
  ])("%j → See '%s --help'.", async (argv, path) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    const last = r.stderr.trimEnd().split("\n").at(-1) ?? "";
    expect(last).toMatch(/^error: /);
    expect(last.endsWith(` See '${path} --help'.`)).toBe(true);
    expect(r.stdout).toBe("");
  });

  it("names the missing subcommand of a command that only groups others", async () => {
    const r = await runCli(["sandbox"]);
    expect(r.stderr).toContain(
      "error: 'plsctl sandbox' needs a command: up, env, status, requests, request, reset, faults.",
    );
    expect(r.stderr).not.toContain("outputHelp");
  });
});

describe("with -o json, a usage error is also a JSON error document on stdout", () => {
  it.each([
    [["expos", "-o", "json"], "plsctl", /unknown command 'expos' — did you mean expose\?/],
    [["expose", "-o", "jsno"], "plsctl expose", /argument 'jsno' is invalid/],
    [["expose", "--output", "json", "--frob"], "plsctl expose", /unknown option '--frob'/],
    [["-ojson", "expose"], "plsctl expose", /missing required argument 'service'/],
    [["expose", "--output=json", "web", "extra"], "plsctl expose", /too many arguments/],
  ])("%j", async (argv, path, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      error: {
        code: "InvalidInput",
        message: expect.stringMatching(message),
        hint: `See '${path} --help'.`,
        exitCode: 2,
      },
    });
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("prints nothing on stdout without -o json", async () => {
    for (const argv of [["expos"], ["expose", "-o", "table", "--frob"], ["expose", "-o", "yaml", "--frob"]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
    }
  });
});
