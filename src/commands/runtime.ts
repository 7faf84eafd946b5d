/**
 * What a command declaration needs to run its handler: the process's streams and signal, and a
 * place to remember the global options (so a failure is rendered in the format the user asked for).
 */
import type { Clock, Context, GlobalOptions } from "../context.js";
import { createContext } from "../context.js";
import { type PlsctlEnv, readEnv } from "../env.js";
import type { CliIo } from "../output/io.js";
import type { Redactor } from "../output/redact.js";
import { createReporter } from "../output/reporter.js";

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
  ctx?: Context;
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

interface OptsSource {
  optsWithGlobals(): object;
}

/** Builds the handler's context; chalk is loaded here, so --help and --version never load it. */
export async function contextFor(runtime: Runtime, command: OptsSource): Promise<Context> {
  const { colorLevel, makeColors } = await import("../output/colors.js");
  const globals = command.optsWithGlobals() as GlobalOptions;
  runtime.globals = globals;
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
  const ctx = createContext({
    globals,
    env,
    report,
    colors: colorsOut,
    stdout: runtime.io.stdout,
    signal: runtime.signal,
    interactive,
    addSecret: runtime.redactor.addSecret,
    ...(runtime.clock ? { clock: runtime.clock } : {}),
  });
  runtime.ctx = ctx;
  return ctx;
}
