import { Argument, type CommandUnknownOpts } from "@commander-js/extra-typings";
import { ExitCode } from "../domain/errors.js";
import {
  type CompletionArgument,
  type CompletionCommand,
  type CompletionOption,
  SHELLS,
  type ValueCompletion,
} from "../output/completion-tree.js";
import { VERSION } from "../version.js";
import { defineCommand } from "./declare.js";

/**
 * What a value can be completed with: the declared choices, else file or directory names when
 * the value is named so (`<path>`, `<file>`, `<dir>`), else nothing (free text).
 */
function valueCompletion(name: string, choices: readonly string[] | undefined): ValueCompletion {
  if (choices?.length) return { kind: "words", words: [...choices] };
  if (/(^|[-_])dir(ectory)?s?$/i.test(name)) return { kind: "dirs" };
  if (/(^|[-_])(path|file)s?$/i.test(name)) return { kind: "files" };
  return { kind: "text" };
}

function optionOf(option: CommandUnknownOpts["options"][number]): CompletionOption {
  const flags = [option.short, option.long].filter((f): f is string => Boolean(f));
  const valueName = option.flags.match(/[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/)?.[1] ?? "value";
  return {
    flags,
    description: option.description,
    // a custom parser may collect (--nat-ip a --nat-ip b); the one .choices() sets only validates
    repeatable: option.variadic || (option.parseArg !== undefined && !option.argChoices),
    ...(option.required || option.optional
      ? {
          value: {
            name: valueName,
            optional: option.optional && !option.required,
            complete: valueCompletion(valueName, option.argChoices),
          },
        }
      : {}),
  };
}

function argumentOf(arg: Argument, choices?: readonly string[]): CompletionArgument {
  return {
    name: arg.name(),
    description: arg.description,
    variadic: arg.variadic,
    complete: valueCompletion(arg.name(), choices ?? arg.argChoices),
  };
}

/**
 * The command tree as completion needs it, read from commander's declaration at run time: every
 * visible command (with commander's implicit `help`), option (with `--help`/`--version`) and
 * argument, and the choices declared on them. A new flag or command appears without any change here.
 */
export function completionTree(command: CommandUnknownOpts): CompletionCommand {
  const help = command.createHelp();
  const subcommands = help.visibleCommands(command);
  const names = subcommands.filter((c) => c.name() !== "help").map((c) => c.name());
  return {
    name: command.name(),
    aliases: command.aliases(),
    description: command.summary() || command.description(),
    options: help.visibleOptions(command).map(optionOf),
    args: command.registeredArguments.map((a) => argumentOf(a)),
    commands: subcommands.map((sub) =>
      command.commands.includes(sub)
        ? completionTree(sub)
        : // commander's implicit `help [command]`: its argument is one of its siblings
          {
            ...completionTree(sub),
            args: sub.registeredArguments.map((a) => argumentOf(a, names)),
          },
    ),
  };
}

/** The program a command belongs to: the root of its tree. */
function rootOf(command: CommandUnknownOpts): CommandUnknownOpts {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

export const completion = defineCommand({
  name: "completion",
  summary: "print a shell completion script (bash, zsh, fish)",
  description:
    "Print a completion script for commands, subcommands, flags and the flags' fixed values " +
    "(-o, --cloud, ...). The script is static — the command tree is embedded, so a TAB starts " +
    "no process — and comes from this plsctl's own declarations: regenerate it after upgrading.",
  declare: (c) => c.addArgument(new Argument("<shell>", "the shell to write the script for").choices(SHELLS)),
  // The tree is read from commander's declaration (no I/O): the whole program, from its root.
  input: ({ args: [shell], command }) => ({ shell, tree: completionTree(rootOf(command)) }),
  async run(ctx, input) {
    const { renderCompletion } = await import("../output/completion.js");
    ctx.stdout.write(renderCompletion(input.shell, input.tree, VERSION));
    // The script completes `plsctl`, the word typed at the prompt; under npx that is not it.
    if (ctx.env.cli !== "plsctl")
      ctx.report.info(
        "Note: this script completes the command `plsctl`, not `npx plsctl`: put plsctl on the PATH first (`npm link` in the clone).",
      );
  },
  notes: "The script completes the command plsctl as typed (on the PATH), not npx plsctl.",
  exitCodes: [
    [ExitCode.Ok, "the script was printed"],
    [ExitCode.Usage, "a shell other than bash, zsh or fish"],
  ],
  examples: [
    "source <(plsctl completion bash)                                     # bash, this shell",
    "echo 'source <(plsctl completion bash)' >> ~/.bashrc                 # bash, every new shell",
    // the shell's own ${…}, not a placeholder
    `plsctl completion zsh > "\${fpath[1]}/_plsctl"                        # zsh (then start a new shell)`,
    "plsctl completion fish > ~/.config/fish/completions/plsctl.fish      # fish",
  ],
});
