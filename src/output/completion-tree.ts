/**
 * The command tree as completion scripts need it: plain data, built from the commander
 * declaration by src/commands/completion.ts and rendered per shell by completion-*.ts.
 */

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

/** What follows a flag or fills an argument. */
export type ValueCompletion =
  | { kind: "words"; words: readonly string[] }
  | { kind: "files" }
  | { kind: "dirs" }
  /** Free text (a name, an id): nothing to offer. */
  | { kind: "text" };

export interface CompletionOption {
  /** Every spelling, short first: ["-o", "--output"]. */
  flags: readonly string[];
  description: string;
  /** Absent for a switch. */
  value?: { name: string; optional: boolean; complete: ValueCompletion };
  /** May be given more than once (variadic, or collected by its parser). */
  repeatable: boolean;
}

export interface CompletionArgument {
  name: string;
  description: string;
  variadic: boolean;
  complete: ValueCompletion;
}

export interface CompletionCommand {
  name: string;
  aliases: readonly string[];
  description: string;
  /** The command's own options; subcommands also accept their ancestors'. */
  options: readonly CompletionOption[];
  args: readonly CompletionArgument[];
  commands: readonly CompletionCommand[];
}

/** A command together with where it sits: its path from the root ("plsctl sandbox env"). */
export interface CommandAt {
  command: CompletionCommand;
  path: readonly string[];
  /** The options it accepts: its own first, then its ancestors' that it does not redeclare. */
  options: readonly CompletionOption[];
  /** The options its parent accepts. */
  inherited: readonly CompletionOption[];
}

/** Every command of the tree, parents before children. */
export function walkTree(root: CompletionCommand): CommandAt[] {
  const out: CommandAt[] = [];
  const visit = (command: CompletionCommand, path: string[], inherited: readonly CompletionOption[]) => {
    const own = new Set(command.options.flatMap((o) => o.flags));
    const options = [...command.options, ...inherited.filter((o) => !o.flags.some((f) => own.has(f)))];
    out.push({ command, path, options, inherited });
    for (const sub of command.commands) visit(sub, [...path, sub.name], options);
  };
  visit(root, [root.name], []);
  return out;
}

/**
 * The options of a command the completion scripts must describe for walking the words: those that
 * take a value, and the switches that redeclare an inherited flag that takes one. A flag a script
 * does not know is taken for a switch.
 */
export function optionsToDescribe({ command, inherited }: CommandAt): CompletionOption[] {
  const valued = new Set(inherited.filter((o) => o.value).flatMap((o) => o.flags));
  return command.options.filter((o) => o.value || o.flags.some((f) => valued.has(f)));
}

/**
 * Every name, flag and value word is embedded unquoted in word lists and case patterns of three
 * shells: only characters that are plain in all of them are accepted. A declaration outside that
 * set is a bug in plsctl, found by the completion tests.
 */
const PLAIN_WORD = /^[A-Za-z0-9_.,@%+/-]+$/;

export function plainWord(word: string): string {
  if (!PLAIN_WORD.test(word)) {
    throw new Error(`completion: ${JSON.stringify(word)} cannot be embedded in a completion script`);
  }
  return word;
}

/** The first sentence-ish line of a description, for the one-line lists shells show. */
export function shortDescription(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/** The scripts' header line on what they complete: the command as typed, `npx <name>` not included. */
export const completesLine = (name: string): string =>
  `# Completes \`${name}\` as typed (on the PATH), not \`npx ${name}\`: from a clone, \`npm link\` puts ${name} on the PATH.`;
