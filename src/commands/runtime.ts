/**
 * What every command runs with: the process's streams (redacted), its abort signal and clock —
 * and the context a command's flow gets, built from them and the parsed global options.
 */
import { type Clock, type Context, createContext } from "../context.js";
import type { ProgressEvent } from "../domain/progress.js";
import { type PlsctlEnv, readEnv } from "../env.js";
import type { Colors } from "../output/colors.js";
import type { CliIo, OutStream } from "../output/io.js";
import { showProgress, wordProgress } from "../output/progress.js";
import type { Redactor } from "../output/redact.js";
import { createReporter, type Reporter } from "../output/reporter.js";
import type { GlobalOptions } from "./program.js";

export interface Runtime {
  /** Streams already redacted by main(). */
  io: CliIo;
  /** The redactor behind io; secrets found later (the kubeconfig's token) are added to it. */
  redactor: Redactor;
  signal: AbortSignal;
  clock?: Clock;
}

/**
 * Whether plsctl may ask a person something: only when a person can both read the question
 * (stderr is a terminal) and type the answer (stdin is a terminal), and never in CI. Every prompt
 * also has a flag, so a script never needs one. `why` says what turned prompts off (for --verbose).
 */
export function promptRule(
  io: { stdin?: { isTTY?: boolean } | undefined; stderr: { isTTY?: boolean } },
  env: Pick<PlsctlEnv, "ci">,
): { interactive: boolean; why: string } {
  if (env.ci) return { interactive: false, why: "CI is set" };
  if (!io.stdin?.isTTY) return { interactive: false, why: "stdin is not a terminal" };
  if (!io.stderr.isTTY) return { interactive: false, why: "stderr is not a terminal" };
  return { interactive: true, why: "stdin and stderr are terminals" };
}

/** A handler's context: the flows' Context, plus what only commands use. */
export interface CommandContext extends Context {
  globals: GlobalOptions;
  /** Phases, notes, warnings and debug lines on stderr. */
  report: Reporter;
  /** Colours for stdout. */
  colors: Colors;
  stdout: OutStream;
  /** True when a person can answer prompts: stdin and stderr are terminals and CI is unset (promptRule). */
  interactive: boolean;
}

/** A declared command: its options with the global ones, typed by the declaration. */
interface Declared {
  optsWithGlobals(): GlobalOptions;
}

/** What a long-running command changes in its context (`approve --watch`). */
export interface ContextOptions {
  /** In place of runtime.signal: the adapters' requests and the flow's work end when it aborts. */
  signal?: AbortSignal;
  /** Sees every progress event too (metrics). */
  tap?: (event: ProgressEvent) => void;
}

/**
 * Builds the handler's context; chalk is loaded here, so --help and --version never load it.
 * `onStep` hears each progress step in words (what an interrupted command says it got to).
 */
export async function contextFor(
  runtime: Runtime,
  command: Declared,
  options: ContextOptions = {},
  onStep: (text: string) => void = () => undefined,
): Promise<CommandContext> {
  const { colorLevel, makeColors } = await import("../output/colors.js");
  const globals = command.optsWithGlobals();
  const env = readEnv(runtime.io.env);
  const colorsErr = makeColors(colorLevel(env, runtime.io.stderr, globals.color));
  const colorsOut = makeColors(colorLevel(env, runtime.io.stdout, globals.color));
  const { interactive, why } = promptRule(runtime.io, env);
  const report = createReporter({
    stderr: runtime.io.stderr,
    colors: colorsErr,
    quiet: Boolean(globals.quiet),
    verbose: Boolean(globals.verbose),
    // A spinner needs only a terminal to draw on; prompts need one to type into too.
    interactive: Boolean(runtime.io.stderr.isTTY) && !env.ci,
    redact: runtime.redactor,
  });
  report.debug(`prompts ${interactive ? "on" : "off"}: ${why}`);
  return {
    ...createContext({
      globals,
      env,
      report,
      progress: (event) => {
        const { text } = wordProgress(event);
        if (text !== undefined) onStep(text);
        showProgress(report, event);
        options.tap?.(event);
      },
      signal: options.signal ?? runtime.signal,
      addSecret: runtime.redactor.addSecret,
      ...(runtime.clock ? { clock: runtime.clock } : {}),
    }),
    globals,
    report,
    colors: colorsOut,
    stdout: runtime.io.stdout,
    interactive,
  };
}
