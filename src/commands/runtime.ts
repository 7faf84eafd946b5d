/**
 * What a command declaration needs to run its handler: the process's streams and signal, and a
 * place to remember the global options (so a failure is rendered in the format the user asked for).
 */
import { type Clock, type Context, createContext } from "../context.js";
import { readEnv } from "../env.js";
import type { Colors } from "../output/colors.js";
import type { CliIo, OutStream } from "../output/io.js";
import { showProgress } from "../output/progress.js";
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
  /** Set when a handler starts; read by main() to render errors. */
  globals?: GlobalOptions;
  /** The command being run, as typed ("plsctl sandbox env"), for "See '… --help'." pointers. */
  commandPath?: string;
  ctx?: CommandContext;
}

/** A handler's context: the flows' Context, plus what only commands use. */
export interface CommandContext extends Context {
  globals: GlobalOptions;
  /** Phases, notes, warnings and debug lines on stderr. */
  report: Reporter;
  /** Colours for stdout. */
  colors: Colors;
  stdout: OutStream;
  /** True when a person can answer prompts (stdin/stderr TTY and not CI). */
  interactive: boolean;
}

/** A declared command: its options with the global ones, typed by the declaration. */
interface Declared {
  optsWithGlobals(): GlobalOptions;
}

/** Builds the handler's context; chalk is loaded here, so --help and --version never load it. */
export async function contextFor(runtime: Runtime, command: Declared): Promise<CommandContext> {
  const { colorLevel, makeColors } = await import("../output/colors.js");
  const globals = command.optsWithGlobals();
  runtime.globals = globals;
  const env = readEnv(runtime.io.env);
  const colorsErr = makeColors(colorLevel(env, runtime.io.stderr, globals.color));
  const colorsOut = makeColors(colorLevel(env, runtime.io.stdout, globals.color));
  const interactive = Boolean(runtime.io.stderr.isTTY) && !env.ci;
  const report = createReporter({
    stderr: runtime.io.stderr,
    colors: colorsErr,
    quiet: Boolean(globals.quiet),
    verbose: Boolean(globals.verbose),
    interactive,
    redact: runtime.redactor,
  });
  const ctx: CommandContext = {
    ...createContext({
      globals,
      env,
      report,
      progress: (event) => showProgress(report, event),
      signal: runtime.signal,
      addSecret: runtime.redactor.addSecret,
      ...(runtime.clock ? { clock: runtime.clock } : {}),
    }),
    globals,
    report,
    colors: colorsOut,
    stdout: runtime.io.stdout,
    interactive,
  };
  runtime.ctx = ctx;
  return ctx;
}
