/** Every subcommand, one line each. Declarations are eager; implementations load lazily. */
import { registerCompletion } from "./completion.js";
import { registerDemo } from "./demo.js";
import { registerExpose } from "./expose.js";
import type { RootCommand } from "./program.js";
import type { Runtime } from "./runtime.js";
import { registerSandbox } from "./sandbox/index.js";
import { registerStatus } from "./status.js";
import { registerUnexpose } from "./unexpose.js";

export function registerCommands(program: RootCommand, runtime: Runtime): void {
  registerExpose(program, runtime);
  registerStatus(program, runtime);
  registerUnexpose(program, runtime);
  registerSandbox(program, runtime);
  registerDemo(program, runtime);
  registerCompletion(program, runtime);
}
