/** The completion tree read from the commander declaration, and the scripts' structure per shell. */
import { Option } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { declaredProgram } from "../../src/cli.js";
import { completionTree } from "../../src/commands/completion.js";
import { renderCompletion } from "../../src/output/completion.js";
import {
  type CompletionCommand,
  type CompletionOption,
  SHELLS,
  walkTree,
} from "../../src/output/completion-tree.js";

const program = () => declaredProgram();

const find = (tree: CompletionCommand, ...path: string[]): CompletionCommand => {
  let node = tree;
  for (const name of path) {
    const next = node.commands.find((c) => c.name === name);
    if (!next) throw new Error(`no command ${path.join(" ")}`);
    node = next;
  }
  return node;
};
const option = (command: CompletionCommand, flag: string): CompletionOption | undefined =>
  command.options.find((o) => o.flags.includes(flag));

describe("completion tree (from the commander declaration)", () => {
  const tree = completionTree(program());

  it("holds every command and subcommand, with commander's help command", () => {
    expect(tree.commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(["expose", "status", "unexpose", "sandbox", "demo", "completion", "help"]),
    );
    expect(find(tree, "sandbox").commands.map((c) => c.name)).toEqual(
      expect.arrayContaining(["up", "env", "status", "reset"]),
    );
    // `help <command>` completes the sibling commands
    expect(find(tree, "help").args[0]?.complete).toEqual({
      kind: "words",
      words: tree.commands.filter((c) => c.name !== "help").map((c) => c.name),
    });
  });

  it("holds the global flags (short and long, --help, --version) and their fixed values", () => {
    expect(option(tree, "-o")).toMatchObject({
      flags: ["-o", "--output"],
      value: { name: "format", complete: { kind: "words", words: ["table", "json", "yaml"] } },
    });
    expect(option(tree, "--cloud")?.value?.complete).toEqual({
      kind: "words",
      words: ["AzureCloud", "AzureUSGovernment", "AzureChinaCloud"],
    });
    expect(option(tree, "--verbose")?.value).toBeUndefined();
    expect(option(tree, "-h")?.flags).toEqual(["-h", "--help"]);
    expect(option(tree, "-V")?.flags).toEqual(["-V", "--version"]);
  });

  it("tells file and directory values from free text by the value's name", () => {
    expect(option(tree, "--kubeconfig")?.value?.complete).toEqual({ kind: "files" });
    expect(option(find(tree, "sandbox", "up"), "--world")?.value?.complete).toEqual({ kind: "files" });
    expect(option(find(tree, "sandbox", "up"), "--state-dir")?.value?.complete).toEqual({ kind: "dirs" });
    expect(option(find(tree, "expose"), "--pls-name")?.value?.complete).toEqual({ kind: "text" });
  });

  it("marks collected flags repeatable, and the shells of `completion` as its argument's values", () => {
    expect(option(find(tree, "expose"), "--nat-ip")?.repeatable).toBe(true);
    expect(option(find(tree, "expose"), "--pls-name")?.repeatable).toBe(false);
    expect(option(tree, "-o")?.repeatable).toBe(false);
    expect(find(tree, "completion").args[0]?.complete).toEqual({ kind: "words", words: [...SHELLS] });
  });

  it("lets a subcommand accept its ancestors' flags, its own winning", () => {
    const p = program();
    p.command("frob").option("-o, --output", "a switch here");
    const at = walkTree(completionTree(p)).find((c) => c.path.join(" ") === "plsctl frob");
    expect(at?.options.filter((o) => o.flags.includes("--output"))).toEqual([
      expect.objectContaining({ description: "a switch here" }),
    ]);
    expect(at?.options.some((o) => o.flags.includes("--cloud"))).toBe(true);
  });
});

describe("a command or flag added to the program appears in every script", () => {
  const p = program();
  p.command("frobnicate")
    .summary("frobnicate things")
    .option("--frob-level <level>", "how much")
    .addOption(new Option("--frob-mode <mode>", "how").choices(["gently", "hard"]));
  p.commands.find((c) => c.name() === "status")?.option("--since-when <duration>", "newer than");
  const tree = completionTree(p);

  it.each(SHELLS)("%s", (shell) => {
    const script = renderCompletion(shell, tree, "9.9.9");
    for (const word of ["frobnicate", "frob-level", "frob-mode", "gently hard", "since-when"]) {
      expect(script).toContain(word);
    }
  });
});

describe("script structure", () => {
  const tree = completionTree(program());

  it("bash: lookup functions for every command path and a complete -F registration", () => {
    const script = renderCompletion("bash", tree, "1.2.3");
    expect(script).toContain("(plsctl 1.2.3)");
    expect(script).toContain("source <(plsctl completion bash)");
    for (const { path } of walkTree(tree)) expect(script).toContain(`    '${path.join(" ")}')\n`);
    expect(script).toContain(
      `'plsctl|-o'|'plsctl '*'|-o'|'plsctl|--output'|'plsctl '*'|--output') kind=w words='table json yaml' ;;`,
    );
    expect(script.trimEnd().endsWith("complete -F _plsctl plsctl")).toBe(true);
  });

  it("zsh: #compdef, one _arguments function per command, dispatch and compdef", () => {
    const script = renderCompletion("zsh", tree, "1.2.3");
    expect(script.startsWith("#compdef plsctl\n")).toBe(true);
    expect(script).toContain(`plsctl completion zsh > "\${fpath[1]}/_plsctl"`);
    for (const { path } of walkTree(tree)) expect(script).toContain(`_${path.join("__")}() {\n`);
    expect(script).toContain(`'(-o --output)'{-o+,--output=}'[output format]:format:(table json yaml)'`);
    expect(script).toContain(`'*'--nat-ip='[static NAT IP`);
    expect(script).toContain(`'(--proxy-protocol --no-proxy-protocol)'--proxy-protocol'[`);
    expect(script).toContain("        env) _plsctl__sandbox__env && ret=0 ;;");
    expect(script).toContain(`'1:shell:(bash zsh fish)'`);
    expect(script).toMatch(/compdef _plsctl plsctl\nfi\n$/);
  });

  it("fish: no file names by default; a complete line per command and flag", () => {
    const script = renderCompletion("fish", tree, "1.2.3");
    expect(script).toContain("plsctl completion fish > ~/.config/fish/completions/plsctl.fish");
    expect(script).toContain("\ncomplete -c plsctl -f\n");
    expect(script).toContain(
      "complete -c plsctl -n '__plsctl_at plsctl sandbox' -a env -d 'print export lines that point plsctl and kubectl at the running sandbox'",
    );
    expect(script).toContain(
      "complete -c plsctl -n '__plsctl_in plsctl' -s o -l output -x -a 'table json yaml' -d 'output format'",
    );
    expect(script).toContain("complete -c plsctl -n '__plsctl_in plsctl' -l kubeconfig -r -F -d");
    expect(script).toContain("complete -c plsctl -n '__plsctl_at plsctl completion' -a 'bash zsh fish'");
  });

  const odd: CompletionCommand = {
    name: "plsctl",
    aliases: [],
    description: "root",
    args: [],
    commands: [],
    options: [
      { flags: ["--x"], description: `it's [odd]: a\\b`, repeatable: false },
      {
        flags: ["--y"],
        description: "y",
        repeatable: false,
        value: { name: "v", optional: false, complete: { kind: "words", words: ["a b"] } },
      },
    ],
  };

  it("quotes descriptions for zsh and fish", () => {
    const quoted = { ...odd, options: odd.options.slice(0, 1) };
    expect(renderCompletion("zsh", quoted, "0")).toContain(`--x'[it'\\''s \\[odd\\]\\: a\\\\b]'`);
    expect(renderCompletion("fish", quoted, "0")).toContain(`-l x -d 'it\\'s [odd]: a\\\\b'`);
  });

  it.each(SHELLS)("%s: refuses a word it cannot embed unquoted (a bug in the declaration)", (shell) => {
    expect(() => renderCompletion(shell, odd, "0")).toThrow(/"a b" cannot be embedded/);
  });
});
