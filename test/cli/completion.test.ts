/**
 * `plsctl completion`: the scripts run in the real shells. bash is always there; zsh and fish are
 * syntax-checked where the machine has them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Option } from "@commander-js/extra-typings";
import { beforeAll, describe, expect, it } from "vitest";
import { declaredProgram } from "../../src/cli.js";
import { completionTree } from "../../src/commands/completion.js";
import { ExitCode } from "../../src/domain/errors.js";
import { renderCompletion } from "../../src/output/completion.js";
import { runCli } from "../helpers/run-cli.js";

/** Runs `script` in bash, sets COMP_WORDS to `words` (the last one is the word under the cursor),
 * calls the completion function and returns COMPREPLY. */
function bashComplete(script: string, words: string[]): string[] {
  const r = spawnSync(
    "bash",
    [
      "--norc",
      "--noprofile",
      "-c",
      `eval "$(cat)"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _plsctl; printf "%s\\n" "\${COMPREPLY[@]}"`,
      "bash",
      ...words,
    ],
    { input: script, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout.split("\n").filter(Boolean);
}

const has = (binary: string) => spawnSync("sh", ["-c", `command -v ${binary}`]).status === 0;

const GLOBAL_FLAGS = [
  ["-V", "--version", "--kubeconfig", "--context", "-n", "--namespace", "--subscription", "--tenant"],
  ["--cloud", "-o", "--output", "--no-color", "--verbose", "-q", "--quiet"],
].flat();

describe("plsctl completion bash (run in bash)", () => {
  let script = "";
  beforeAll(async () => {
    const r = await runCli(["completion", "bash"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    script = r.stdout;
  });

  it.each([
    [["plsctl", "ex"], ["expose"]],
    [
      ["plsctl", ""],
      [
        "expose",
        "status",
        "doctor",
        "unexpose",
        "migrate",
        "connections",
        "approve",
        "reject",
        "remove",
        "policy",
        "connect",
        "disconnect",
        "verify",
        "netpol",
        "sandbox",
        "demo",
        "completion",
        "help",
      ],
    ],
    [
      ["plsctl", "expose", "--pls-"],
      ["--pls-name", "--pls-resource-group"],
    ],
    [
      ["plsctl", "expose", "web", "--nat-ip", "10.0.0.1", "--no-"],
      [
        "--no-nat-ip",
        "--no-fqdns",
        "--no-proxy-protocol",
        "--no-visibility",
        "--no-auto-approve",
        "--no-wait",
        "--no-record",
        "--no-color",
      ],
    ],
    [
      ["plsctl", "-o", ""],
      ["table", "json", "yaml"],
    ],
    [
      ["plsctl", "status", "-o", ""],
      ["table", "json", "yaml"],
    ],
    [["plsctl", "status", "web", "--output", "j"], ["json"]],
    [
      ["plsctl", "--output", "=", ""],
      ["table", "json", "yaml"],
    ],
    [["plsctl", "--output=y"], ["--output=yaml"]],
    [["plsctl", "--cloud", "AzureU"], ["AzureUSGovernment"]],
    [
      ["plsctl", "-n", "shop", "sandbox", ""],
      ["up", "env", "status", "requests", "request", "reset", "faults", "help"],
    ],
    [["plsctl", "sandbox", "e"], ["env"]],
    [
      ["plsctl", "sandbox", "env", "-"],
      ["--state-dir", "--as", "-h", "--help", ...GLOBAL_FLAGS],
    ],
    [
      ["plsctl", "completion", ""],
      ["bash", "zsh", "fish"],
    ],
    [["plsctl", "help", "sa"], ["sandbox"]],
  ])("%j → %j", (words, expected) => {
    expect(bashComplete(script, words).sort()).toEqual([...expected].sort());
  });

  it("completes nothing where a value is free text, e.g. `sandbox env --as <TAB>` (a world file may name other identities)", () => {
    expect(bashComplete(script, ["plsctl", "sandbox", "env", "--as", ""])).toEqual([]);
    expect(bashComplete(script, ["plsctl", "expose", "--pls-name", ""])).toEqual([]);
    // the value was skipped: the next word is a flag again
    expect(bashComplete(script, ["plsctl", "sandbox", "env", "--as", "ci", "--st"])).toEqual(["--state-dir"]);
  });

  it("completes `sandbox env --as` from the option's choices once they are declared", () => {
    const program = declaredProgram();
    const env = program.commands
      .find((c) => c.name() === "sandbox")
      ?.commands.find((c) => c.name() === "env");
    const as = env?.options.find((o) => o.long === "--as") as Option | undefined;
    as?.choices(["provider", "ci", "partner"]);
    const withChoices = renderCompletion("bash", completionTree(program), "0");
    expect(bashComplete(withChoices, ["plsctl", "sandbox", "env", "--as", ""])).toEqual([
      "provider",
      "ci",
      "partner",
    ]);
  });

  it("completes directory names for --state-dir", () => {
    expect(bashComplete(script, ["plsctl", "sandbox", "up", "--state-dir", "/tm"])).toContain("/tmp");
  });

  it("offers nothing after `--` (everything after it is an argument)", () => {
    expect(bashComplete(script, ["plsctl", "expose", "--", "-"])).toEqual([]);
  });

  it("follows a subcommand's own flag that shadows a global one", () => {
    const program = declaredProgram();
    program.command("frob").addOption(new Option("-o, --output", "a switch here")).argument("<what>");
    program.command("frob2").addOption(new Option("-o, --output <x>").choices(["a", "b"]));
    const custom = renderCompletion("bash", completionTree(program), "0");
    expect(bashComplete(custom, ["plsctl", "frob2", "-o", ""])).toEqual(["a", "b"]);
    expect(bashComplete(custom, ["plsctl", "frob", "-o", ""])).toEqual([]);
    expect(bashComplete(custom, ["plsctl", "status", "-o", ""])).toEqual(["table", "json", "yaml"]);
  });
});

describe("plsctl completion zsh|fish (syntax)", () => {
  it.skipIf(!has("zsh"))("zsh -n accepts the zsh script (skipped: no zsh on this machine)", async () => {
    const r = await runCli(["completion", "zsh"]);
    const check = spawnSync("zsh", ["-n"], { input: r.stdout, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it.skipIf(!has("fish"))(
    "fish --no-execute accepts the fish script (skipped: no fish on this machine)",
    async () => {
      const r = await runCli(["completion", "fish"]);
      const dir = mkdtempSync(join(tmpdir(), "plsctl-completion-"));
      try {
        const file = join(dir, "plsctl.fish");
        writeFileSync(file, r.stdout);
        const check = spawnSync("fish", ["--no-execute", file], { encoding: "utf8" });
        expect(check.stderr).toBe("");
        expect(check.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("plsctl completion (command)", () => {
  it("refuses an unknown shell with exit 2, naming the ones it knows", async () => {
    const r = await runCli(["completion", "tcsh"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/'tcsh' is invalid.*Allowed choices are bash, zsh, fish/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("needs a shell", async () => {
    const r = await runCli(["completion"]);
    expect(r.code).toBe(ExitCode.Usage);
    expect(r.stderr).toMatch(/missing required argument 'shell'/);
  });

  it("says how to install the script, and that it is static", async () => {
    const r = await runCli(["completion", "--help"]);
    expect(r.code).toBe(0);
    for (const line of [
      "source <(plsctl completion bash)",
      `plsctl completion zsh > "\${fpath[1]}/_plsctl"`,
      "plsctl completion fish > ~/.config/fish/completions/plsctl.fish",
      "static",
    ]) {
      expect(r.stdout).toContain(line);
    }
  });

  it.each(["bash", "zsh", "fish"])(
    "%s: says it completes plsctl, not npx plsctl (in the script, and on stderr under npx)",
    async (shell) => {
      const plain = await runCli(["completion", shell]);
      expect(plain.stdout).toContain(
        "# Completes `plsctl` as typed (on the PATH), not `npx plsctl`: from a clone, `npm link` puts plsctl on the PATH.",
      );
      expect(plain.stderr).toBe("");
      const npx = await runCli(["completion", shell], { env: { npm_command: "exec" } });
      expect(npx.code).toBe(0);
      expect(npx.stdout).toBe(plain.stdout);
      expect(npx.stderr).toBe(
        "Note: this script completes the command `plsctl`, not `npx plsctl`: put plsctl on the PATH first (`npm link` in the clone).\n",
      );
    },
  );

  it("is listed in the root help", async () => {
    const r = await runCli(["--help"]);
    expect(r.stdout).toMatch(/completion.*print a shell completion script/);
  });
});
