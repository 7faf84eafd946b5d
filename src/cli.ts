/**
 * The commander program (its global options are declared in commands/program.ts), the command
 * list, and the one catch that turns every outcome into an exit code. `main()` returns the code (tests call it in-process); `run()` is the
 * process entry and the only place that calls process.exit.
 */
import { CommanderError } from "@commander-js/extra-typings";
import { explainCredentials } from "./azure/errors.js";
import { isGroup } from "./commands/declare.js";
import { type Executor, execute, type Outcome, specOf } from "./commands/execute.js";
import { registerCommands } from "./commands/index.js";
import { rootProgram } from "./commands/program.js";
import type { Runtime } from "./commands/runtime.js";
import type { Clock } from "./context.js";
import { EXIT_CODE_HELP, ExitCode, isAbortError } from "./domain/errors.js";
import { requireGuid } from "./domain/names.js";
import { ENV_VARS, readEnv } from "./env.js";
import { interrupted, showError } from "./output/errors.js";
import { renderJson } from "./output/format.js";
import { type CliIo, processIo } from "./output/io.js";
import { makeRedactor, redactIo } from "./output/redact.js";
import {
  commandPath,
  helpPointer,
  outputFormatFromArgv,
  usageErrorDocument,
  usageMessage,
} from "./output/usage.js";

function rootHelpFooter(): string {
  const codes = EXIT_CODE_HELP.map(([code, text]) => `  ${String(code).padEnd(5)}${text}`).join("\n");
  const width = Math.max(...ENV_VARS.map(([name]) => name.length));
  const vars = ENV_VARS.map(([name, text]) => `  ${name.padEnd(width + 2)}${text}`).join("\n");
  return `\nExit codes:\n${codes}\n\nEnvironment variables:\n${vars}\n\nDocs and examples: plsctl <command> --help\n`;
}

/** Runs the command an action names (main), or records its input (the argv → input tests). */
export interface Dispatch {
  executor: Executor;
}

export function buildProgram(runtime: Runtime, dispatch: Dispatch = runWith(runtime, () => undefined)) {
  const program = rootProgram()
    .showSuggestionAfterError(true)
    // Every subcommand's help lists the global options it honours (inherited by .command()).
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => runtime.io.stdout.write(s),
      writeErr: (s) => runtime.io.stderr.write(s),
      outputError: () => {
        /* usage errors are rendered by main() as one line */
      },
    })
    .addHelpText("after", rootHelpFooter());
  registerCommands(program, dispatch.executor);
  return program;
}

/**
 * The program as declared, built to be read (help, completion, the generated reference, the argv →
 * input tests): it writes nowhere, and runs commands only through `dispatch` when one is given.
 */
export function declaredProgram(dispatch?: Dispatch) {
  const sink = { write: () => true };
  const runtime: Runtime = {
    io: { stdout: sink, stderr: sink, env: {} },
    redactor: makeRedactor([]),
    signal: new AbortController().signal,
  };
  return buildProgram(runtime, dispatch);
}

/** The dispatch main uses: each declared command runs to its outcome, handed to `done`. */
function runWith(runtime: Runtime, done: (outcome: Outcome) => void): Dispatch {
  return { executor: async (spec, parsed) => done(await execute(runtime, spec, parsed)) };
}

export type Program = ReturnType<typeof buildProgram>;

type AnyCommand = Program["commands"][number];

function everyCommand(command: AnyCommand): AnyCommand[] {
  return [command, ...command.commands.flatMap((c) => everyCommand(c))];
}

/**
 * The subcommand argv names below `from`: a global option's bad value (`expose -o jsno`) fails in
 * the root, but the user is working in `expose`, whose help lists the global options too.
 */
function namedCommand(from: AnyCommand, argv: readonly string[]): AnyCommand {
  let current = from;
  for (const arg of argv) {
    if (arg === "--") break;
    const next = current.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (next) current = next;
  }
  return current;
}

export interface MainOptions {
  clock?: Clock;
}

export async function main(
  argv: readonly string[],
  processStreams: CliIo = processIo(),
  options: MainOptions = {},
): Promise<number> {
  const env = readEnv(processStreams.env);
  // Every byte plsctl writes, stdout included, goes through this one redactor.
  const redactor = makeRedactor([env.accessToken]);
  const redacted = redactIo(processStreams, redactor);
  const io = redacted.io;
  const signal = io.signal ?? new AbortController().signal;
  const runtime: Runtime = { io, signal, redactor, ...(options.clock ? { clock: options.clock } : {}) };
  let outcome: Outcome | undefined;
  const program = buildProgram(
    runtime,
    runWith(runtime, (o) => {
      outcome = o;
    }),
  );
  if (argv.length === 0) {
    io.stdout.write(program.helpInformation() + rootHelpFooter());
    return ExitCode.Ok;
  }
  // Remember which command commander failed in, so the usage error points at that command's help.
  let failedIn = program as AnyCommand;
  for (const command of everyCommand(program as AnyCommand)) {
    command.exitOverride((err) => {
      failedIn = command;
      throw err;
    });
  }
  let path: string | undefined;
  program.hook("preAction", (_root, action) => {
    const globals = program.opts();
    path = commandPath(action);
    // Before any I/O: a subscription that is not a GUID is a usage error for every command.
    if (globals.subscription !== undefined) requireGuid(globals.subscription, "--subscription");
    const spec = specOf(action);
    redacted.setStdoutVerbatim(Boolean(spec && !isGroup(spec) && spec.printsCredentials));
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return outcome?.exitCode ?? ExitCode.Ok;
  } catch (err) {
    redacted.setStdoutVerbatim(false);
    // Once an action began, the global options were parsed (and checked: commander failed otherwise).
    const globals = path === undefined ? undefined : program.opts();
    const { colorLevel, makeColors } = await import("./output/colors.js");
    const colors = makeColors(colorLevel(env, io.stderr, globals?.color ?? true));
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.version") {
        return ExitCode.Ok;
      }
      const failedPath = commandPath(namedCommand(failedIn, argv));
      // A command that only groups others (`plsctl sandbox`) printed its help on stderr already.
      const message =
        err.code === "commander.help"
          ? `'${failedPath}' needs a command: ${failedIn.commands.map((c) => c.name()).join(", ")}.`
          : usageMessage(err.message);
      io.stderr.write(`${colors.red("error:")} ${message} ${helpPointer(failedPath, env.cli)}\n`);
      // Commander failed, so it could not tell us the format: read it from argv, carefully.
      if (outputFormatFromArgv(argv) === "json")
        io.stdout.write(renderJson(usageErrorDocument(message, failedPath, env.cli)));
      return ExitCode.Usage;
    }
    const shown = showError(
      isAbortError(err) ? interrupted() : explainCredentials(err, env),
      colors,
      Boolean(globals?.verbose),
      path,
      env.cli,
    );
    io.stderr.write(shown.text);
    if (globals?.output === "json") io.stdout.write(renderJson(shown.json));
    return shown.exitCode;
  }
}

/** The process entry: wires Ctrl-C to the abort signal, runs main, flushes, exits. */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(ExitCode.Interrupted);
    controller.abort(Object.assign(new Error("Interrupted"), { name: "AbortError" }));
  });
  process.on("SIGTERM", () =>
    controller.abort(Object.assign(new Error("Terminated"), { name: "AbortError" })),
  );
  // The reader of stdout went away (`plsctl … | head -1`): Node reports EPIPE as an error event,
  // which would crash with a stack. Stop as on SIGTERM instead; a finished result keeps its code.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    controller.abort(Object.assign(new Error("Output closed"), { name: "AbortError" }));
  });
  const code = await main(argv, processIo(controller.signal));
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}
