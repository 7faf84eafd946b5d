/**
 * What a command declaration needs to run its handler: the process's streams and signal, and a
 * place to remember the global options (so a failure is rendered in the format the user asked for).
 */
import type { Clock, Context, GlobalOptions } from "../context.js";
import { createContext } from "../context.js";
import { readEnv } from "../env.js";
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
  const interactive = Boolean(runtime.io.stderr.isTTY) && !env.ci;
  const report = createReporter({
    stderr: runtime.io.stderr,
    colors: colorsErr,
    quiet: Boolean(globals.quiet),
    verbose: Boolean(globals.verbose),
    interactive,
    redact: runtime.redactor,
  });
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
