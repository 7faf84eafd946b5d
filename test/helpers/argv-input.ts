/**
 * gh's `runF` seam for plsctl: parse an argv with the real program and return the input the
 * command's declaration makes of it — without building a context or running a flow (nothing is
 * read, written or dialled). A usage error comes back as the thrown PlsctlError or CommanderError.
 */
import { declaredProgram } from "../../src/cli.js";
import { commandPath } from "../../src/output/usage.js";

export interface ParsedInput {
  /** "plsctl status" */
  command: string;
  input: unknown;
}

/** The command an argv names and its input; throws what the declaration throws on bad flags. */
export async function inputOf(argv: readonly string[]): Promise<ParsedInput> {
  let parsed: ParsedInput | undefined;
  const program = declaredProgram({
    executor: async (spec, p) => {
      parsed = { command: commandPath(p.command), input: spec.input(p) };
    },
  });
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync([...argv], { from: "user" });
  if (!parsed) throw new Error(`no declared command ran for: ${argv.join(" ")}`);
  return parsed;
}
