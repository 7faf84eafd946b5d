/** Every subcommand, one line each. Declarations are eager; implementations load lazily. */
import type { Command } from "@commander-js/extra-typings";
import { registerCompletion } from "./completion.js";
import { registerDemo } from "./demo.js";
import { registerExpose } from "./expose.js";
import type { Runtime } from "./runtime.js";
import { registerSandbox } from "./sandbox.js";
import { registerStatus } from "./status.js";
import { registerUnexpose } from "./unexpose.js";

// biome-ignore lint/suspicious/noExplicitAny: the root program's option types vary by declaration
export type RootCommand = Command<[], any, any>;

export function registerCommands(program: RootCommand, runtime: Runtime): void {
  registerExpose(program, runtime);
  registerStatus(program, runtime);
  registerUnexpose(program, runtime);
  registerSandbox(program, runtime);
  registerDemo(program, runtime);
  registerCompletion(program, runtime);
}
