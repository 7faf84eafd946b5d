/** The program `plsctl` runs, built only to be read: nothing is parsed, run or printed. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { buildProgram } from "../../src/cli.js";
import { commandReference, type Reference } from "./reference.js";

const sink = { write: () => true };

export function programReference(): Reference {
  const program = buildProgram({
    io: { stdout: sink, stderr: sink, env: {} },
    redactor: Object.assign((t: string) => t, { addSecret: () => {} }),
    signal: new AbortController().signal,
  });
  return commandReference(program as unknown as CommandUnknownOpts);
}
