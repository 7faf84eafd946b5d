/**
 * How every declared command is wired into commander and run, once for all of them: the flags are
 * turned into the flow's input first (a usage error leaves before any I/O), then the context is
 * built, the flow runs, the result is printed in the format asked for, and the outcome — the
 * result and the exit code it means — goes back to `main`.
 */
import type { Command, CommandUnknownOpts, OptionValues } from "@commander-js/extra-typings";
import { ExitCode, type ExitCodeValue, isAbortError } from "../domain/errors.js";
import { interrupted } from "../output/errors.js";
import { type AnyCommandSpec, type AnySpec, type Bare, helpFooter, isGroup, type Parsed } from "./declare.js";
import { contextFor, type Runtime } from "./runtime.js";

/** What a command ended with: main prints nothing more and exits with `exitCode`. */
export interface Outcome {
  result: unknown;
  exitCode: ExitCodeValue;
}

/** What an action does with a command's parsed flags: run it (main) or only record its input (tests). */
export type Executor = (spec: AnyCommandSpec, parsed: Parsed<unknown[], OptionValues>) => Promise<void>;

/** Something commands can be declared below: the root program or a group. */
type Parent = CommandUnknownOpts;

/** The declaration behind each commander command (for main's pre-action hook and the reference). */
const declared = new WeakMap<object, AnySpec>();

export const specOf = (command: object): AnySpec | undefined => declared.get(command);

/** Declares `spec` (and a group's commands) below `parent`; actions go to `executor`. */
export function attach(parent: Parent, spec: AnySpec, executor: Executor): Bare {
  // Below the root or a group that takes no options, a new command sees the global options only.
  const bare = (parent.command(spec.name) as unknown as Bare).summary(spec.summary);
  if (spec.description) bare.description(spec.description);
  if (isGroup(spec)) {
    bare.addHelpText("after", helpFooter(spec));
    for (const sub of spec.commands) attach(bare, sub, executor);
    declared.set(bare, spec);
    return bare;
  }
  const command = spec.declare(bare) as unknown as Command<unknown[], OptionValues>;
  command.addHelpText("after", helpFooter(spec));
  command.action(async (...values: unknown[]) => {
    // commander calls an action with the arguments, then the command's options, then the command
    const args = values.slice(0, -2);
    const [opts, self] = values.slice(-2) as [OptionValues, Parsed<unknown[], OptionValues>["command"]];
    await executor(spec, { args, opts, command: self });
  });
  declared.set(command, spec);
  return bare;
}

/** Runs one declared command to its outcome. */
export async function execute(
  runtime: Runtime,
  spec: AnyCommandSpec,
  parsed: Parsed<unknown[], OptionValues>,
): Promise<Outcome> {
  const input = spec.input(parsed);
  let lastStep: string | undefined;
  const setup = await spec.context?.(input, runtime);
  const ctx = await contextFor(runtime, parsed.command, setup, (step) => {
    lastStep = step;
  });
  try {
    const result = await spec.run(ctx, input, setup);
    // undefined: `run` printed as it went (`approve --watch`), there is no result document
    if (spec.render && result !== undefined) {
      const [render, { writeResult }] = await Promise.all([spec.render(), import("../output/result.js")]);
      await writeResult(ctx, result, (r, colors) => render(r, colors, ctx, input));
    }
    const exitCode = result === undefined ? undefined : spec.exitCode?.(result);
    return { result, exitCode: exitCode ?? ExitCode.Ok };
  } catch (err) {
    ctx.report.stop();
    if (isAbortError(err)) throw interrupted(lastStep, spec.interruptHint?.(input, ctx));
    throw err;
  }
}
