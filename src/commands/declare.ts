/**
 * A command is a declaration, not hand wiring (as wrangler's `createCommand` and gh's `NewCmd…`
 * with its `runF` seam): its flags, a pure `input` that turns the parsed flags into the flow's
 * input (throwing usage errors, before any I/O), `run` that loads the flow lazily and runs it, the
 * renderer of its result, and the exit code the result means. `execute.ts` does the rest the same
 * way for every command; `main` gets `{ result, exitCode }` back. The documentation fields are
 * what `--help` prints after the flags and what `npm run docs` writes to docs/commands/.
 */
import type { Command, OptionValues } from "@commander-js/extra-typings";
import type { ExitCodeValue } from "../domain/errors.js";
import type { Colors } from "../output/colors.js";
import type { GlobalOptions } from "./program.js";
import type { CommandContext, ContextOptions, Runtime } from "./runtime.js";

/** A command as `.command(name)` makes it below the root or a group: no arguments or flags yet. */
// biome-ignore lint/complexity/noBannedTypes: commander's own type for "no options declared yet"
export type Bare = Command<[], {}, GlobalOptions>;

/** What a command's reference page and its `--help` footer say. */
export interface CommandDoc {
  /** One line for command lists. */
  summary: string;
  /** The paragraph under the usage line (default: the summary). */
  description?: string;
  /** Prose printed after the flags: rules a user must know that no flag says. */
  notes?: string;
  /** Command lines a user can copy (a trailing `# comment` is allowed). */
  examples: readonly string[];
  /** Every exit code the command uses, with when (0 included). */
  exitCodes: ReadonlyArray<readonly [ExitCodeValue, string]>;
  /** The `-o json` document, as a TypeScript-like sketch; absent when the command has no result document. */
  json?: string;
}

/** Turns a result into the human rendering on stdout (the input: what the user named, e.g. `--state-dir`). */
export type Renderer<R, I = unknown> = (result: R, colors: Colors, ctx: CommandContext, input: I) => string;

/** What commander hands an action: the arguments, the command's own options, the command. */
export interface Parsed<Args extends unknown[], Opts extends OptionValues> {
  args: Args;
  opts: Opts;
  command: Command<Args, Opts, GlobalOptions>;
}

export interface CommandSpec<
  Args extends unknown[],
  Opts extends OptionValues,
  Input,
  Result,
  Setup extends ContextOptions | undefined = undefined,
> extends CommandDoc {
  name: string;
  /** Arguments and flags, on the bare command. */
  declare(command: Bare): Command<Args, Opts, GlobalOptions>;
  /** Pure: parsed flags → the flow's input. Throws usage errors (exit 2) before anything is read. */
  input(parsed: Parsed<Args, Opts>): Input;
  /**
   * Loads the flow (dynamic imports, so --help loads nothing) and runs it. `setup` is what
   * `context` returned (`approve --watch`: its stop controllers and metrics), else undefined.
   * A result of `undefined` means `run` wrote stdout itself (a watch): nothing more is printed.
   */
  run(ctx: CommandContext, input: Input, setup: Setup): Promise<Result>;
  /** The human rendering, loaded lazily; absent when `run` wrote stdout itself (sandbox up). */
  render?(): Promise<Renderer<Exclude<Result, undefined>, Input>>;
  /**
   * The exit code the result means (default 0): doctor with a failed check, verify not reached.
   * An undefined result (a watch that printed as it went) means 0.
   */
  exitCode?(result: Exclude<Result, undefined>): ExitCodeValue;
  /** What to do after an interrupt, where "re-run the same command" is not it (`demo`). */
  interruptHint?(input: Input, ctx: CommandContext): string;
  /**
   * The context the command needs beyond the default (`approve --watch`: its own signal, a tap);
   * may load code. What it returns is handed to `run` as well.
   */
  context?(input: Input, runtime: Runtime): Setup | Promise<Setup>;
  /** stdout is a credential by design (`sandbox env`): it is not redacted (stderr still is). */
  printsCredentials?: boolean;
}

/** A command that only groups others (`plsctl sandbox`, `plsctl policy`). */
export interface GroupSpec {
  name: string;
  summary: string;
  description?: string;
  examples: readonly string[];
  commands: readonly AnySpec[];
}

// biome-ignore lint/suspicious/noExplicitAny: a list of specs of every shape; each is checked where defined
export type AnyCommandSpec = CommandSpec<any, any, any, any, any>;
export type AnySpec = AnyCommandSpec | GroupSpec;

export const isGroup = (spec: AnySpec): spec is GroupSpec => "commands" in spec;

/** Identity, for inference: the types of `input` and `run` follow from `declare`. */
export function defineCommand<
  Args extends unknown[],
  Opts extends OptionValues,
  Input,
  Result,
  Setup extends ContextOptions | undefined = undefined,
>(spec: CommandSpec<Args, Opts, Input, Result, Setup>): CommandSpec<Args, Opts, Input, Result, Setup> {
  return spec;
}

export const defineGroup = (spec: GroupSpec): GroupSpec => spec;

/** The `--help` footer: notes, the exit codes, the examples. */
export function helpFooter(doc: Pick<CommandDoc, "notes" | "examples"> & Partial<CommandDoc>): string {
  const parts: string[] = [];
  if (doc.notes) parts.push(doc.notes.trim());
  if (doc.exitCodes?.length) {
    parts.push(
      `Exit codes:\n${doc.exitCodes.map(([code, when]) => `  ${String(code).padEnd(5)}${when}`).join("\n")}`,
    );
  }
  if (doc.examples.length) parts.push(`Examples:\n${doc.examples.map((e) => `  ${e}`).join("\n")}`);
  return parts.length ? `\n${parts.join("\n\n")}` : "";
}
