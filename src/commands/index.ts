/** Every subcommand, one line each. Declarations are eager; implementations load lazily. */
import type { Command } from "@commander-js/extra-typings";
import type { Runtime } from "./runtime.js";

// biome-ignore lint/suspicious/noExplicitAny: the root program's option types vary by declaration
export type RootCommand = Command<[], any, any>;

export function registerCommands(_program: RootCommand, _runtime: Runtime): void {}
