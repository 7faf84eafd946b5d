/**
 * The commander program: global options, the command list, and the one catch that turns every
 * outcome into an exit code. `main()` returns the code (tests call it in-process); `run()` is the
 * process entry and the only place that calls process.exit.
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { CLOUD_NAMES } from "./azure/cloud.js";
import { registerCommands } from "./commands/index.js";
import type { Runtime } from "./commands/runtime.js";
import type { Clock } from "./context.js";
import { EXIT_CODE_HELP, ExitCode } from "./domain/errors.js";
import { ENV_VARS, readEnv } from "./env.js";
import { showError } from "./output/errors.js";
import { OUTPUT_FORMATS, renderJson } from "./output/format.js";
import { type CliIo, processIo } from "./output/io.js";
import { makeRedactor } from "./output/redact.js";
import { VERSION } from "./version.js";

function rootHelpFooter(): string {
  const codes = EXIT_CODE_HELP.map(([code, text]) => `  ${String(code).padEnd(5)}${text}`).join("\n");
  const width = Math.max(...ENV_VARS.map(([name]) => name.length));
  const vars = ENV_VARS.map(([name, text]) => `  ${name.padEnd(width + 2)}${text}`).join("\n");
  return `\nExit codes:\n${codes}\n\nEnvironment variables:\n${vars}\n\nDocs and examples: plsctl <command> --help\n`;
}

export function buildProgram(runtime: Runtime) {
  const program = new Command("plsctl")
    .description(
      "Make an AKS application reachable privately from partners' networks through Azure Private Link: " +
        "expose, share, approve, connect, resolve, restrict, verify.",
    )
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .option("--kubeconfig <path>", "kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "kubeconfig context to use")
    .option("-n, --namespace <namespace>", "namespace (default: the context's namespace, else default)")
    .option("--subscription <id>", "Azure subscription id (default: AZURE_SUBSCRIPTION_ID)")
    .option("--tenant <id>", "Microsoft Entra tenant id (default: AZURE_TENANT_ID)")
    .addOption(
      new Option("--cloud <name>", "Azure cloud").choices(CLOUD_NAMES).default("AzureCloud" as const),
    )
    .addOption(
      new Option("-o, --output <format>", "output format").choices(OUTPUT_FORMATS).default("table" as const),
    )
    .option("--no-color", "disable colours (also NO_COLOR)")
    .option("--verbose", "print debug details and stack traces (never secrets)")
    .option("-q, --quiet", "print only results and errors")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => runtime.io.stdout.write(s),
      writeErr: (s) => runtime.io.stderr.write(s),
      outputError: () => {
        /* usage errors are rendered by main() as one line */
      },
    })
    .addHelpText("after", rootHelpFooter());
  registerCommands(program, runtime);
  return program;
}

export type Program = ReturnType<typeof buildProgram>;

/** Commander's message ("error: unknown option '--x'\n(Did you mean --y?)") as one line. */
function usageLine(err: CommanderError): string {
  const [first = "", ...rest] = err.message.replace(/^error: /, "").split("\n");
  const suggestion = rest.join(" ").match(/\(Did you mean (.+)\?\)/);
  return `${first.replace(/\.$/, "")}${suggestion ? ` — did you mean ${suggestion[1]}?` : "."} See 'plsctl --help'.`;
}

export interface MainOptions {
  clock?: Clock;
}

export async function main(
  argv: readonly string[],
  io: CliIo = processIo(),
  options: MainOptions = {},
): Promise<number> {
  const signal = io.signal ?? new AbortController().signal;
  const runtime: Runtime = { io, signal, ...(options.clock ? { clock: options.clock } : {}) };
  const program = buildProgram(runtime);
  if (argv.length === 0) {
    io.stdout.write(program.helpInformation() + rootHelpFooter());
    return ExitCode.Ok;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.Ok;
  } catch (err) {
    const env = readEnv(io.env);
    const globals = runtime.globals;
    const { colorLevel, makeColors } = await import("./output/colors.js");
    const colors = makeColors(colorLevel(env, io.stderr, globals?.color ?? true));
    if (err instanceof CommanderError) {
      if (err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.version") {
        return ExitCode.Ok;
      }
      io.stderr.write(`${colors.red("error:")} ${usageLine(err)}\n`);
      return ExitCode.Usage;
    }
    runtime.ctx?.report.stop();
    const shown = showError(err, colors, Boolean(globals?.verbose));
    io.stderr.write(makeRedactor([env.accessToken])(shown.text));
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
  const code = await main(argv, processIo(controller.signal));
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}
