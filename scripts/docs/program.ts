/** The program `plsctl` runs, built only to be read: nothing is parsed, run or printed. */
import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { declaredProgram } from "../../src/cli.js";
import { commandReference, type Reference } from "./reference.js";

export function programReference(): Reference {
  return commandReference(declaredProgram() as unknown as CommandUnknownOpts);
}
